package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.FloatingIps;
import dev.kiln.network.Network;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova's floating IP proxies (before 2.36: {@code os-floating-ips}, {@code os-floating-ip-pools})
 * and the {@code addFloatingIp}/{@code removeFloatingIp} server actions (before 2.44), done as Nova
 * does them with Neutron: Networking's floating IPs seen the Nova way (pools are the external
 * networks, a floating IP's instance is the device of its port), and an association is Networking's
 * update of the floating IP to the server port that holds the fixed address. Networking's
 * refusals take Nova's codes: an address already taken by another floating IP of that external
 * network is a 400 (Nova's FloatingIpAssociateFailed), no free address is a 404, over quota a 403.
 * Networking serialises each change under the floating IP's row, so racing associations leave one
 * association.
 */
public final class ServerFloatingIps {
  private final Servers servers;
  private final NetworkService network;

  public ServerFloatingIps(Servers servers, NetworkService network) {
    this.servers = requireNonNull(servers, "servers is null");
    this.network = requireNonNull(network, "network is null");
  }

  /**
   * A floating IP as Nova shows it.
   *
   * @param pool the external network's name
   * @param fixedIp the associated fixed address, or null
   * @param instanceId the server whose port it is associated with, or null
   */
  public record NovaFloatingIp(String id, String pool, String ip, String fixedIp, String instanceId) {}

  /** The pools: the external networks the actor sees, by name. */
  public List<String> pools(Actor actor) {
    return externalNetworks(actor).stream().map(Network::name).toList();
  }

  /** The floating IPs of the actor's project. */
  public List<NovaFloatingIp> list(Actor actor) {
    List<FloatingIp> mine =
        network.floatingIps().list(actor).stream().filter(f -> f.projectId().equals(actor.projectId())).toList();
    return view(actor, mine);
  }

  public NovaFloatingIp get(Actor actor, String id) {
    return view(actor, List.of(visible(actor, id))).getFirst();
  }

  /**
   * Allocates a floating IP from the pool named (an external network's name or id), or from the
   * default external network when none is named.
   */
  public NovaFloatingIp allocate(Actor actor, String pool) {
    List<Network> external = externalNetworks(actor);
    Network chosen =
        (pool == null
                ? external.stream().filter(Network::isDefault).findFirst()
                    .or(() -> external.size() == 1 ? Optional.of(external.getFirst()) : Optional.empty())
                : external.stream().filter(n -> n.id().equals(pool) || n.name().equals(pool)).findFirst())
            .orElseThrow(() -> ServiceException.notFound("FloatingIpPoolNotFound", "Floating IP pool not found."));
    FloatingIp made;
    try {
      made = network.floatingIps().create(
          actor, new FloatingIps.Spec(null, chosen.id(), null, null, null, null, null));
    } catch (ServiceException e) {
      if (e.type().contains("OverQuota")) {
        throw ServiceException.forbidden("FloatingIpLimitExceeded", "IP allocation over quota in pool " + chosen.name() + ".");
      }
      if (e.kind() == ServiceException.Kind.CONFLICT) {
        throw ServiceException.notFound("NoMoreFloatingIps", "No more floating IPs in pool " + chosen.name() + ".");
      }
      throw e;
    }
    return view(actor, List.of(made)).getFirst();
  }

  /** Releases a floating IP (disassociating it first, as Networking's delete does). */
  public void release(Actor actor, String id) {
    network.floatingIps().delete(actor, visible(actor, id).id());
  }

  /**
   * Associates the floating IP at {@code address} with the server's port that has {@code
   * fixedAddress}, or its first IPv4 address when null.
   */
  public void associate(Actor actor, String serverId, String address, String fixedAddress) {
    Server server = servers.visible(actor, serverId);
    List<Port> ports = ports(server);
    Map<String, String> portOfAddress = new HashMap<>();
    List<String> fixed = new ArrayList<>();
    for (Port p : ports) {
      for (Port.FixedIp ip : p.fixedIps()) {
        portOfAddress.putIfAbsent(ip.ipAddress(), p.id());
        fixed.add(ip.ipAddress());
      }
    }
    if (fixed.isEmpty()) {
      throw ServiceException.invalid("BadRequest", "No fixed IPs associated to instance");
    }
    String target;
    if (fixedAddress != null) {
      if (!portOfAddress.containsKey(fixedAddress)) {
        throw ServiceException.invalid("BadRequest", "Specified fixed address not assigned to instance");
      }
      target = fixedAddress;
    } else {
      target = fixed.stream().filter(a -> !a.contains(":")).findFirst()
          .orElseThrow(() -> ServiceException.invalid("BadRequest",
              "Unable to associate floating IP " + address + " to any fixed IPs for instance " + serverId
                  + ". Instance has no fixed IPv4 addresses to associate."));
    }
    FloatingIp fip = byAddress(actor, address);
    try {
      network.floatingIps().update(actor, fip.id(), new FloatingIps.Change(true, portOfAddress.get(target), target, null), null);
    } catch (ServiceException e) {
      throw ServiceException.invalid(
          "FloatingIpAssociateFailed",
          "Unable to associate floating IP " + address + " to fixed IP " + target + " for instance " + serverId
              + ". Error: " + e.getMessage());
    }
  }

  /** Disassociates the floating IP at {@code address}, which must be associated with this server. */
  public void disassociate(Actor actor, String serverId, String address) {
    FloatingIp fip = byAddress(actor, address);
    Server server = servers.visible(actor, serverId);
    List<String> serverPorts = server.ports().stream().map(Server.PluggedPort::portId).toList();
    if (fip.portId() == null || !serverPorts.contains(fip.portId())) {
      throw ServiceException.conflict(
          "FloatingIpNotAssociated", "Floating IP " + address + " is not associated with instance " + serverId + ".");
    }
    network.floatingIps().update(actor, fip.id(), new FloatingIps.Change(true, null, null, null), null);
  }

  private FloatingIp visible(Actor actor, String id) {
    try {
      return network.floatingIps().visible(actor, id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      throw ServiceException.notFound("FloatingIpNotFound", "Floating IP not found for ID " + id);
    }
  }

  private FloatingIp byAddress(Actor actor, String address) {
    return network.floatingIps().list(actor).stream()
        .filter(f -> f.floatingIpAddress().equals(address))
        .findFirst()
        .orElseThrow(() -> ServiceException.notFound(
            "FloatingIpNotFoundForAddress", "Floating IP not found for address " + address + "."));
  }

  private List<Port> ports(Server server) {
    List<String> ids = server.ports().stream().map(Server.PluggedPort::portId).toList();
    return ids.isEmpty() ? List.of() : network.ports().byIds(ids);
  }

  private List<Network> externalNetworks(Actor actor) {
    return network.networks().list(actor).stream().filter(Network::external).toList();
  }

  private List<NovaFloatingIp> view(Actor actor, List<FloatingIp> fips) {
    Map<String, String> names = new HashMap<>();
    for (Network n : network.networks().list(actor)) {
      names.put(n.id(), n.name());
    }
    List<String> portIds = fips.stream().map(FloatingIp::portId).filter(java.util.Objects::nonNull).toList();
    Map<String, String> deviceOf = new HashMap<>();
    if (!portIds.isEmpty()) {
      network.ports().byIds(portIds).forEach(p -> deviceOf.put(p.id(), p.deviceId().isEmpty() ? null : p.deviceId()));
    }
    return fips.stream()
        .map(f -> new NovaFloatingIp(
            f.id(), names.get(f.floatingNetworkId()), f.floatingIpAddress(), f.fixedIpAddress(),
            f.portId() == null ? null : deviceOf.get(f.portId())))
        .toList();
  }
}
