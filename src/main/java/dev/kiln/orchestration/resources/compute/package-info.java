/**
 * The Compute resource types ({@code OS::Nova::Server}, {@code ServerGroup}, {@code KeyPair},
 * {@code Flavor}) and the {@code nova.*} and {@code glance.image} custom constraints. They reach
 * Compute, Networking and Image only through the {@link dev.kiln.orchestration.resources.Cloud}
 * services, always as the stack owner.
 *
 * <p>A server's {@code network:} and {@code subnet:} entries get ports this package makes itself
 * (Heat's "internal ports"), owned like a user's ports: Compute only plugs and unplugs them, so a
 * replacement server can take them over with their ids, MACs and addresses. Who holds such a port
 * is written on the port itself ({@link HeatMark}), so it survives a crash of the engine.
 */
package dev.kiln.orchestration.resources.compute;
