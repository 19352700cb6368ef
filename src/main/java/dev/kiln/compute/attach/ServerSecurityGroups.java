package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.SecurityGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Nova's {@code addSecurityGroup} and {@code removeSecurityGroup} server actions: a server's
 * security groups are its ports' groups, so the group is added to (or taken from) every port
 * plugged into the server, through Networking as Nova does it through Neutron. As Nova, any vm
 * state will do (a rescued or stopped server too); a port without port security or addresses
 * cannot take groups (400), a group the project cannot see is a 404, and removing a group none of
 * the ports has is a 404. {@link #ofServer} lists the groups, as {@code
 * /servers/{id}/os-security-groups} shows them.
 *
 * <p>Each port is changed with its revision as the condition ({@code If-Match} in Neutron's
 * terms): two requests that add different groups to one port at once both land, the later one
 * reading the port again, instead of one overwriting the other's list.
 */
public final class ServerSecurityGroups {
  private static final int ATTEMPTS = 5;

  private final Servers servers;
  private final NetworkService network;

  public ServerSecurityGroups(Servers servers, NetworkService network) {
    this.servers = requireNonNull(servers, "servers is null");
    this.network = requireNonNull(network, "network is null");
  }

  /** Adds the group (by name or id) to each of the server's ports that lacks it. */
  public void add(Actor actor, String serverId, String group) {
    Server server = servers.visible(actor, serverId);
    String groupId = find(actor, server, group);
    List<Port> ports = ports(server);
    if (ports.isEmpty()) {
      throw notOnPorts(serverId);
    }
    for (Port port : ports) {
      if (!port.portSecurityEnabled() || port.fixedIps().isEmpty()) {
        throw ServiceException.invalid(
            "SecurityGroupCannotBeApplied",
            "Security groups need port security and an address on the port; port " + port.id() + " has not both.");
      }
    }
    for (Port port : ports) {
      change(actor, port.id(), groupId, true);
    }
  }

  /** Takes the group (by name or id) off each of the server's ports that has it. */
  public void remove(Actor actor, String serverId, String group) {
    Server server = servers.visible(actor, serverId);
    String groupId = find(actor, server, group);
    boolean found = false;
    for (Port port : ports(server)) {
      found |= change(actor, port.id(), groupId, false);
    }
    if (!found) {
      throw ServiceException.notFound(
          "SecurityGroupNotFound", "Security group " + group + " is not associated with the instance " + serverId);
    }
  }

  /** Adds or removes the group on one port, conditional on the revision read; answers whether it changed. */
  private boolean change(Actor actor, String portId, String groupId, boolean add) {
    for (int attempt = 1; ; attempt++) {
      Port port = network.ports().byIds(List.of(portId)).stream().findFirst().orElse(null);
      if (port == null) {
        return false; // unplugged and deleted meanwhile: not the server's any more
      }
      List<String> groups = new ArrayList<>(port.securityGroups());
      if (add == groups.contains(groupId)) {
        return false; // nothing to change on this port
      }
      if (add) {
        groups.add(groupId);
      } else {
        groups.remove(groupId);
      }
      try {
        network.ports().update(actor, portId, groupsOnly(groups), port.revision());
        return true;
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.PRECONDITION_FAILED || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static Ports.Spec groupsOnly(List<String> groups) {
    return new Ports.Spec(null, null, null, null, null, null, null, null, null, List.copyOf(groups), null, null, null, null);
  }

  private List<Port> ports(Server server) {
    List<String> ids = server.ports().stream().map(Server.PluggedPort::portId).toList();
    return ids.isEmpty() ? List.of() : network.ports().byIds(ids);
  }

  /** The group's id: a group of the server's project with this id, else with this name (once). */
  private String find(Actor actor, Server server, String nameOrId) {
    List<SecurityGroup> candidates =
        network.securityGroups().list(actor, server.projectId()).stream()
            .filter(g -> g.projectId().equals(server.projectId()))
            .toList();
    for (SecurityGroup g : candidates) {
      if (g.id().equals(nameOrId)) {
        return g.id();
      }
    }
    List<SecurityGroup> named = candidates.stream().filter(g -> g.name().equals(nameOrId)).toList();
    if (named.size() > 1) {
      throw ServiceException.conflict(
          "NoUniqueMatch", "Multiple security_group matches found for name '" + nameOrId + "', use an ID to be more specific.");
    }
    if (named.isEmpty()) {
      throw ServiceException.notFound(
          "SecurityGroupNotFound", "Security group " + nameOrId + " not found for project " + server.projectId() + ".");
    }
    return named.getFirst().id();
  }

  /**
   * The groups of the server's ports, port by port (a group two ports share comes twice, as Nova
   * lists them), leaving out groups the actor cannot see.
   */
  public List<SecurityGroup> ofServer(Actor actor, String serverId) {
    Server server = servers.visible(actor, serverId);
    java.util.Map<String, SecurityGroup> visible = new java.util.HashMap<>();
    network.securityGroups().list(actor, server.projectId()).forEach(g -> visible.put(g.id(), g));
    List<SecurityGroup> groups = new ArrayList<>();
    for (Port port : ports(server)) {
      for (String id : port.securityGroups()) {
        SecurityGroup group = visible.get(id);
        if (group != null) {
          groups.add(group);
        }
      }
    }
    return groups;
  }

  private static ServiceException notOnPorts(String serverId) {
    return ServiceException.notFound(
        "SecurityGroupNotFound", "instance_id " + serverId + " could not be found as device id on any ports");
  }
}
