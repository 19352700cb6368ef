/** SQL for the tables of {@code dev.kiln.compute.catalog}. */
package dev.kiln.compute.catalog.store;
