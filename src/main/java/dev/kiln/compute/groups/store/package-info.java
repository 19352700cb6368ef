/** SQL for the tables of {@code dev.kiln.compute.groups}. */
package dev.kiln.compute.groups.store;
