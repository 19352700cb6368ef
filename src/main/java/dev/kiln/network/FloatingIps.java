package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.store.FloatingIpStore;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.PortForwardingStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.RouterStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Neutron floating IPs: an address allocated from an external network (a port Networking owns, so
 * allocation runs under the external subnet's lock like any port's and two floating IPs never get
 * one address), associated with a fixed address of a port on a subnet that a router connects to
 * that external network.
 *
 * <p>Locks are taken in one order everywhere: the router, then the internal port, then the floating
 * IP (deleting a port takes the port, then clears its floating IPs), so an association never lands
 * on a port being deleted or on an interface being removed, and one fixed address gets at most one
 * floating IP per external network (also a unique constraint).
 */
public final class FloatingIps {
  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;
  private final Ports ports;

  public FloatingIps(Database db, IdGenerator ids, Networks networks, Ports ports) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.ports = requireNonNull(ports, "ports is null");
  }

  /**
   * What a create asks for; null means "the default".
   *
   * @param floatingIpAddress a specific address (admins only)
   * @param subnetId the external subnet to take the address from
   */
  public record Spec(
      String projectId,
      String floatingNetworkId,
      String floatingIpAddress,
      String subnetId,
      String portId,
      String fixedIpAddress,
      String description) {}

  /**
   * What an update asks for.
   *
   * @param portGiven whether the request named {@code port_id}; with a null {@code portId} it
   *     disassociates
   */
  public record Change(boolean portGiven, String portId, String fixedIpAddress, String description) {}

  /** Where an association maps to: a fixed address of a port, through a router. */
  private record Target(String portId, String fixedIp, String routerId) {}

  public FloatingIp create(Actor actor, Spec spec) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    if (spec.floatingIpAddress() != null && !actor.admin()) {
      throw NetworkErrors.policy("create_floatingip:floating_ip_address");
    }
    Network network = networks.visible(actor, spec.floatingNetworkId());
    if (!network.external()) {
      throw NetworkErrors.badRequest("floatingip", "Network " + network.id() + " is not a valid external network");
    }
    if (spec.fixedIpAddress() != null && spec.portId() == null) {
      throw NetworkErrors.badRequest("floatingip", "fixed_ip_address cannot be specified without a port_id");
    }
    Port internal = spec.portId() == null ? null : ports.visible(actor, spec.portId());
    String id = ids.uuid();
    Instant now = networks.now();
    try {
      return db.inTransaction(
          sql -> {
            Target target =
                internal == null ? null : lockTarget(sql, actor, project, network.id(), internal, spec.fixedIpAddress(), id);
            NetworkStore store = new NetworkStore(sql);
            store.lockNetwork(network.id()).orElseThrow(() -> NetworkErrors.networkNotFound(network.id()));
            if (!store.subnets().hasSubnetOfVersion(network.id(), 4)) {
              throw NetworkErrors.badRequest("floatingip", "Network " + network.id() + " does not contain any IPv4 subnet");
            }
            // Resource locks (the external network's) before the project's quota lock, always.
            NetworkQuotas.reserve(sql, project, "floatingip", 1);
            List<AddressRequest> wanted =
                spec.floatingIpAddress() == null && spec.subnetId() == null
                    ? null
                    : List.of(new AddressRequest(spec.subnetId(), spec.floatingIpAddress()));
            // The network's lock is held since above: the port is made without taking it again.
            Port port =
                ports.createDevicePortOnLockedNetwork(store, "", network.id(), wanted, false, id, FloatingIp.PORT_OWNER, "N/A");
            Port.FixedIp address =
                port.fixedIps().stream()
                    .filter(ip -> IpAddresses.parse(ip.ipAddress()).version() == 4)
                    .findFirst()
                    .orElseThrow(() -> ServiceException.invalid(
                        "ExternalIpAddressExhausted",
                        "Unable to find any IP address on external network " + network.id() + "."));
            FloatingIp fip =
                new FloatingIp(
                    id, project, network.id(), port.id(), address.ipAddress(), target == null ? null : target.portId(),
                    target == null ? null : target.fixedIp(), target == null ? null : target.routerId(),
                    requireNonNullElse(spec.description(), ""), 1, now, now);
            new FloatingIpStore(sql).insert(fip);
            return fip;
          });
    } catch (StoreException e) {
      throw translate(e, spec.portId());
    }
  }

  /** A floating IP the actor may see: its project's, or any for an admin. */
  public FloatingIp visible(Actor actor, String id) {
    FloatingIp fip = new FloatingIpStore(db.sql()).find(id).orElseThrow(() -> NetworkErrors.floatingIpNotFound(id));
    if (!actor.owns(fip.projectId())) {
      throw NetworkErrors.floatingIpNotFound(id);
    }
    return fip;
  }

  /**
   * One page of the floating IPs the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<FloatingIp> page(Actor actor, Listing listing) {
    if (!actor.admin() && actor.projectId() == null) {
      return Listing.nothingVisible(listing);
    }
    List<String> ids =
        new ListStore(db.sql()).floatingIps(actor.admin() ? null : actor.projectId(), listing)
            .orElseThrow(listing::markerNotFound);
    return ids.isEmpty() ? List.of() : Listing.inOrder(ids, new FloatingIpStore(db.sql()).byIds(ids), FloatingIp::id);
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(Collection<String> attributes) {
    return ListStore.floatingIpsCover(attributes);
  }

  public List<FloatingIp> list(Actor actor) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new FloatingIpStore(db.sql()).list(actor.admin() ? null : actor.projectId());
  }

  /**
   * Associates (a port given), disassociates (a null port given) or redescribes a floating IP. A
   * floating IP already associated moves to the new port, as in Neutron.
   */
  public FloatingIp update(Actor actor, String id, Change change, Long expectedRevision) {
    FloatingIp current = visible(actor, id);
    if (change.fixedIpAddress() != null && (!change.portGiven() || change.portId() == null)) {
      throw NetworkErrors.badRequest("floatingip", "fixed_ip_address cannot be specified without a port_id");
    }
    Port internal = change.portGiven() && change.portId() != null ? ports.visible(actor, change.portId()) : null;
    try {
      return db.inTransaction(
          sql -> {
            Target target =
                internal == null
                    ? null
                    : lockTarget(sql, actor, current.projectId(), current.floatingNetworkId(), internal,
                        change.fixedIpAddress(), id);
            FloatingIpStore store = new FloatingIpStore(sql);
            FloatingIp old = store.lock(id).orElseThrow(() -> NetworkErrors.floatingIpNotFound(id));
            NetworkErrors.checkRevision(expectedRevision, old.revision());
            if (target != null) {
              checkNoForwardings(sql, old, target.portId());
            }
            String portId = old.portId();
            String fixedIp = old.fixedIpAddress();
            String routerId = old.routerId();
            if (change.portGiven()) {
              portId = target == null ? null : target.portId();
              fixedIp = target == null ? null : target.fixedIp();
              routerId = target == null ? null : target.routerId();
            }
            FloatingIp updated =
                new FloatingIp(
                    id, old.projectId(), old.floatingNetworkId(), old.floatingPortId(), old.floatingIpAddress(), portId,
                    fixedIp, routerId, requireNonNullElse(change.description(), old.description()), old.revision() + 1,
                    old.createdAt(), networks.now());
            if (!store.update(updated, old.revision())) {
              throw NetworkErrors.concurrentChange("Floating IP", id);
            }
            return updated;
          });
    } catch (StoreException e) {
      throw translate(e, change.portId());
    }
  }

  /** Releases a floating IP: the association and the address go. */
  public void delete(Actor actor, String id) {
    visible(actor, id);
    db.inTransaction(
        sql -> {
          FloatingIpStore store = new FloatingIpStore(sql);
          FloatingIp fip = store.lock(id).orElseThrow(() -> NetworkErrors.floatingIpNotFound(id));
          if (!new PortForwardingStore(sql).ofFloatingIp(id).isEmpty()) {
            throw fipInUseByForwarding(id);
          }
          store.delete(id);
          new TagStore(sql).removeAll(id);
          Routers.deletePort(sql, fip.floatingPortId());
          return null;
        });
  }

  /**
   * Deletes the floating IPs of an external network that is being deleted, as Neutron does,
   * when none is associated with a port or forwards ports (those keep the network in use: their
   * ports stay, and the delete is refused). Inside the caller's transaction, under the network's lock.
   */
  static void deleteDisassociated(Sql sql, String networkId) {
    FloatingIpStore store = new FloatingIpStore(sql);
    List<FloatingIp> all = store.lockOnNetwork(networkId);
    PortForwardingStore forwardings = new PortForwardingStore(sql);
    if (all.stream().anyMatch(f -> f.portId() != null || !forwardings.ofFloatingIp(f.id()).isEmpty())) {
      return;
    }
    for (FloatingIp fip : all) {
      store.delete(fip.id());
      new TagStore(sql).removeAll(fip.id());
      Routers.deletePort(sql, fip.floatingPortId());
    }
  }

  // For Compute, which has already checked who may see the ports' servers

  /** The floating IPs associated with any of these ports, whoever owns them. */
  public List<FloatingIp> byPorts(Collection<String> portIds) {
    if (portIds.isEmpty()) {
      return List.of();
    }
    return new FloatingIpStore(db.sql()).byFixedPorts(portIds);
  }

  /**
   * Clears the floating IPs associated with these ports (they stay allocated to their projects);
   * answers how many there were. Neutron does this when a port is deleted, which {@link
   * Ports#delete} already does.
   */
  public int disassociatePorts(Collection<String> portIds) {
    if (portIds.isEmpty()) {
      return 0;
    }
    return db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          portIds.stream().sorted().forEach(store::lockPort);
          return new FloatingIpStore(sql).clearForPorts(portIds, networks.now());
        });
  }

  // Association

  /**
   * Works out and locks where a floating IP of {@code projectId} on {@code externalNetworkId} would
   * map to on {@code internal}: the fixed address (given, or the port's only IPv4 one) and the
   * router that connects its subnet to the external network. Takes the router's lock, then the
   * port's, then checks everything again under them.
   */
  private Target lockTarget(
      Sql sql, Actor actor, String projectId, String externalNetworkId, Port internal, String fixedIp, String fipId) {
    Port.FixedIp address = fixedAddress(actor, projectId, internal, fixedIp);
    String routerId = router(sql, internal.id(), address.subnetId(), externalNetworkId);
    new RouterStore(sql).lock(routerId);
    Port locked = new NetworkStore(sql).lockPort(internal.id()).orElseThrow(() -> NetworkErrors.portNotFound(internal.id()));
    Port.FixedIp again = fixedAddress(actor, projectId, locked, address.ipAddress());
    if (!router(sql, locked.id(), again.subnetId(), externalNetworkId).equals(routerId)) {
      throw ServiceException.conflict("Conflict", "The routers of port " + locked.id() + " changed meanwhile; retry.");
    }
    new FloatingIpStore(sql)
        .findByFixed(externalNetworkId, locked.id(), again.ipAddress())
        .filter(other -> !other.id().equals(fipId))
        .ifPresent(other -> {
          throw alreadyAssociated(other.floatingIpAddress(), other.id(), locked.id(), again.ipAddress(), externalNetworkId);
        });
    return new Target(locked.id(), again.ipAddress(), routerId);
  }

  /** Neutron's checks of the port and address a floating IP is to map to. */
  private static Port.FixedIp fixedAddress(Actor actor, String projectId, Port port, String fixedIp) {
    if (!port.projectId().equals(projectId) && !actor.admin()) {
      throw NetworkErrors.badRequest(
          "floatingip",
          "Cannot process floating IP association with Port " + port.id() + ", since that port is owned by a different tenant");
    }
    if (!isFloatingIpServiced(port.deviceOwner())) {
      throw NetworkErrors.badRequest("floatingip", "Port " + port.id() + " is unable to be assigned a floating IP");
    }
    if (fixedIp != null) {
      Ip ip = IpAddresses.parse(fixedIp);
      if (ip == null || ip.version() != 4) {
        throw NetworkErrors.badRequest(
            "floatingip", "Cannot process floating IP association with " + fixedIp + ", since that is not an IPv4 address");
      }
      String canonical = ip.toString();
      return port.fixedIps().stream()
          .filter(a -> a.ipAddress().equals(canonical))
          .findFirst()
          .orElseThrow(() -> NetworkErrors.badRequest("floatingip", "Port " + port.id() + " does not have fixed ip " + canonical));
    }
    List<Port.FixedIp> v4 = port.fixedIps().stream().filter(a -> IpAddresses.parse(a.ipAddress()).version() == 4).toList();
    if (v4.isEmpty()) {
      throw NetworkErrors.badRequest(
          "floatingip", "Cannot add floating IP to port " + port.id() + " that has no fixed IPv4 addresses");
    }
    if (v4.size() > 1) {
      throw NetworkErrors.badRequest(
          "floatingip",
          "Port " + port.id() + " has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning"
              + " a floating IP");
    }
    return v4.getFirst();
  }

  /** Ports of servers and of users take floating IPs; Networking's own ports do not. */
  private static boolean isFloatingIpServiced(String deviceOwner) {
    return deviceOwner.startsWith("compute:") || !deviceOwner.startsWith("network:");
  }

  /**
   * The router that connects the subnet to the external network: the one whose interface there is
   * the subnet's gateway, else the first; none is Neutron's 404.
   */
  static String router(Sql sql, String portId, String subnetId, String externalNetworkId) {
    List<String[]> candidates = new RouterStore(sql).routersConnecting(subnetId, externalNetworkId);
    if (candidates.isEmpty()) {
      throw ServiceException.notFound(
          "ExternalGatewayForFloatingIPNotFound",
          "External network " + externalNetworkId + " is not reachable from subnet " + subnetId
              + ".  Therefore, cannot associate Port " + portId + " with a Floating IP.");
    }
    String gateway = new NetworkStore(sql).subnets().findSubnet(subnetId).map(Subnet::gatewayIp).orElse(null);
    return candidates.stream().filter(c -> c[1].equals(gateway)).findFirst().orElse(candidates.getFirst())[0];
  }

  /**
   * A floating IP that forwards ports cannot also be associated with a port, and a port that
   * receives forwarded traffic cannot get a floating IP of its own, as in Neutron.
   */
  private static void checkNoForwardings(Sql sql, FloatingIp fip, String portId) {
    PortForwardingStore forwardings = new PortForwardingStore(sql);
    if (!forwardings.ofFloatingIp(fip.id()).isEmpty()) {
      throw fipInUseByForwarding(fip.id());
    }
    if (forwardings.countForPort(portId) > 0) {
      throw NetworkErrors.badRequest(
          "floatingip", "Port " + portId + " receives port forwardings, so no floating IP can be associated with it.");
    }
  }

  private static ServiceException fipInUseByForwarding(String id) {
    return ServiceException.conflict(
        "FipInUseByPortForwarding", "Floating IP " + id + " is in use by port forwardings; delete them first.");
  }

  private static ServiceException alreadyAssociated(String address, String fipId, String portId, String fixedIp, String netId) {
    return ServiceException.conflict(
        "FloatingIPPortAlreadyAssociated",
        "Cannot associate floating IP " + address + " (" + fipId + ") with port " + portId + " using fixed IP " + fixedIp
            + ", as that fixed IP already has a floating IP on external network " + netId + ".");
  }

  /** The unique constraint is the last word when two associations race past the checks. */
  private static RuntimeException translate(StoreException e, String portId) {
    return switch (e.kind()) {
      case DUPLICATE -> ServiceException.conflict(
          "FloatingIPPortAlreadyAssociated",
          "Cannot associate a floating IP with port " + portId + ": that fixed IP already has a floating IP on this"
              + " external network.");
      case REFERENCED -> NetworkErrors.portNotFound(portId);
      default -> e;
    };
  }
}
