package dev.kiln.network;

import static dev.kiln.network.SubnetFields.*;
import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Subnet.Pool;
import dev.kiln.network.Subnet.Route;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.Sql;
import dev.kiln.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Neutron subnets: CIDR, gateway and pool validation, and the rule that they never overlap. */
public final class Subnets {
  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;
  private final SubnetPools subnetPools;

  public Subnets(Database db, IdGenerator ids, Networks networks, SubnetPools subnetPools) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.subnetPools = requireNonNull(subnetPools, "subnetPools is null");
  }

  /**
   * What a create or update asks for; null means "the default" or "unchanged".
   *
   * @param gatewayGiven whether the request named {@code gateway_ip} at all; with a null {@code
   *     gatewayIp} it asks for no gateway
   */
  public record Spec(
      String projectId,
      String networkId,
      String name,
      String description,
      Integer ipVersion,
      String cidr,
      boolean gatewayGiven,
      String gatewayIp,
      Boolean enableDhcp,
      List<Pool> allocationPools,
      List<String> dnsNameservers,
      List<Route> hostRoutes,
      String ipv6RaMode,
      String ipv6AddressMode,
      String subnetpoolId,
      Integer prefixlen,
      Boolean useDefaultSubnetpool) {

    /** A subnet with a CIDR of its own, from no pool. */
    public Spec(
        String projectId, String networkId, String name, String description, Integer ipVersion, String cidr,
        boolean gatewayGiven, String gatewayIp, Boolean enableDhcp, List<Pool> allocationPools,
        List<String> dnsNameservers, List<Route> hostRoutes, String ipv6RaMode, String ipv6AddressMode) {
      this(projectId, networkId, name, description, ipVersion, cidr, gatewayGiven, gatewayIp, enableDhcp,
          allocationPools, dnsNameservers, hostRoutes, ipv6RaMode, ipv6AddressMode, null, null, null);
    }
  }

  /**
   * A checked create request. {@code subnet} is complete when the request gave its CIDR outside any
   * pool; with a {@code pool}, the CIDR (and what follows from it) is chosen in the transaction.
   */
  private record Prepared(Spec spec, Network network, String project, int version, Subnet subnet, SubnetPool pool) {}

  public Subnet create(Actor actor, Spec spec) {
    return createAll(actor, List.of(spec), List.of(List.of())).getFirst();
  }

  /**
   * Creates subnets in one transaction (Neutron's bulk create): all of them, with their tags, or
   * none. Subnets of one request must not overlap each other either.
   */
  public List<Subnet> createAll(Actor actor, List<Spec> specs, List<List<String>> tags) {
    List<Prepared> prepared = new ArrayList<>();
    for (Spec spec : specs) {
      prepared.add(prepare(actor, spec));
    }
    tags.forEach(Tags::check);
    return db.inTransaction(
        sql -> {
          List<Subnet> made = new ArrayList<>();
          for (int i = 0; i < prepared.size(); i++) {
            Subnet subnet = insert(sql, prepared.get(i));
            for (String tag : tags.get(i)) {
              new TagStore(sql).add("subnets", subnet.id(), tag);
            }
            made.add(subnet);
          }
          return made;
        });
  }

  private Prepared prepare(Actor actor, Spec spec) {
    Network network = networks.owned(actor, spec.networkId());
    String project = Ownership.ownerProject(actor, spec.projectId());
    SubnetPool pool = null;
    if (spec.subnetpoolId() != null) {
      pool = subnetPools.visible(actor, spec.subnetpoolId());
    } else if (Boolean.TRUE.equals(spec.useDefaultSubnetpool())) {
      pool = subnetPools.defaultPool(spec.ipVersion() == null ? 4 : spec.ipVersion());
    } else if (spec.prefixlen() != null) {
      throw NetworkErrors.badRequest("subnets", "prefixlen is only used with a subnet pool");
    }
    int version = spec.ipVersion() == null ? (pool == null ? 4 : pool.ipVersion()) : spec.ipVersion();
    if (version != 4 && version != 6) {
      throw NetworkErrors.invalid("ip_version " + version + " is not supported; use 4 or 6.");
    }
    checkIpv6Modes(spec, version);
    if (pool == null) {
      return new Prepared(spec, network, project, version, build(spec, network, project, version, cidr(spec.cidr(), version), null), null);
    }
    if (pool.ipVersion() != version) {
      throw NetworkErrors.badRequest(
          "subnets", "Cannot allocate IPv" + version + " subnet from IPv" + pool.ipVersion() + " subnet pool");
    }
    if (spec.cidr() != null) {
      cidr(spec.cidr(), version);
    }
    return new Prepared(spec, network, project, version, null, pool);
  }

  /** The subnet a request makes once its CIDR is known. */
  private Subnet build(Spec spec, Network network, String project, int version, IpNetwork cidr, String poolId) {
    String gateway = spec.gatewayGiven() ? gateway(spec.gatewayIp(), cidr) : IpAddresses.format(cidr.first().plus(1));
    List<Pool> pools =
        spec.allocationPools() == null ? defaultPools(cidr, gateway) : pools(spec.allocationPools(), cidr);
    checkGatewayOutsidePools(gateway, pools);
    List<String> dns = dns(spec.dnsNameservers() == null ? List.of() : spec.dnsNameservers());
    List<Route> routes = routes(spec.hostRoutes() == null ? List.of() : spec.hostRoutes());
    Instant now = networks.now();
    return new Subnet(
            ids.uuid(), project, network.id(), requireNonNullElse(spec.name(), ""), requireNonNullElse(spec.description(), ""), version,
            cidr.toString(), gateway, spec.enableDhcp() == null || spec.enableDhcp(), pools, dns, routes,
            version == 6 ? spec.ipv6RaMode() : null, version == 6 ? spec.ipv6AddressMode() : null, 1,
            now, now, poolId);
  }

  /** Inserts a prepared subnet; one from a pool is given its CIDR first, under the pool's lock. */
  private Subnet insert(Sql sql, Prepared p) {
    Subnet subnet = p.subnet();
    if (subnet == null) {
      IpNetwork requested = p.spec().cidr() == null ? null : IpNetwork.parse(p.spec().cidr());
      IpNetwork cidr = SubnetPools.allocate(sql, p.pool().id(), requested, p.spec().prefixlen());
      subnet = build(p.spec(), p.network(), p.project(), p.version(), cidr, p.pool().id());
    }
    insert(sql, subnet);
    return subnet;
  }

  /** Inserts a checked subnet, under its network's lock, unless it overlaps another on the network. */
  private static void insert(Sql sql, Subnet subnet) {
    IpNetwork cidr = IpNetwork.parse(subnet.cidr());
    String networkId = subnet.networkId();
    NetworkStore store = new NetworkStore(sql);
    // Under the network's lock no other subnet can appear on it while we compare.
    store.lockNetwork(networkId).orElseThrow(() -> NetworkErrors.networkNotFound(networkId));
    NetworkQuotas.reserve(sql, subnet.projectId(), "subnet", 1);
    for (Subnet other : store.subnets().subnetsOfNetwork(networkId)) {
      if (IpNetwork.parse(other.cidr()).overlaps(cidr)) {
        throw NetworkErrors.invalid(
            "Requested subnet with cidr: " + cidr + " for network: " + networkId + " overlaps with another subnet ("
                + other.id() + ", " + other.cidr() + ").");
      }
    }
    store.subnets().insertSubnet(subnet);
  }

  /**
   * A subnet the actor may see: its own, one on a network its project owns or that is shared with
   * it, or any for an admin. An external network that is not shared shows itself to everyone, not
   * its subnets, as in Neutron.
   */
  public Subnet visible(Actor actor, String id) {
    NetworkStore store = new NetworkStore(db.sql());
    Subnet subnet = store.subnets().findSubnet(id).orElseThrow(() -> NetworkErrors.subnetNotFound(id));
    if (!actor.owns(subnet.projectId())
        && store.findNetwork(subnet.networkId()).filter(n -> actor.owns(n.projectId())).isEmpty()
        && !networks.sharedWith(actor).contains(subnet.networkId())) {
      throw NetworkErrors.subnetNotFound(id);
    }
    return subnet;
  }

  /**
   * One page of the subnets the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<Subnet> page(Actor actor, Listing listing) {
    List<String> ids =
        new ListStore(db.sql()).subnets(
                actor.admin() ? null : projectOrNone(actor), actor.admin() ? Set.of() : networks.sharedWith(actor), listing)
            .orElseThrow(listing::markerNotFound);
    return ids.isEmpty() ? List.of() : Listing.inOrder(ids, new NetworkStore(db.sql()).subnets().subnetsByIds(ids), Subnet::id);
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(java.util.Collection<String> attributes) {
    return ListStore.subnetsCover(attributes);
  }

  /**
   * The ids of the subnets on these networks that the actor may see (as {@link #list} and
   * {@link #visible} decide), by network, in id order: a network list's page shows these.
   */
  public java.util.Map<String, List<String>> idsOn(Actor actor, java.util.Collection<String> networkIds) {
    java.util.Map<String, List<String>> out = new java.util.HashMap<>();
    if (networkIds.isEmpty()) {
      return out;
    }
    NetworkStore store = new NetworkStore(db.sql());
    Set<String> usable = new HashSet<>();
    if (!actor.admin()) {
      usable.addAll(networks.sharedWith(actor));
      store.networksByIds(networkIds).stream().filter(n -> actor.owns(n.projectId())).forEach(n -> usable.add(n.id()));
    }
    for (String[] s : store.subnets().subnetOwnersOn(networkIds)) {
      if (actor.admin() || actor.owns(s[2]) || usable.contains(s[1])) {
        out.computeIfAbsent(s[1], k -> new ArrayList<>()).add(s[0]);
      }
    }
    return out;
  }

  public List<Subnet> list(Actor actor) {
    NetworkStore store = new NetworkStore(db.sql());
    if (actor.admin()) {
      return store.subnets().listSubnets();
    }
    Set<String> usable = new HashSet<>(networks.sharedWith(actor));
    for (Network n : networks.list(actor)) {
      if (actor.owns(n.projectId())) {
        usable.add(n.id());
      }
    }
    return store.subnets().listSubnets().stream()
        .filter(s -> actor.owns(s.projectId()) || usable.contains(s.networkId()))
        .toList();
  }

  public Subnet update(Actor actor, String id, Spec changes) {
    return update(actor, id, changes, null);
  }

  /** Changes a subnet; with {@code expectedRevision}, only if it is at that revision (else 412). */
  public Subnet update(Actor actor, String id, Spec changes, Long expectedRevision) {
    Subnet old = owned(actor, id);
    NetworkErrors.checkRevision(expectedRevision, old.revision());
    IpNetwork cidr = IpNetwork.parse(old.cidr());
    String gateway = changes.gatewayGiven() ? gateway(changes.gatewayIp(), cidr) : old.gatewayIp();
    List<Pool> pools =
        changes.allocationPools() == null ? old.allocationPools() : pools(changes.allocationPools(), cidr);
    checkGatewayOutsidePools(gateway, pools);
    Subnet updated =
        new Subnet(
            id, old.projectId(), old.networkId(), requireNonNullElse(changes.name(), old.name()),
            requireNonNullElse(changes.description(), old.description()), old.ipVersion(), old.cidr(), gateway,
            requireNonNullElse(changes.enableDhcp(), old.enableDhcp()), pools,
            changes.dnsNameservers() == null ? old.dnsNameservers() : dns(changes.dnsNameservers()),
            changes.hostRoutes() == null ? old.hostRoutes() : routes(changes.hostRoutes()),
            old.ipv6RaMode(), old.ipv6AddressMode(), old.revision() + 1, old.createdAt(), networks.now(),
            old.subnetpoolId());
    boolean saved = db.inTransaction(sql -> new NetworkStore(sql).subnets().updateSubnet(updated, old.revision()));
    if (!saved) {
      throw NetworkErrors.concurrentChange("Subnet", id);
    }
    return updated;
  }

  public void delete(Actor actor, String id) {
    owned(actor, id);
    db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          if (!store.subnets().lockSubnet(id)) {
            throw NetworkErrors.subnetNotFound(id);
          }
          Subnet subnet = store.subnets().findSubnet(id).orElseThrow(() -> NetworkErrors.subnetNotFound(id));
          if (isAutoAddressed(subnet) && store.subnets().countAllocations(id) > 0) {
            // Hosts configure SLAAC / DHCPv6-stateless addresses themselves: Neutron takes them off
            // the ports and deletes the subnet, unless a router still routes for it.
            if (store.subnets().ownersOfPortsOn(id).values().stream().anyMatch(o -> o.startsWith(Router.INTERFACE_OWNER))) {
              throw subnetInUse(id);
            }
            store.subnets().releaseSubnetAddresses(id, networks.now());
          }
          if (store.subnets().countAllocations(id) > 0) {
            throw ServiceException.conflict(
                "SubnetInUse",
                "Unable to complete operation on subnet "
                    + id
                    + ": One or more ports have an IP allocation from this subnet.");
          }
          new TagStore(sql).removeAll(id);
          AddressAllocator.released(List.of(id));
          return store.subnets().deleteSubnet(id);
        });
  }

  /** Whether hosts on the subnet make their own addresses (SLAAC or DHCPv6-stateless). */
  private static boolean isAutoAddressed(Subnet subnet) {
    return subnet.ipVersion() == 6
        && ("slaac".equals(subnet.ipv6AddressMode()) || "dhcpv6-stateless".equals(subnet.ipv6AddressMode()));
  }

  private static ServiceException subnetInUse(String id) {
    return ServiceException.conflict(
        "SubnetInUse",
        "Unable to complete operation on subnet " + id + ": One or more ports have an IP allocation from this subnet.");
  }

  private Subnet owned(Actor actor, String id) {
    Subnet subnet = visible(actor, id);
    if (!actor.owns(subnet.projectId())) {
      throw NetworkErrors.policy("update_subnet");
    }
    return subnet;
  }

  /** The actor's project, or "" (no project's id) for a token scoped to none: it owns nothing. */
  private static String projectOrNone(Actor actor) {
    return actor.projectId() == null ? "" : actor.projectId();
  }
}
