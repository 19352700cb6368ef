/** Compute quotas: limits by project and by class, usage, and reservations taken under a lock. */
package dev.kiln.compute.quotas;
