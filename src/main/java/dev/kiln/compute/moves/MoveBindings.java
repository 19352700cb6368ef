package dev.kiln.compute.moves;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.PortBinding;
import dev.kiln.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The port-binding steps a move takes with Networking: an INACTIVE binding for every port on the
 * destination before anything moves, the destination's activated once the server is there (the
 * source's going INACTIVE), and the binding left behind deleted when the move is settled. Every
 * step is safe to repeat.
 */
final class MoveBindings {
  private final Database db;
  private final NetworkService network;

  MoveBindings(Database db, NetworkService network) {
    this.db = requireNonNull(db, "db is null");
    this.network = requireNonNull(network, "network is null");
  }

  /**
   * Makes an INACTIVE binding on {@code host} for each of the server's ports; if one cannot be
   * made, those made are deleted and Networking's refusal is thrown: nothing has changed.
   */
  List<String> prepare(Server server, String host) {
    List<String> made = new ArrayList<>();
    try {
      for (PluggedPort p : server.ports()) {
        // A binding already there (someone else's, or an attempt of this move that died before
        // recording its step) is refused by Networking: the move stops rather than take it over.
        network.bindings().create(p.portId(), host, null, null);
        made.add(p.portId());
      }
    } catch (ServiceException e) {
      made.forEach(portId -> network.bindings().delete(portId, host));
      throw e;
    }
    return made;
  }

  /** Makes {@code host}'s binding the active one on each port (binding it there if it has none). */
  void activate(Server server, String host, String zone) {
    for (PluggedPort p : server.ports()) {
      Optional<PortBinding> binding = binding(p.portId(), host);
      try {
        if (binding.isEmpty()) {
          plugIfStillTheServers(server.id(), p.portId(), zone, host);
        } else if (binding.get().status() == PortBinding.Status.INACTIVE) {
          network.bindings().activate(p.portId(), host);
        }
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /**
   * Plugs a port that has no binding on {@code host} into the server there, if it is still the
   * server's. {@code server} was read when the move's step began: since then a delete may have
   * begun and unplugged the port, or the port may have been detached (an unplug drops its
   * bindings, which is why none is found). Plugging it then would leave it bound to a server that
   * is gone or no longer has it; so the check and the plug happen under the server's row, which
   * a delete and a detach take too.
   */
  private void plugIfStillTheServers(String serverId, String portId, String zone, String host) {
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          Optional<String> taskState = store.lockForBinding(serverId);
          if (taskState.isEmpty() || taskState.get().equals("deleting")) {
            return null;
          }
          boolean stillPlugged =
              store.find(serverId).map(s -> s.ports().stream().anyMatch(q -> q.portId().equals(portId))).orElse(false);
          if (stillPlugged) {
            network.ports().plug(portId, serverId, "compute:" + zone, host);
          }
          return null;
        });
  }

  /** Deletes the INACTIVE bindings on {@code host} the move left behind. */
  void dropInactive(Server server, String host) {
    for (PluggedPort p : server.ports()) {
      if (binding(p.portId(), host).filter(b -> b.status() == PortBinding.Status.INACTIVE).isPresent()) {
        try {
          network.bindings().delete(p.portId(), host);
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
        }
      }
    }
  }

  private Optional<PortBinding> binding(String portId, String host) {
    try {
      return network.bindings().list(portId).stream().filter(b -> b.host().equals(host)).findFirst();
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty(); // the port is gone
      }
      throw e;
    }
  }
}
