package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server;
import dev.kiln.network.Network;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.Subnet;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.compute.ServerProps.NetworkEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ports of a server's {@code networks} entries. For a {@code network:} or {@code subnet:}
 * entry the resource makes the port itself, as a user's port marked with {@link HeatMark}
 * (Compute then only plugs and unplugs it). Picking a port for an entry prefers, in order: a port
 * this resource row already holds (a repeated step), a port an earlier row of the same resource
 * holds (the server being replaced: the port moves, keeping its id, MAC and addresses), a new one.
 */
final class ServerPorts {
  /** Where a row records the user's ports it took from an earlier server, to give them back. */
  static final String MOVED_USER_PORTS = "moved_user_ports";

  private final Cloud cloud;
  private final Lookups lookups;

  ServerPorts(Cloud cloud, Lookups lookups) {
    this.cloud = requireNonNull(cloud, "cloud is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
  }

  /** The network (and subnet, if named) an entry's port is made on. */
  record Placement(Network network, Subnet subnet) {}

  Placement placement(Actor owner, NetworkEntry entry) {
    Subnet subnet = entry.subnet() == null ? null : lookups.subnet(owner, entry.subnet());
    Network network;
    if (entry.network() != null) {
      network = lookups.network(owner, entry.network());
      if (subnet != null && !subnet.networkId().equals(network.id())) {
        throw ServiceException.invalid(
            "StackValidationFailed",
            "Specified subnet " + subnet.id() + " does not belongs to network " + network.id() + ".");
      }
    } else {
      network = cloud.network().networks().visible(owner, subnet.networkId());
    }
    return new Placement(network, subnet);
  }

  /** Whether {@code port} could serve {@code entry} (same network, subnet and address). */
  static boolean fits(Port port, Placement placement, NetworkEntry entry) {
    if (!port.networkId().equals(placement.network().id())) {
      return false;
    }
    if (placement.subnet() != null
        && port.fixedIps().stream().noneMatch(ip -> ip.subnetId().equals(placement.subnet().id()))) {
      return false;
    }
    return entry.fixedIp() == null || port.fixedIps().stream().anyMatch(ip -> ip.ipAddress().equals(entry.fixedIp()));
  }

  /** The ports marked for this resource (any row of it), in the owner's project. */
  List<Marked> marked(ResourceContext context) {
    HeatMark mine = HeatMark.of(context.stackId(), context.name(), context.id());
    List<Marked> out = new ArrayList<>();
    for (Port p : cloud.network().ports().list(context.owner())) {
      HeatMark.parse(p.description()).filter(mine::sameResource).ifPresent(m -> out.add(new Marked(p, m)));
    }
    return out;
  }

  record Marked(Port port, HeatMark mark) {}

  /**
   * The port for one Heat-made entry: one of {@code candidates} not yet {@code taken} (this row's
   * first, then an earlier row's, which is detached from its server and re-marked), or a new one.
   *
   * @param serverId this resource's server, whose plugged ports need no detaching; null before it exists
   */
  Port portFor(
      ResourceContext context, NetworkEntry entry, int index, List<String> securityGroupIds, List<Marked> candidates,
      Set<String> taken, String serverId) {
    Actor owner = context.owner();
    Placement placement = placement(owner, entry);
    Optional<Marked> found =
        candidates.stream()
            .filter(c -> !taken.contains(c.port().id()) && c.mark().owner().equals(context.id()))
            .filter(c -> fits(c.port(), placement, entry))
            .findFirst();
    if (found.isEmpty()) {
      found =
          candidates.stream()
              .filter(c -> !taken.contains(c.port().id()) && !c.mark().owner().equals(context.id()))
              .filter(c -> fits(c.port(), placement, entry) && !heldByBrokenServer(c.port()))
              .findFirst();
    }
    if (found.isPresent()) {
      Port port = found.get().port();
      taken.add(port.id());
      if (!found.get().mark().owner().equals(context.id())) {
        // Taken over from the server this one replaces: re-marked first, so that the old row's
        // delete leaves it alone, then unplugged from the old server.
        String from = port.deviceId().isEmpty() ? found.get().mark().fromServer() : port.deviceId();
        HeatMark moved = found.get().mark().takenBy(context.id(), from == null ? "" : from);
        port = cloud.network().ports().update(owner, port.id(), describe(moved.render()));
      }
      if (!port.deviceId().isEmpty() && !port.deviceId().equals(serverId)) {
        detach(owner, port.deviceId(), port.id());
        port = cloud.network().ports().visible(owner, port.id());
      }
      return port;
    }
    List<Ports.AddressRequest> addresses = null;
    if (entry.fixedIp() != null || placement.subnet() != null) {
      addresses =
          List.of(new Ports.AddressRequest(placement.subnet() == null ? null : placement.subnet().id(), entry.fixedIp()));
    }
    Port made =
        cloud.network().ports().create(
            owner,
            new Ports.Spec(
                null, placement.network().id(), context.name() + "-port-" + index,
                HeatMark.of(context.stackId(), context.name(), context.id()).render(), null, null, addresses, null, null,
                securityGroupIds.isEmpty() ? null : securityGroupIds, null, null, null, null));
    taken.add(made.id());
    return made;
  }

  /**
   * A user's port for a {@code port:} entry. When an earlier server of this same resource holds it
   * (a replacement), it is detached from that server first and the move recorded, so that a
   * rollback can give it back.
   */
  Port userPort(ResourceContext context, String ref, String serverId) {
    Actor owner = context.owner();
    Port port = lookups.port(owner, ref);
    if (port.deviceId().isEmpty() || port.deviceId().equals(serverId)) {
      return port;
    }
    HeatMark mine = HeatMark.of(context.stackId(), context.name(), context.id());
    Optional<Server> holder = cloud.servers().servers().find(port.deviceId());
    boolean earlierSelf =
        holder.flatMap(s -> HeatMark.parse(s.description()))
            .filter(m -> m.sameResource(mine) && !m.owner().equals(context.id()))
            .isPresent();
    if (!earlierSelf) {
      return port; // someone else's: Compute refuses it as in use, with its own message
    }
    detach(owner, port.deviceId(), port.id());
    ObjectNode moved = context.data().has(MOVED_USER_PORTS)
        ? (ObjectNode) context.data().get(MOVED_USER_PORTS)
        : context.data().putObject(MOVED_USER_PORTS);
    moved.put(port.id(), holder.get().id());
    return cloud.network().ports().visible(owner, port.id());
  }

  /**
   * After the server is gone: each port this row holds goes back to the server it was taken from
   * when that server is still there (a replacement being rolled back), else is deleted; user ports
   * taken from such a server are plugged back into it.
   */
  void release(ResourceContext context) throws InterruptedException {
    Actor owner = context.owner();
    for (Marked m : marked(context)) {
      if (!m.mark().owner().equals(context.id())) {
        continue;
      }
      Optional<Server> origin = live(m.mark().fromServer());
      if (origin.isPresent() && m.port().deviceId().isEmpty()) {
        HeatMark back = new HeatMark(m.mark().stackId(), m.mark().resourceName(), m.mark().fromRow(), null, null);
        cloud.network().ports().update(owner, m.port().id(), describe(back.render()));
        attach(owner, origin.get().id(), m.port().id());
        continue;
      }
      try {
        cloud.network().ports().delete(owner, m.port().id());
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
    var moved = context.data().path(MOVED_USER_PORTS);
    for (var it = moved.fields(); it.hasNext(); ) {
      var e = it.next();
      Optional<Server> origin = live(e.getValue().asText());
      if (origin.isEmpty()) {
        continue;
      }
      try {
        Port port = cloud.network().ports().visible(owner, e.getKey());
        if (port.deviceId().isEmpty()) {
          attach(owner, origin.get().id(), port.id());
        }
      } catch (ServiceException ex) {
        if (ex.kind() != ServiceException.Kind.NOT_FOUND) {
          throw ex;
        }
      }
    }
  }

  /**
   * Whether the port is plugged into a server in ERROR, which Compute cannot detach it from: a
   * replacement of a failed server makes new ports, and the failed one's go with its row (as Heat
   * deletes the internal ports of a server it replaces in ERROR).
   */
  private boolean heldByBrokenServer(Port port) {
    return !port.deviceId().isEmpty()
        && cloud.servers().servers().find(port.deviceId()).filter(s -> s.status().equals(Server.ERROR)).isPresent();
  }

  /** A server that exists and is not going away. */
  private Optional<Server> live(String serverId) {
    if (serverId == null || serverId.isEmpty()) {
      return Optional.empty();
    }
    return cloud.servers().servers().find(serverId).filter(s -> !"deleting".equals(s.taskState()));
  }

  void detach(Actor owner, String serverId, String portId) {
    try {
      cloud.servers().interfaces().detach(owner, serverId, portId);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  void attach(Actor owner, String serverId, String portId) {
    attach(owner, serverId, portId, null);
  }

  void attach(Actor owner, String serverId, String portId, String tag) {
    cloud.servers().interfaces().attach(
        owner, serverId, new dev.kiln.compute.attach.ServerInterfaces.AttachRequest(portId, null, List.of(), tag));
  }

  void delete(Actor owner, String portId) {
    try {
      cloud.network().ports().delete(owner, portId);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  private static Ports.Spec describe(String description) {
    return new Ports.Spec(null, null, null, description, null, null, null, null, null, null, null, null, null, null);
  }

  static Set<String> newTaken() {
    return new HashSet<>();
  }
}
