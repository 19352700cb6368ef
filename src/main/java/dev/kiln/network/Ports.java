package dev.kiln.network;

import static dev.kiln.network.PortFields.*;
import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.store.FloatingIpStore;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.network.store.TrunkStore;
import dev.kiln.store.CommittedCache;
import dev.kiln.store.Database;
import dev.kiln.store.Database.TransactionWork;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Neutron ports: addresses from the subnets' pools (never the same one twice: allocation on a
 * subnet runs under that subnet's row lock), MAC addresses, security groups, and the port's
 * active binding. Compute plugs ports into instances with {@link #plug} and takes them out with
 * {@link #unplug}, which keeps the port, its MAC and its addresses. Compute hears about its
 * servers' ports through {@link DeviceEvents}, as Nova hears from Neutron.
 *
 * <p>Why over 400 lines: the port's lifecycle (create, update, delete) and Compute's plug and
 * unplug share one set of row-locked steps; the field checks live in {@link PortFields}, DNS and
 * DHCP options in {@link PortDns}. Compute's device operations are the next to move out, with
 * the facade change that needs.
 */
public final class Ports {
  private static final Logger LOG = LoggerFactory.getLogger(Ports.class);

  private final Database db;
  private final IdGenerator ids;
  private final RandomGenerator random;
  private final Networks networks;
  private final SecurityGroupDirectory securityGroups;
  private final ComputeHosts hosts;
  private volatile DeviceEvents deviceEvents = DeviceEvents.NONE;
  /**
   * Each network's subnets as address allocation needs them, kept while the subnet tables are
   * unchanged; the allocation checks the ones it locks against their revisions.
   */
  private final CommittedCache<String, List<Subnet>> subnetsForAllocation;

  public Ports(
      Database db,
      IdGenerator ids,
      RandomGenerator random,
      Networks networks,
      SecurityGroupDirectory securityGroups,
      ComputeHosts hosts) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.random = requireNonNull(random, "random is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.securityGroups = requireNonNull(securityGroups, "securityGroups is null");
    this.hosts = requireNonNull(hosts, "hosts is null");
    this.subnetsForAllocation = db.cacheOf(Set.of("network_subnet", "network_subnet_pool"), CACHED_SUBNET_LISTS);
  }

  /** How many networks' subnet lists are kept at most. */
  private static final int CACHED_SUBNET_LISTS = 4096;

  /** Plugs in Compute's receiver of port events; Compute is wired after Networking. */
  public void deviceEvents(DeviceEvents events) {
    this.deviceEvents = requireNonNull(events, "events is null");
  }

  /** An address a request asks for: a subnet, an address, or both. */
  public record AddressRequest(String subnetId, String ipAddress) {}

  /** What a create or update asks for; null means "the default" or "unchanged". */
  public record Spec(
      String projectId,
      String networkId,
      String name,
      String description,
      Boolean adminStateUp,
      String macAddress,
      List<AddressRequest> fixedIps,
      String deviceId,
      String deviceOwner,
      List<String> securityGroups,
      Boolean portSecurityEnabled,
      String hostId,
      String vnicType,
      String profile,
      List<Port.AddressPair> allowedAddressPairs,
      List<DhcpOptionRequest> extraDhcpOpts,
      String dnsName) {

    /** A request without allowed address pairs (Compute's, and the defaults). */
    public Spec(
        String projectId, String networkId, String name, String description, Boolean adminStateUp, String macAddress,
        List<AddressRequest> fixedIps, String deviceId, String deviceOwner, List<String> securityGroups,
        Boolean portSecurityEnabled, String hostId, String vnicType, String profile) {
      this(projectId, networkId, name, description, adminStateUp, macAddress, fixedIps, deviceId, deviceOwner,
          securityGroups, portSecurityEnabled, hostId, vnicType, profile, null);
    }

    /** A request without extra DHCP options or DNS name. */
    public Spec(
        String projectId, String networkId, String name, String description, Boolean adminStateUp, String macAddress,
        List<AddressRequest> fixedIps, String deviceId, String deviceOwner, List<String> securityGroups,
        Boolean portSecurityEnabled, String hostId, String vnicType, String profile,
        List<Port.AddressPair> allowedAddressPairs) {
      this(projectId, networkId, name, description, adminStateUp, macAddress, fixedIps, deviceId, deviceOwner,
          securityGroups, portSecurityEnabled, hostId, vnicType, profile, allowedAddressPairs, null, null);
    }
  }

  /**
   * An extra DHCP option as a request gives it: a null value removes the option of that name and
   * IP version on update (and is ignored on create), as in Neutron.
   */
  public record DhcpOptionRequest(String name, String value, int ipVersion) {}


  public Port create(Actor actor, Spec spec) {
    return createAll(actor, List.of(spec), List.of(List.of())).getFirst();
  }

  /** A checked create request, ready to insert. */
  private record Prepared(
      Network network, List<Subnet> subnets, String project, String mac, boolean portSecurity, List<String> groups,
      String host, Spec spec, String id, Instant now) {}

  /**
   * Creates ports in one transaction (Neutron's bulk create): all of them, with their tags, or none.
   * Each counts against the port quota.
   */
  public List<Port> createAll(Actor actor, List<Spec> specs, List<List<String>> tags) {
    List<Prepared> prepared = new ArrayList<>();
    for (Spec spec : specs) {
      prepared.add(prepare(actor, spec));
    }
    tags.forEach(Tags::check);
    for (int attempt = 1; ; attempt++) {
      Prepared[] current = new Prepared[1];
      try {
        return db.inTransaction(sql -> insertAll(sql, prepared, tags, current));
      } catch (StoreException e) {
        Prepared failed = current[0] == null ? prepared.getFirst() : current[0];
        if (failed.mac() == null && attempt < MAC_DRAWS && PortFields.isMacClash(e)) {
          continue; // an address Kiln drew is another port's on the network: all drawn again
        }
        throw translate(e, failed.network().id(), failed.mac());
      }
    }
  }

  /** Inserts the ports with their tags; {@code current} tells a failure which one it met. */
  private List<Port> insertAll(Sql sql, List<Prepared> prepared, List<List<String>> tags, Prepared[] current) {
    NetworkStore store = new NetworkStore(sql);
    List<Port> made = new ArrayList<>();
    for (int i = 0; i < prepared.size(); i++) {
      current[0] = prepared.get(i);
      made.add(insert(sql, store, prepared.get(i)));
      for (String tag : tags.get(i)) {
        new TagStore(sql).add("ports", prepared.get(i).id(), tag);
      }
    }
    return made;
  }

  /**
   * How many times a create draws its ports' addresses before it gives up (Neutron's own limit).
   * A drawn address is not looked up first: the network's unique constraint on it refuses a clash,
   * one create in millions on a network of thousands of ports, and the create starts over.
   */
  private static final int MAC_DRAWS = 16;

  private Prepared prepare(Actor actor, Spec spec) {
    Network network = networks.visible(actor, spec.networkId());
    String project = Ownership.ownerProject(actor, spec.projectId());
    PortDns.check(spec);
    checkPairRights(actor, network, spec, "create_port");
    checkBindingRights(actor, spec, "create_port");
    String mac = spec.macAddress() == null ? null : mac(spec.macAddress());
    boolean portSecurity =
        spec.portSecurityEnabled() == null ? network.portSecurityEnabled() : spec.portSecurityEnabled();
    List<String> groups = groups(actor, project, portSecurity, spec.securityGroups(), null);
    String host = spec.hostId() == null ? "" : spec.hostId();
    if (!host.isEmpty()) {
      checkHost(host);
    }
    List<Subnet> subnets = subnetsForAllocation.get(network.id(), this::readSubnetsForAllocation).orElseThrow();
    return new Prepared(
        network, subnets, project, mac, portSecurity, groups, host, spec, ids.uuid(), networks.now());
  }

  private Optional<List<Subnet>> readSubnetsForAllocation(String networkId) {
    return Optional.of(new NetworkStore(db.sql()).subnets().subnetsForAllocation(networkId));
  }

  private Port insert(Sql sql, NetworkStore store, Prepared p) {
    Spec spec = p.spec();
    String networkId = p.network().id();
    store.lockNetwork(networkId).orElseThrow(() -> NetworkErrors.networkNotFound(networkId));
    NetworkQuotas.reserve(sql, p.project(), "port", 1);
    String macAddress = p.mac() != null ? p.mac() : drawnMac();
    String deviceId = requireNonNullElse(spec.deviceId(), "");
    String deviceOwner = requireNonNullElse(spec.deviceOwner(), "");
    String vnic = spec.vnicType() == null ? "normal" : vnicType(spec.vnicType());
    String profile = spec.profile() == null ? "{}" : spec.profile();
    boolean up = spec.adminStateUp() == null || spec.adminStateUp();
    boolean bound = !p.host().isEmpty();
    List<Port.AddressPair> pairs =
        spec.allowedAddressPairs() == null ? List.of() : addressPairs(spec.allowedAddressPairs(), macAddress, p.portSecurity());
    List<Port.DhcpOption> options =
        spec.extraDhcpOpts() == null ? List.of() : PortDns.mergeOptions(List.of(), spec.extraDhcpOpts());
    PortBinding binding = bound ? activeBinding(p.id(), p.host(), vnic, profile) : null;
    // The port as a read of its rows gives it back (groups in id order, addresses in the order
    // given), built here rather than read back: four statements fewer per create. Its row goes in
    // first: each address is then taken by inserting its allocation row.
    Port port =
        new Port(
            p.id(), p.project(), networkId, requireNonNullElse(spec.name(), ""), requireNonNullElse(spec.description(), ""),
            macAddress, up, status(up, deviceId, bound), deviceId, deviceOwner, p.portSecurity(), vnic, profile,
            List.of(), p.groups().stream().sorted().toList(), binding, 1, p.now(), p.now(), pairs, options,
            requireNonNullElse(spec.dnsName(), ""));
    store.insertPort(port);
    List<FixedIp> addresses =
        AddressAllocator.claim(
            store, networkId, spec.fixedIps(), macAddress, p.subnets(),
            (ip, position) -> store.claimAddress(p.id(), ip, position));
    store.addSecurityGroups(p.id(), p.groups());
    if (bound) {
      store.insertBinding(binding);
    }
    return port.withFixedIps(addresses);
  }

  /** A port the actor may see and change: its project's, one on a network its project owns, or any for an admin. */
  public Port visible(Actor actor, String id) {
    NetworkStore store = new NetworkStore(db.sql());
    Port port = store.findPort(id).orElseThrow(() -> NetworkErrors.portNotFound(id));
    if (!actor.owns(port.projectId())
        && store.findNetwork(port.networkId()).filter(n -> actor.owns(n.projectId())).isEmpty()) {
      throw NetworkErrors.portNotFound(id);
    }
    return port;
  }

  /**
   * The ports among these ids that exist, in no particular order, whoever owns them: for Compute,
   * which shows the addresses of a page of servers at once and has already checked who may see
   * those servers.
   */
  public List<Port> byIds(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return new NetworkStore(db.sql()).portsByIds(ids);
  }

  /** The ports the actor may see: its project's, or all for an admin. */
  public List<Port> list(Actor actor) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns no ports
    }
    return new NetworkStore(db.sql()).listPorts(actor.admin() ? null : actor.projectId());
  }

  /**
   * One page of the ports the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<Port> page(Actor actor, Listing listing) {
    if (!actor.admin() && actor.projectId() == null) {
      return Listing.nothingVisible(listing);
    }
    List<String> ids =
        new ListStore(db.sql()).ports(actor.admin() ? null : actor.projectId(), listing)
            .orElseThrow(listing::markerNotFound);
    return ids.isEmpty() ? List.of() : Listing.inOrder(ids, new NetworkStore(db.sql()).portsByIds(ids), Port::id);
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(java.util.Collection<String> attributes) {
    return ListStore.portsCover(attributes);
  }

  public Port update(Actor actor, String id, Spec changes) {
    return update(actor, id, changes, null);
  }

  /** Changes a port; with {@code expectedRevision}, only if it is at that revision (else 412). */
  public Port update(Actor actor, String id, Spec changes, Long expectedRevision) {
    visible(actor, id);
    checkBindingRights(actor, changes, "update_port");
    if (changes.macAddress() != null && !actor.admin()) {
      throw NetworkErrors.policy("update_port:mac_address");
    }
    String newMac = changes.macAddress() == null ? null : mac(changes.macAddress());
    PortDns.check(changes);
    checkPairRights(actor, networks.visible(actor, visible(actor, id).networkId()), changes, "update_port");
    if (changes.hostId() != null && !changes.hostId().isEmpty()) {
      checkHost(changes.hostId());
    }
    Port[] before = new Port[1];
    Port after;
    try {
      after = changingOnePort(
          sql -> {
            NetworkStore store = new NetworkStore(sql);
            Port old = store.lockPort(id).orElseThrow(() -> NetworkErrors.portNotFound(id));
            NetworkErrors.checkRevision(expectedRevision, old.revision());
            before[0] = old;
            if (newMac != null && !newMac.equals(old.macAddress()) && old.activeBinding() != null) {
              throw ServiceException.conflict(
                  "PortBound", "Unable to change the MAC address of port " + id + " while it is bound to a host.");
            }
            boolean portSecurity = requireNonNullElse(changes.portSecurityEnabled(), old.portSecurityEnabled());
            List<Port.AddressPair> pairs =
                changes.allowedAddressPairs() == null ? old.allowedAddressPairs() : changes.allowedAddressPairs();
            if (changes.allowedAddressPairs() != null || !portSecurity) {
              pairs = addressPairs(pairs, newMac == null ? old.macAddress() : newMac, portSecurity);
              store.setAddressPairs(id, pairs);
            }
            List<String> groups =
                changes.securityGroups() == null && portSecurity == old.portSecurityEnabled()
                    ? old.securityGroups()
                    : groups(actor, old.projectId(), portSecurity, changes.securityGroups(), old.securityGroups());
            List<FixedIp> addresses = old.fixedIps();
            if (changes.fixedIps() != null) {
              store.releaseAddresses(id);
              AddressAllocator.released(old);
              addresses = AddressAllocator.allocate(
                  store, old.networkId(), changes.fixedIps(), newMac == null ? old.macAddress() : newMac);
              for (int i = 0; i < addresses.size(); i++) {
                store.allocate(id, addresses.get(i), i);
              }
              // A floating IP mapped to an address the port no longer has is disassociated.
              new FloatingIpStore(sql).clearForRemovedAddresses(
                  id, addresses.stream().map(FixedIp::ipAddress).toList(), networks.now());
            }
            if (changes.extraDhcpOpts() != null) {
              store.setDhcpOptions(id, PortDns.mergeOptions(old.extraDhcpOpts(), changes.extraDhcpOpts()));
            }
            if (changes.dnsName() != null) {
              store.setDnsName(id, changes.dnsName());
            }
            String vnic = changes.vnicType() == null ? old.vnicType() : vnicType(changes.vnicType());
            String profile = requireNonNullElse(changes.profile(), old.profile());
            boolean bound = old.activeBinding() != null;
            if (changes.hostId() != null) {
              bound = rebind(store, old, changes.hostId(), vnic, profile);
            }
            String deviceId = requireNonNullElse(changes.deviceId(), old.deviceId());
            boolean up = requireNonNullElse(changes.adminStateUp(), old.adminStateUp());
            Port updated =
                new Port(
                    id, old.projectId(), old.networkId(), requireNonNullElse(changes.name(), old.name()),
                    requireNonNullElse(changes.description(), old.description()), newMac == null ? old.macAddress() : newMac,
                    up, status(up, deviceId, bound), deviceId, requireNonNullElse(changes.deviceOwner(), old.deviceOwner()),
                    portSecurity, vnic, profile, addresses, groups, null, old.revision() + 1,
                    old.createdAt(), networks.now());
            writePort(store, updated, old.revision());
            store.setSecurityGroups(id, groups);
            if (changes.hostId() != null) {
              TrunkBindings.followParent(sql, id, networks.now());
            }
            return store.findPort(id).orElseThrow();
          });
    } catch (StoreException e) {
      throw translate(e, visible(actor, id).networkId(), newMac);
    }
    statusChanged(before[0], after);
    return after;
  }

  /**
   * Deletes a port, clearing any floating IP associated with it (the floating IPs stay allocated).
   * Ports Networking made for its own devices (router interfaces and gateways, floating IPs) are
   * refused, as in Neutron: they go with their device.
   */
  public void delete(Actor actor, String id) {
    Port port = visible(actor, id);
    if (isServicePort(port.deviceOwner())) {
      throw ServiceException.conflict(
          "ServicePortInUse",
          "Port " + id + " cannot be deleted directly via the port API: has device owner " + port.deviceOwner() + ".");
    }
    db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          // The port's lock first, as associating a floating IP takes it: the two never interleave.
          store.lockPort(id).orElseThrow(() -> NetworkErrors.portNotFound(id));
          checkNotInTrunk(new TrunkStore(sql), id);
          PortForwardings.forgetPort(sql, id, networks.now());
          new FloatingIpStore(sql).clearForPorts(List.of(id), networks.now());
          new TagStore(sql).removeAll(id);
          AddressAllocator.released(port);
          return store.deletePort(id);
        });
    if (DeviceEvents.isComputeDevice(port.deviceOwner(), port.deviceId())) {
      send(port.deviceId(), DeviceEvents.VIF_DELETED, id);
    }
  }

  Instant now() {
    return networks.now();
  }

  /** A port in a trunk goes only after it leaves the trunk (or the trunk goes), as in Neutron. */
  private static void checkNotInTrunk(TrunkStore trunks, String portId) {
    trunks.trunkOfSubPort(portId).ifPresent(trunk -> {
      throw ServiceException.conflict(
          "PortInUseAsSubPort", "Port " + portId + " is a subport of trunk " + trunk + "; remove it from the trunk first.");
    });
    trunks.trunkOfParent(portId).ifPresent(trunk -> {
      throw ServiceException.conflict(
          "PortInUseAsTrunkParent", "Port " + portId + " is the parent port of trunk " + trunk + "; delete the trunk first.");
    });
  }

  /** Whether a port serves one of Networking's own devices, which owns its lifecycle. */
  static boolean isServicePort(String deviceOwner) {
    return deviceOwner.equals(Router.INTERFACE_OWNER)
        || deviceOwner.equals(Router.GATEWAY_OWNER)
        || deviceOwner.equals(FloatingIp.PORT_OWNER);
  }

  /**
   * Creates a port for one of Networking's own devices (a router interface or gateway, a floating
   * IP) inside the caller's transaction. No quota is counted, as for Neutron's internal ports; the
   * network is locked, then the subnets it takes addresses from.
   *
   * @param projectId the owner; "" for ports no project sees (gateways, floating IPs)
   * @param status the port's status: what Neutron's agents report for such a device
   */
  Port createDevicePort(
      NetworkStore store,
      String projectId,
      String networkId,
      List<AddressRequest> addresses,
      boolean mayTakeGateway,
      String deviceId,
      String deviceOwner,
      String status) {
    store.lockNetwork(networkId).orElseThrow(() -> NetworkErrors.networkNotFound(networkId));
    return createDevicePortOnLockedNetwork(store, projectId, networkId, addresses, mayTakeGateway, deviceId, deviceOwner, status);
  }

  /**
   * {@link #createDevicePort} for a caller that already holds the network's row lock in this
   * transaction (a floating IP's create takes it first, before the quota lock): taking it again
   * would cost H2 a second row-lock write and a larger commit, for nothing.
   */
  Port createDevicePortOnLockedNetwork(
      NetworkStore store,
      String projectId,
      String networkId,
      List<AddressRequest> addresses,
      boolean mayTakeGateway,
      String deviceId,
      String deviceOwner,
      String status) {
    String id = ids.uuid();
    boolean ipv4Only = deviceOwner.equals(FloatingIp.PORT_OWNER);
    List<FixedIp> ips = AddressAllocator.allocate(store, networkId, addresses, mayTakeGateway, ipv4Only);
    Instant now = networks.now();
    Port port =
        new Port(
            id, projectId, networkId, "", "", freeMac(store, networkId), true, status, deviceId, deviceOwner, false,
            "normal", "{}", ips, List.of(), null, 1, now, now);
    store.insertPort(port);
    for (int i = 0; i < ips.size(); i++) {
      store.allocate(id, ips.get(i), i);
    }
    return port;
  }

  /**
   * Compute plugs a port into an instance on a host: device id and owner set, an active binding
   * on the host, status ACTIVE. A port already plugged into another device is refused with
   * {@code PortInUse}, so one port never serves two instances.
   */
  public Port plug(String portId, String deviceId, String deviceOwner, String host) {
    checkHost(host);
    Port plugged = changingOnePort(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          Port old = store.lockPort(portId).orElseThrow(() -> NetworkErrors.portNotFound(portId));
          if (!old.deviceId().isEmpty() && !old.deviceId().equals(deviceId)) {
            throw ServiceException.conflict(
                "PortInUse",
                "Unable to complete operation on port " + portId + " for network " + old.networkId()
                    + ". Port already has an attached device " + old.deviceId() + ".");
          }
          rebind(store, old, host, old.vnicType(), old.profile());
          Port updated =
              new Port(
                  portId, old.projectId(), old.networkId(), old.name(), old.description(), old.macAddress(),
                  old.adminStateUp(), status(old.adminStateUp(), deviceId, true), deviceId, deviceOwner,
                  old.portSecurityEnabled(), old.vnicType(), old.profile(), old.fixedIps(),
                  old.securityGroups(), null, old.revision() + 1, old.createdAt(), networks.now());
          writePort(store, updated, old.revision());
          TrunkBindings.followParent(sql, portId, networks.now());
          return store.findPort(portId).orElseThrow();
        });
    // Nova waits for this after plugging, whatever the port was before (a rebind to a new host too).
    if (isActiveOnServer(plugged)) {
      send(deviceId, DeviceEvents.VIF_PLUGGED, portId);
    }
    return plugged;
  }

  /**
   * Takes a port out of its instance without deleting it: device id and owner cleared, every
   * binding removed, status DOWN; the port keeps its id, MAC and addresses, and can be plugged
   * into another instance at once.
   */
  public Port unplug(String portId) {
    return unplug(portId, null);
  }

  /**
   * Unplugs the port only if it is still plugged into {@code deviceId}, checked under the port's
   * row lock: a server giving its port back (a detach retried after a crash, a delete) must not
   * unplug it from the server it has since been attached to. Answers the port as it is then.
   */
  public Port unplugFrom(String portId, String deviceId) {
    return unplug(portId, requireNonNull(deviceId, "deviceId is null"));
  }

  private Port unplug(String portId, String onlyFromDevice) {
    Port[] before = new Port[1];
    Port unplugged = changingOnePort(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          Port old = store.lockPort(portId).orElseThrow(() -> NetworkErrors.portNotFound(portId));
          if (onlyFromDevice != null && !old.deviceId().equals(onlyFromDevice)) {
            return old; // plugged elsewhere since, or already free: nothing of ours to undo
          }
          before[0] = old;
          store.deleteBindings(portId);
          Port updated =
              new Port(
                  portId, old.projectId(), old.networkId(), old.name(), old.description(), old.macAddress(),
                  old.adminStateUp(), "DOWN", "", "", old.portSecurityEnabled(), old.vnicType(), old.profile(),
                  old.fixedIps(), old.securityGroups(), null, old.revision() + 1, old.createdAt(),
                  networks.now());
          writePort(store, updated, old.revision());
          TrunkBindings.followParent(sql, portId, networks.now());
          return store.findPort(portId).orElseThrow();
        });
    if (before[0] != null) {
      statusChanged(before[0], unplugged);
    }
    return unplugged;
  }

  /**
   * Neutron tells Nova when a server's port becomes ACTIVE and when it stops being ACTIVE (status
   * DOWN, or moved to another device), naming the server it served.
   */
  private void statusChanged(Port old, Port now) {
    boolean sameDevice = old.deviceId().equals(now.deviceId());
    if (isActiveOnServer(old) && !(sameDevice && isActiveOnServer(now))) {
      send(old.deviceId(), DeviceEvents.VIF_UNPLUGGED, old.id());
    }
    if (isActiveOnServer(now) && !(sameDevice && isActiveOnServer(old))) {
      send(now.deviceId(), DeviceEvents.VIF_PLUGGED, now.id());
    }
  }

  private static boolean isActiveOnServer(Port port) {
    return port.status().equals("ACTIVE") && DeviceEvents.isComputeDevice(port.deviceOwner(), port.deviceId());
  }

  /** The change is committed whatever Compute does with the event, as with Neutron's notifier. */
  private void send(String serverId, String name, String portId) {
    try {
      deviceEvents.send(serverId, name, portId);
    } catch (RuntimeException e) {
      LOG.warn("Could not tell Compute {} for port {} of server {}: {}", name, portId, serverId, e.toString());
    }
  }

  /**
   * The type of the 409 for a port whose row was not at the revision its writer read under the
   * row's lock; {@link #changingOnePort} tries such a change again on a fresh read before it answers it.
   */
  static final String PORT_CHANGED = "PortChangedConcurrently";

  private static final int FRESH_READS = 3;

  /**
   * Writes {@code updated} over the port's row if the row is still at {@code expectedRevision}.
   * Its writers read the port under the row's lock (a trunk's subports just before the write), so
   * a mismatch means the read was not the row as it is, or another change came between: refused,
   * never ignored (a plug or unplug that changed nothing and said it had done its work left a port
   * plugged into a server that no longer listed it).
   */
  static void writePort(NetworkStore store, Port updated, long expectedRevision) {
    if (!store.updatePort(updated, expectedRevision)) {
      throw ServiceException.conflict(
          PORT_CHANGED,
          "Port " + updated.id() + " changed while this request was changing it (it is no longer at revision "
              + expectedRevision + "); retry the request.");
    }
  }

  /**
   * Runs a change of one port in a transaction, again from a fresh read (at most {@value
   * #FRESH_READS} times in all) when {@link #writePort} found the row changed.
   */
  private <T> T changingOnePort(TransactionWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inTransaction(work);
      } catch (ServiceException e) {
        if (!PORT_CHANGED.equals(e.type()) || attempt == FRESH_READS) {
          throw e;
        }
        LOG.warn("{} Reading the port again (attempt {} of {}).", e.getMessage(), attempt + 1, FRESH_READS);
      }
    }
  }

  /** Makes {@code host} the port's active binding ("" unbinds); answers whether it is bound. */
  private static boolean rebind(NetworkStore store, Port port, String host, String vnic, String profile) {
    if (port.activeBinding() != null) {
      store.deleteBinding(port.id(), port.activeBinding().host());
    }
    if (host.isEmpty()) {
      return false;
    }
    store.deleteBinding(port.id(), host);
    store.insertBinding(activeBinding(port.id(), host, vnic, profile));
    return true;
  }

  static PortBinding activeBinding(String portId, String host, String vnic, String profile) {
    return new PortBinding(
        portId, host, PortBinding.Status.ACTIVE, PortBinding.VIF_TYPE, vnic, profile, PortBinding.VIF_DETAILS);
  }

  /** Neutron reports a port ACTIVE once it is bound to a host with a device plugged in. */
  static String status(boolean adminStateUp, String deviceId, boolean bound) {
    return adminStateUp && bound && !deviceId.isEmpty() ? "ACTIVE" : "DOWN";
  }

  void checkHost(String host) {
    if (!hosts.isKnown(host)) {
      throw ServiceException.invalid(
          "PortBindingError", "Host " + host + " is not a known compute host, so no port can be bound to it.");
    }
  }

  private List<String> groups(
      Actor actor, String project, boolean portSecurity, List<String> requested, List<String> current) {
    if (!portSecurity) {
      if (requested != null && !requested.isEmpty()) {
        throw ServiceException.conflict(
            "PortSecurityAndIPRequiredForSecurityGroups",
            "Port security must be enabled and port must have an IP address in order to use security groups.");
      }
      return List.of();
    }
    if (requested == null) {
      return current != null && !current.isEmpty() ? current : List.of(securityGroups.defaultGroupId(project));
    }
    securityGroups.checkUsable(actor.projectId(), actor.admin(), requested);
    return List.copyOf(new java.util.LinkedHashSet<>(requested));
  }

  /**
   * A random MAC with OpenStack's prefix that no port on the network has; checked one candidate at
   * a time (an index lookup), which stays cheap on networks with thousands of ports.
   */
  private String freeMac(NetworkStore store, String networkId) {
    while (true) {
      String mac = drawnMac();
      if (!store.isMacUsed(networkId, mac)) {
        return mac;
      }
    }
  }

  /** A MAC address with OpenStack's prefix, its last three bytes drawn at random. */
  private String drawnMac() {
    StringBuilder mac = new StringBuilder(17).append("fa:16:3e");
    for (int i = 0; i < 3; i++) {
      int b = random.nextInt(256);
      mac.append(':').append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }
    return mac.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** For the bindings extension: runs work on a locked port. */
  <T> T withLockedPort(String portId, java.util.function.BiFunction<NetworkStore, Port, T> work) {
    return db.inTransaction(
        (Sql sql) -> {
          NetworkStore store = new NetworkStore(sql);
          Port port = store.lockPort(portId).orElseThrow(() -> NetworkErrors.portNotFound(portId));
          T result = work.apply(store, port);
          // The work may have moved the port's active binding (port bindings); a trunk's subports follow.
          TrunkBindings.followParent(sql, portId, networks.now());
          return result;
        });
  }
}
