package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.compute.actions.ServerRebuilds;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.network.Port;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.compute.ServerProps.NetworkEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A server's updates in place, as Heat's {@code handle_update} makes them: metadata and name set,
 * {@code networks} changed by detaching and attaching interfaces, the flavor resized and confirmed,
 * the image rebuilt. Each step compares what it wants with what the server has now, so an update
 * repeated after a crash finishes the job instead of repeating it.
 */
final class ServerUpdates {
  private final Cloud cloud;
  private final Lookups lookups;
  private final ServerPorts ports;
  private final ServerStates states;

  ServerUpdates(Cloud cloud, Lookups lookups, ServerPorts ports, ServerStates states) {
    this.cloud = requireNonNull(cloud, "cloud is null");
    this.lookups = requireNonNull(lookups, "lookups is null");
    this.ports = requireNonNull(ports, "ports is null");
    this.states = requireNonNull(states, "states is null");
  }

  void update(ResourceContext context, ServerProps before, ServerProps after) throws Exception {
    ServerResource.validate(after);
    Actor owner = context.owner();
    String id = context.physicalId();
    Server server = cloud.servers().servers().visible(owner, id);
    if (!after.metadata().equals(server.metadata()) && !after.metadata().equals(before.metadata())) {
      cloud.servers().servers().setMetadata(owner, id, after.metadata(), true);
    }
    if (!after.tags().equals(before.tags())) {
      cloud.servers().servers().tags().replace(owner, id, after.tags());
    }
    String name = ServerResource.serverName(context, after);
    if (!name.equals(server.name())) {
      cloud.servers().servers().update(owner, id, name, null, false);
    }
    if (!before.networks().equals(after.networks())) {
      disassociateRemoved(context, before, after);
      networks(context, before, after);
      associateFloatingIps(context, after, id);
    }
    if (!Objects.equals(before.flavor(), after.flavor())) {
      resize(context, after);
    }
    if (!Objects.equals(before.image(), after.image()) && after.image() != null) {
      rebuild(context, after);
    }
  }

  /** Resize and confirm (Heat's RESIZE policy); a server already of the flavor is left alone. */
  private void resize(ResourceContext context, ServerProps after) throws Exception {
    Actor owner = context.owner();
    String id = context.physicalId();
    String flavorId = lookups.flavor(owner, after.flavor()).id();
    Server server = states.await(context, id, Server.ACTIVE, Set.of(dev.kiln.compute.moves.ServerMoves.VERIFY_RESIZE,
        dev.kiln.compute.moves.ServerMoves.RESIZE));
    if (!server.flavor().id().equals(flavorId)) {
      cloud.servers().moves().resize(owner, id, flavorId);
      server =
          Waits.until(
              context,
              id,
              "server " + id + " to resize",
              () -> {
                Server s = cloud.servers().servers().get(id);
                if (s.taskState() != null) {
                  return java.util.Optional.empty();
                }
                if (s.status().equals(dev.kiln.compute.moves.ServerMoves.VERIFY_RESIZE)) {
                  return java.util.Optional.of(s);
                }
                if (s.status().equals(Server.ERROR)) {
                  throw ServerStates.inError(s);
                }
                throw new ResourceError("Error", "Resizing to '" + after.flavor() + "' failed, status '" + s.status() + "'");
              });
    }
    if (server.status().equals(dev.kiln.compute.moves.ServerMoves.VERIFY_RESIZE)) {
      cloud.servers().moves().confirm(owner, id);
      states.await(context, id, Server.ACTIVE, Set.of(dev.kiln.compute.moves.ServerMoves.VERIFY_RESIZE));
    }
  }

  /** Rebuild from the new image, keeping the ephemeral disk for REBUILD_PRESERVE_EPHEMERAL. */
  private void rebuild(ResourceContext context, ServerProps after) throws Exception {
    Actor owner = context.owner();
    String id = context.physicalId();
    String imageId = lookups.image(owner, after.image()).id();
    Server server = states.await(context, id, Server.ACTIVE, Set.of(ServerRebuilds.REBUILD));
    if (imageId.equals(server.imageId())) {
      return;
    }
    cloud.servers().rebuilds().rebuild(
        owner, id,
        new ServerRebuilds.Spec(
            imageId, null, after.metadata(), false, null, false, null, false, null,
            after.imageUpdatePolicy().equals("REBUILD_PRESERVE_EPHEMERAL")));
    Server rebuilt = states.await(context, id, Server.ACTIVE, Set.of(ServerRebuilds.REBUILD));
    if (!imageId.equals(rebuilt.imageId())) {
      throw new ResourceError("Error", "Rebuilding server failed, status '" + rebuilt.status() + "'");
    }
  }

