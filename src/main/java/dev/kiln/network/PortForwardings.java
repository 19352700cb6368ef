package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.store.FloatingIpStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.PortForwardingStore;
import dev.kiln.network.store.RouterStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.util.List;
import java.util.Set;

/**
 * Floating IP port forwardings ({@code floating-ip-port-forwarding}): one floating IP serves
 * several internal ports, one external port (by protocol) each. A floating IP that forwards is not
 * associated with a port, and the other way round; its router is the one that connects the
 * internal subnet to the floating IP's network, the same for all its forwardings.
 *
 * <p>Locks follow the floating IPs' order: the router, the internal port, then the floating IP.
 */
public final class PortForwardings {
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "udplite", "dccp", "sctp");

  private final Database db;
  private final IdGenerator ids;
  private final FloatingIps floatingIps;
  private final Ports ports;

  public PortForwardings(Database db, IdGenerator ids, FloatingIps floatingIps, Ports ports) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.floatingIps = requireNonNull(floatingIps, "floatingIps is null");
    this.ports = requireNonNull(ports, "ports is null");
  }

  /** What a create or update asks for; null means "unchanged" on update. */
  public record Spec(
      String internalPortId, String internalIpAddress, Integer internalPort, Integer externalPort, String protocol,
      String description) {}

  public PortForwarding create(Actor actor, String floatingIpId, Spec spec) {
    FloatingIp fip = floatingIps.visible(actor, floatingIpId);
    if (spec.internalPortId() == null || spec.internalPort() == null || spec.externalPort() == null
        || spec.protocol() == null) {
      throw badRequest("internal_port_id, internal_port, external_port and protocol are required.");
    }
    checkFields(spec);
    Port internal = ports.visible(actor, spec.internalPortId());
    String id = ids.uuid();
    return write(
        spec,
        sql -> {
          Placed placed = place(sql, internal, spec.internalIpAddress(), fip);
          FloatingIpStore fips = new FloatingIpStore(sql);
          FloatingIp locked = fips.lock(floatingIpId).orElseThrow(() -> NetworkErrors.floatingIpNotFound(floatingIpId));
          if (locked.portId() != null) {
            throw ServiceException.conflict(
                "FloatingIPPortAlreadyAssociated",
                "Floating IP " + locked.floatingIpAddress() + " (" + locked.id() + ") is associated with port "
                    + locked.portId() + "; a floating IP forwards ports only while it is not associated.");
          }
          claimRouter(fips, locked, placed.routerId());
          PortForwarding made =
              new PortForwarding(
                  id, floatingIpId, internal.id(), placed.address(), spec.internalPort(), spec.externalPort(),
                  spec.protocol(), requireNonNullElse(spec.description(), ""));
          new PortForwardingStore(sql).insert(made);
          return made;
        });
  }

  public PortForwarding visible(Actor actor, String floatingIpId, String id) {
    floatingIps.visible(actor, floatingIpId);
    return new PortForwardingStore(db.sql()).find(id)
        .filter(f -> f.floatingIpId().equals(floatingIpId))
        .orElseThrow(() -> notFound(id));
  }

  public List<PortForwarding> list(Actor actor, String floatingIpId) {
    floatingIps.visible(actor, floatingIpId);
    return new PortForwardingStore(db.sql()).ofFloatingIp(floatingIpId);
  }

  /** The forwardings of these floating IPs, for their views (the caller has checked who sees them). */
  public java.util.Map<String, List<PortForwarding>> ofFloatingIps(java.util.Collection<String> floatingIpIds) {
    return new PortForwardingStore(db.sql()).ofFloatingIps(floatingIpIds);
  }

  public PortForwarding update(Actor actor, String floatingIpId, String id, Spec changes) {
    PortForwarding old = visible(actor, floatingIpId, id);
    FloatingIp fip = floatingIps.visible(actor, floatingIpId);
    checkFields(changes);
    Port internal = ports.visible(actor, requireNonNullElse(changes.internalPortId(), old.internalPortId()));
    return write(
        changes,
        sql -> {
          String wanted =
              changes.internalIpAddress() != null || changes.internalPortId() == null ? changes.internalIpAddress()
                  : null;
          Placed placed =
              place(sql, internal, wanted == null && internal.id().equals(old.internalPortId()) ? old.internalIpAddress() : wanted, fip);
          FloatingIpStore fips = new FloatingIpStore(sql);
          FloatingIp locked = fips.lock(floatingIpId).orElseThrow(() -> NetworkErrors.floatingIpNotFound(floatingIpId));
          if (!placed.routerId().equals(locked.routerId())) {
            throw badRequest(
                "Floating IP " + floatingIpId + " forwards through router " + locked.routerId() + ", which port "
                    + internal.id() + " cannot reach.");
          }
          PortForwardingStore store = new PortForwardingStore(sql);
          PortForwarding current = store.find(id).orElseThrow(() -> notFound(id));
          PortForwarding updated =
              new PortForwarding(
                  id, floatingIpId, internal.id(), placed.address(),
                  requireNonNullElse(changes.internalPort(), current.internalPort()),
                  requireNonNullElse(changes.externalPort(), current.externalPort()),
                  requireNonNullElse(changes.protocol(), current.protocol()),
                  requireNonNullElse(changes.description(), current.description()));
          store.update(updated);
          return updated;
        });
  }

  /** Deletes a forwarding; the floating IP's last one takes its router away with it. */
  public void delete(Actor actor, String floatingIpId, String id) {
    visible(actor, floatingIpId, id);
    db.inTransaction(
        sql -> {
          FloatingIpStore fips = new FloatingIpStore(sql);
          FloatingIp locked = fips.lock(floatingIpId).orElseThrow(() -> NetworkErrors.floatingIpNotFound(floatingIpId));
          PortForwardingStore store = new PortForwardingStore(sql);
          if (store.delete(id) == 0) {
            throw notFound(id);
          }
          if (store.ofFloatingIp(floatingIpId).isEmpty()) {
            releaseRouter(fips, locked);
          }
          return null;
        });
  }

  /**
   * Removes the forwardings to a port that is being deleted (under its lock), as Neutron does, and
   * frees the routers of floating IPs left with none.
   */
  static void forgetPort(Sql sql, String portId, java.time.Instant now) {
    PortForwardingStore store = new PortForwardingStore(sql);
    List<String> affected = store.floatingIpsForPort(portId);
    if (affected.isEmpty()) {
      return;
    }
    store.deleteForPort(portId);
    FloatingIpStore fips = new FloatingIpStore(sql);
    for (String fipId : affected) {
      fips.lock(fipId).filter(f -> store.ofFloatingIp(fipId).isEmpty()).ifPresent(f -> releaseRouter(fips, f));
    }
  }

  private record Placed(String address, String routerId) {}

  /**
   * The internal address (given, or the port's first IPv4 one) and the router that connects its
   * subnet to the floating IP's network; locks the router, then the port, and refuses a port whose
   * address already has a floating IP of its own.
   */
  private static Placed place(Sql sql, Port internal, String wanted, FloatingIp fip) {
    Port.FixedIp address = internalAddress(internal, wanted);
    String routerId = FloatingIps.router(sql, internal.id(), address.subnetId(), fip.floatingNetworkId());
    new RouterStore(sql).lock(routerId);
    Port locked = new NetworkStore(sql).lockPort(internal.id()).orElseThrow(() -> NetworkErrors.portNotFound(internal.id()));
    Port.FixedIp again = internalAddress(locked, address.ipAddress());
    new FloatingIpStore(sql)
        .findByFixed(fip.floatingNetworkId(), locked.id(), again.ipAddress())
        .ifPresent(other -> {
          throw ServiceException.conflict(
              "PortHasBindingFloatingIP",
              "Port " + locked.id() + " already has floating IP " + other.floatingIpAddress() + " on " + again.ipAddress()
                  + ", so floating IP " + fip.floatingIpAddress() + " cannot forward to it.");
        });
    return new Placed(again.ipAddress(), routerId);
  }

  private static Port.FixedIp internalAddress(Port port, String wanted) {
    List<Port.FixedIp> v4 = port.fixedIps().stream().filter(a -> IpAddresses.parse(a.ipAddress()).version() == 4).toList();
    if (v4.isEmpty()) {
      throw badRequest("Internal port " + port.id() + " needs an IPv4 address to forward to.");
    }
    if (wanted == null) {
      return v4.getFirst();
    }
    Ip ip = IpAddresses.parse(wanted);
    String canonical = ip == null ? wanted : ip.toString();
    return v4.stream()
        .filter(a -> a.ipAddress().equals(canonical))
        .findFirst()
        .orElseThrow(() -> badRequest(
            "Internal IP address " + wanted + " is not an IPv4 address of port " + port.id() + "."));
  }

  /** A floating IP's forwardings all go through one router, taken by its first forwarding. */
  private static void claimRouter(FloatingIpStore fips, FloatingIp fip, String routerId) {
    if (fip.routerId() == null) {
      if (!fips.update(withRouter(fip, routerId), fip.revision())) {
        throw NetworkErrors.concurrentChange("Floating IP", fip.id());
      }
    } else if (!fip.routerId().equals(routerId)) {
      throw badRequest(
          "Floating IP " + fip.id() + " forwards through router " + fip.routerId() + ", which the internal port cannot"
              + " reach.");
    }
  }

  private static void releaseRouter(FloatingIpStore fips, FloatingIp fip) {
    if (fip.routerId() != null && fip.portId() == null) {
      if (!fips.update(withRouter(fip, null), fip.revision())) {
        throw NetworkErrors.concurrentChange("Floating IP", fip.id());
      }
    }
  }

  private static FloatingIp withRouter(FloatingIp f, String routerId) {
    return new FloatingIp(
        f.id(), f.projectId(), f.floatingNetworkId(), f.floatingPortId(), f.floatingIpAddress(), f.portId(),
        f.fixedIpAddress(), routerId, f.description(), f.revision() + 1, f.createdAt(), f.updatedAt());
  }

  private static void checkFields(Spec spec) {
    checkPort("internal_port", spec.internalPort());
    checkPort("external_port", spec.externalPort());
    if (spec.protocol() != null && !PROTOCOLS.contains(spec.protocol())) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for protocol. Reason: '" + spec.protocol() + "' is not one of " + PROTOCOLS.stream().sorted().toList()
              + ".");
    }
  }

  private static void checkPort(String field, Integer port) {
    if (port != null && (port < 1 || port > 65535)) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for " + field + ". Reason: " + port + " is not a port number from 1 to 65535.");
    }
  }

  private <T> T write(Spec spec, Database.TransactionWork<T> work) {
    try {
      return db.inTransaction(work);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw badRequest(
            "a port forwarding with the same external port and protocol, or the same internal address, port and"
                + " protocol, already exists.");
      }
      throw e;
    }
  }

  private static ServiceException badRequest(String message) {
    return NetworkErrors.badRequest("port_forwarding", message);
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("PortForwardingNotFound", "Port Forwarding " + id + " could not be found.");
  }
}
