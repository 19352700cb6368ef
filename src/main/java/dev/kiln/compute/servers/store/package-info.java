/** SQL for the tables of {@code dev.kiln.compute.servers}. */
package dev.kiln.compute.servers.store;
