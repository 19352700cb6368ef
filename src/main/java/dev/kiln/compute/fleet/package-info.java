/**
 * The simulated fleet: compute hosts with their capacity, zones and services, the claims servers
 * hold on them, the scheduler that picks a host, and the hypervisor driver SPI with its simulated
 * implementation, latencies and fault injection. Knows nothing of servers beyond an id.
 */
package dev.kiln.compute.fleet;
