/**
 * Compute (Nova v2.1). Other services, the launcher and the orchestration engine use Compute only
 * through the two records here: {@link dev.kiln.compute.ComputeService} (the fleet and its
 * hypervisor driver, flavors, keypairs, quotas and external events: wired first, because
 * Networking needs the fleet to bind ports) and {@link dev.kiln.compute.ServerServices} (every
 * operation on servers: create, delete, actions, moves, interfaces, volumes, metadata). The
 * sub-packages are the rooms behind them, each owning one capability and its tables; {@code api}
 * translates HTTP to these calls.
 */
package dev.kiln.compute;
