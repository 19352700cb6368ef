/** SQL for the tables of {@code dev.kiln.compute.fleet}. */
package dev.kiln.compute.fleet.store;
