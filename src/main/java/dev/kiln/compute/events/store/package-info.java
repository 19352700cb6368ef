/** SQL for the tables of {@code dev.kiln.compute.events}. */
package dev.kiln.compute.events.store;
