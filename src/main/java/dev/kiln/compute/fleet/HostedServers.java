package dev.kiln.compute.fleet;

import dev.kiln.compute.servers.Server;
import java.util.List;

/**
 * The servers on a compute host, for {@code os-hypervisors ?with_servers=true}. The servers
 * service plugs itself in with {@link Fleet#hostedServers(HostedServers)}; until then hosts have
 * none.
 */
@FunctionalInterface
public interface HostedServers {
  HostedServers NONE = host -> List.of();

  List<Server> on(String host);

  /** What the hypervisors API shows of a server. */
  record Server(String uuid, String name) {}
}