  /**
   * Makes the server's interfaces what {@code after.networks} asks for, in place: the interfaces
   * the old entries accounted for and the new ones do not want are detached (a port Heat made is
   * then deleted; a user's port is kept by Networking), then the missing ones attached. Entries
   * that did not change keep their ports.
   */
  private void networks(ResourceContext context, ServerProps before, ServerProps after) throws Exception {
    Actor owner = context.owner();
    String id = context.physicalId();
    states.await(context, id, Server.ACTIVE, Set.of());
    Server server = cloud.servers().servers().get(id);
    List<ServerPorts.Marked> marked = ports.marked(context);
    Set<String> mine = new HashSet<>();
    marked.stream().filter(m -> m.mark().owner().equals(context.id())).forEach(m -> mine.add(m.port().id()));
    List<ServerPorts.Marked> candidates = marked.stream().filter(m -> m.mark().owner().equals(context.id())).toList();

    // What the new entries want, preferring the ports that serve them now.
    Set<String> plugged = new LinkedHashSet<>();
    server.ports().stream().map(PluggedPort::portId).forEach(plugged::add);
    List<String> groupIds = lookups.securityGroupIds(owner, after.securityGroups());
    Set<String> taken = ServerPorts.newTaken();
    List<ServerPorts.Marked> preferred = new ArrayList<>();
    candidates.stream().filter(c -> plugged.contains(c.port().id())).forEach(preferred::add);
    candidates.stream().filter(c -> !plugged.contains(c.port().id())).forEach(preferred::add);
    List<String> wanted = new ArrayList<>();
    boolean auto = false;
    List<Integer> toMake = new ArrayList<>();
    for (int i = 0; i < after.networks().size(); i++) {
      NetworkEntry entry = after.networks().get(i);
      if (entry.allocate() != null) {
        auto = entry.allocate().equals("auto");
      } else if (entry.port() != null) {
        wanted.add(lookups.port(owner, entry.port()).id());
      } else {
        ServerPorts.Placement placement = ports.placement(owner, entry);
        String existing =
            preferred.stream()
                .filter(c -> !taken.contains(c.port().id()) && ServerPorts.fits(c.port(), placement, entry))
                .map(c -> c.port().id()).findFirst().orElse(null);
        if (existing != null) {
          taken.add(existing);
          wanted.add(existing);
        } else {
          wanted.add(null);
          toMake.add(i);
        }
      }
    }

    // What the old entries accounted for: their user ports and the ports Heat made, or every
    // interface when they asked for none in particular (Heat detaches those too).
    Set<String> accounted = new HashSet<>(mine);
    boolean oldUnspecific = before.networks().isEmpty() || before.networks().stream().anyMatch(n -> n.allocate() != null);
    if (oldUnspecific) {
      accounted.addAll(plugged);
    } else {
      for (NetworkEntry n : before.networks()) {
        if (n.port() != null) {
          try {
            accounted.add(lookups.port(owner, n.port()).id());
          } catch (dev.kiln.common.ServiceException e) {
            // a user's port deleted meanwhile: nothing to detach
          }
        }
      }
    }
    boolean keepAuto = auto && oldUnspecific && !plugged.isEmpty() && after.networks().equals(before.networks());
    for (String portId : plugged) {
      if (accounted.contains(portId) && !wanted.contains(portId) && !keepAuto) {
        ports.detach(owner, id, portId);
      }
    }
    // Ports Heat made that no entry wants any more go, plugged or not.
    for (String portId : mine) {
      if (!wanted.contains(portId)) {
        ports.delete(owner, portId);
      }
    }
    for (int i : toMake) {
      Port made = ports.portFor(context, after.networks().get(i), i, groupIds, List.of(), taken, id);
      wanted.set(wanted.indexOf(null), made.id());
    }
    Set<String> now = new HashSet<>();
    cloud.servers().servers().get(id).ports().forEach(p -> now.add(p.portId()));
    List<NetworkEntry> specific = after.networks().stream().filter(n -> n.allocate() == null).toList();
    for (int i = 0; i < wanted.size(); i++) {
      if (!now.contains(wanted.get(i))) {
        ports.attach(owner, id, wanted.get(i), specific.get(i).tag());
      }
    }
    if (auto && cloud.servers().servers().get(id).ports().isEmpty()) {
      cloud.servers().interfaces().attach(
          owner, id, new dev.kiln.compute.attach.ServerInterfaces.AttachRequest(null, null, List.of(), null));
    }
  }

  /**
   * Associates each entry's floating IP with the entry's port (Heat's {@code floating_ip} key): a
   * user's port, or the port Heat made for the entry. One already associated there is left alone.
   */
  void associateFloatingIps(ResourceContext context, ServerProps props, String serverId) {
    if (props.networks().stream().noneMatch(n -> n.floatingIp() != null)) {
      return;
    }
    Actor owner = context.owner();
    List<ServerPorts.Marked> mine =
        ports.marked(context).stream().filter(m -> m.mark().owner().equals(context.id())).toList();
    Set<String> used = new HashSet<>();
    for (NetworkEntry n : props.networks()) {
      String portId = null;
      if (n.port() != null) {
        portId = lookups.port(owner, n.port()).id();
      } else if (n.madeByHeat()) {
        ServerPorts.Placement placement = ports.placement(owner, n);
        portId = mine.stream()
            .filter(m -> !used.contains(m.port().id()) && ServerPorts.fits(m.port(), placement, n))
            .map(m -> m.port().id()).findFirst().orElse(null);
      }
      if (portId == null) {
        continue;
      }
      used.add(portId);
      if (n.floatingIp() == null) {
        continue;
      }
      var floating = cloud.network().floatingIps().visible(owner, n.floatingIp());
      if (!portId.equals(floating.portId())) {
        cloud.network().floatingIps().update(
            owner, floating.id(), new dev.kiln.network.FloatingIps.Change(true, portId, n.fixedIp(), null), null);
      }
    }
  }

  /** The floating IPs of entries that are gone are disassociated, as Heat does on a networks update. */
  private void disassociateRemoved(ResourceContext context, ServerProps before, ServerProps after) {
    Set<String> kept = new HashSet<>();
    after.networks().stream().map(NetworkEntry::floatingIp).filter(Objects::nonNull).forEach(kept::add);
    for (NetworkEntry n : before.networks()) {
      if (n.floatingIp() != null && !kept.contains(n.floatingIp())) {
        try {
          cloud.network().floatingIps().update(
              context.owner(), n.floatingIp(), new dev.kiln.network.FloatingIps.Change(true, null, null, null), null);
        } catch (dev.kiln.common.ServiceException e) {
          if (e.kind() != dev.kiln.common.ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
        }
      }
    }
  }
}
