/** SQL for the tables of {@code dev.kiln.compute.quotas}. */
package dev.kiln.compute.quotas.store;
