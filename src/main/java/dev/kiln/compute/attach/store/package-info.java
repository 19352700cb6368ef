/** SQL for the tables of {@code dev.kiln.compute.attach}. */
package dev.kiln.compute.attach.store;
