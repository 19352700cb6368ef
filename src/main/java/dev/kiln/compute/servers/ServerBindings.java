package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.store.Database;
import java.util.List;

/**
 * What ties ports to a server and gives them back: bindings made under the server's row only while
 * no delete has begun, and the release of a port (Compute's own deleted, a user's unplugged).
 */
final class ServerBindings {
  private final Database db;
  private final NetworkService network;

  ServerBindings(Database db, NetworkService network) {
    this.db = requireNonNull(db, "db is null");
    this.network = requireNonNull(network, "network is null");
  }

  /**
   * Runs {@code binding} (plugging a port into the server, recording one) while holding the
   * server's row, if the server exists and no delete has begun; else throws the server's 404 and
   * binds nothing. A delete marks the server through the same row, so its task sees every binding
   * made before it and none after: nothing is left bound to a server that is gone.
   *
   * <p>The binding calls into Networking, which writes the port in transactions of its own and then
   * tells Compute the port is up; that work joins this transaction rather than taking more
   * connections from the pool while this one is held (see {@link
   * Database#inTransactionJoinedByNestedWork}).
   */
  <T> T whileNotDeleting(String serverId, java.util.function.Function<dev.kiln.store.Sql, T> binding) {
    return db.inTransactionJoinedByNestedWork(
        sql -> {
          String taskState = new ServerStore(sql).lockForBinding(serverId).orElseThrow(() -> Servers.notFound(serverId));
          if (taskState.equals("deleting")) {
            throw Servers.notFound(serverId);
          }
          return binding.apply(sql);
        });
  }

  /** Gives a port back: Compute's own is deleted, a user's is unplugged and kept. */
  void releasePort(Server server, PluggedPort p) {
    try {
      if (p.ownedByCompute()) {
        network.ports().delete(new Actor(server.projectId(), server.userId(), true), p.portId());
      } else {
        network.ports().unplugFrom(p.portId(), server.id());
      }
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Gives back the ports of a server being deleted. The user's ports survive it, so their floating
   * IPs are disassociated first, as Nova does on delete (Compute's own ports take theirs with them
   * when Networking deletes them).
   */
  void releasePortsOfDeleted(Server server, List<PluggedPort> ports) {
    List<String> userPorts = ports.stream().filter(p -> !p.ownedByCompute()).map(PluggedPort::portId).toList();
    if (!userPorts.isEmpty()) {
      // Only the ports still plugged into this server: one that has moved on keeps its floating IPs.
      network.floatingIps().disassociatePorts(
          network.ports().byIds(userPorts).stream().filter(p -> p.deviceId().equals(server.id())).map(Port::id).toList());
    }
    for (PluggedPort p : ports) {
      releasePort(server, p);
    }
  }

  /**
   * Gives a port back for a server that may be gone already: Compute's own is deleted, a user's
   * is unplugged if it is still this server's.
   */
  void releasePort(String serverId, PluggedPort p) {
    Actor service = new Actor(null, null, true);
    try {
      if (p.ownedByCompute()) {
        network.ports().delete(service, p.portId());
      } else {
        network.ports().unplugFrom(p.portId(), serverId);
      }
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }
}
