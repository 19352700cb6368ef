package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.SegmentStore;
import dev.kiln.network.store.RbacStore;
import dev.kiln.network.store.RouterStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.CommittedCache;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Neutron networks: who may see and change them, and when they may be deleted. */
public final class Networks {
  public static final int DEFAULT_MTU = 1500;

  /** Networks read by id, most of them for a port create; a few MB at most. */
  private static final int CACHED_NETWORKS = 4096;

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  /** Networks by id while no commit changed the networks' table (on the embedded file). */
  private final CommittedCache<String, Network> byId;

  public Networks(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.byId = db.cacheOf(Set.of("network_network"), CACHED_NETWORKS);
  }

  /** What a create request asks for; null means "the default". */
  public record Spec(
      String projectId,
      String name,
      String description,
      Boolean adminStateUp,
      Boolean shared,
      Boolean external,
      Integer mtu,
      Boolean portSecurityEnabled,
      String dnsDomain,
      Boolean isDefault) {

    /** A request without DNS domain or default flag. */
    public Spec(
        String projectId, String name, String description, Boolean adminStateUp, Boolean shared, Boolean external,
        Integer mtu, Boolean portSecurityEnabled) {
      this(projectId, name, description, adminStateUp, shared, external, mtu, portSecurityEnabled, null, null);
    }
  }

  public Network create(Actor actor, Spec spec) {
    return createAll(actor, List.of(spec), List.of(List.of())).getFirst();
  }

  /**
   * Creates networks in one transaction (Neutron's bulk create): all of them, with their tags, or
   * none. Each counts against the network quota.
   */
  public List<Network> createAll(Actor actor, List<Spec> specs, List<List<String>> tags) {
    return createAll(actor, specs, tags, java.util.Collections.nCopies(specs.size(), null));
  }

  /**
   * Like {@link #createAll(Actor, List, List)} with each network's provider segment as asked
   * ({@code null}: the default, a free VXLAN id). Only admins may name a segment.
   */
  public List<Network> createAll(Actor actor, List<Spec> specs, List<List<String>> tags, List<NetworkSegment> segments) {
    for (NetworkSegment segment : segments) {
      if (segment != null && !actor.admin()) {
        throw NetworkErrors.policy("create_network:provider:network_type");
      }
      ProviderSegments.check(segment);
    }
    List<Network> made = new ArrayList<>();
    for (Spec spec : specs) {
      made.add(prepare(actor, spec));
    }
    for (List<String> t : tags) {
      Tags.check(t);
    }
    db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          TagStore tagStore = new TagStore(sql);
          for (int i = 0; i < made.size(); i++) {
            Network network = made.get(i);
            if (network.isDefault()) {
              checkNoOtherDefault(store, network.id());
            }
            NetworkQuotas.reserve(sql, network.projectId(), "network", 1);
            store.insertNetwork(network);
            ProviderSegments.allocate(sql, network.id(), segments.get(i));
            // Neutron records shared and external as policies for every project.
            if (network.shared()) {
              Sharing.openToEveryone(sql, network.id(), network.projectId(), RbacPolicy.Action.ACCESS_AS_SHARED, ids.uuid());
            }
            if (network.external()) {
              Sharing.openToEveryone(sql, network.id(), network.projectId(), RbacPolicy.Action.ACCESS_AS_EXTERNAL, ids.uuid());
            }
            for (String tag : tags.get(i)) {
              tagStore.add("networks", network.id(), tag);
            }
          }
          return null;
        });
    return made;
  }

  private Network prepare(Actor actor, Spec spec) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    if (Boolean.TRUE.equals(spec.shared()) && !actor.admin()) {
      throw NetworkErrors.policy("create_network:shared");
    }
    if (Boolean.TRUE.equals(spec.external()) && !actor.admin()) {
      throw NetworkErrors.policy("create_network:router:external");
    }
    int mtu = spec.mtu() == null ? DEFAULT_MTU : spec.mtu();
    checkMtu(mtu);
    checkDefault(actor, spec.isDefault(), requireNonNullElse(spec.external(), false), "create_network:is_default");
    if (spec.dnsDomain() != null) {
      PortDns.checkDnsName("dns_domain", spec.dnsDomain(), true);
    }
    Instant now = now();
    return new Network(
        ids.uuid(), project, requireNonNullElse(spec.name(), ""), requireNonNullElse(spec.description(), ""),
        requireNonNullElse(spec.adminStateUp(), true), requireNonNullElse(spec.shared(), false),
        requireNonNullElse(spec.external(), false), mtu, requireNonNullElse(spec.portSecurityEnabled(), true), 1, now,
        now, requireNonNullElse(spec.dnsDomain(), ""), requireNonNullElse(spec.isDefault(), false));
  }

  /**
   * A network the actor may use: its own, one an RBAC policy opens to its project or to every
   * project (shared or external), or any for an admin.
   */
  public Network visible(Actor actor, String id) {
    Network network =
        byId.get(id, key -> new NetworkStore(db.sql()).findNetwork(key)).orElseThrow(() -> NetworkErrors.networkNotFound(id));
    if (!canSee(actor, network)) {
      throw NetworkErrors.networkNotFound(id);
    }
    return network;
  }

  /**
   * One page of the networks the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<Network> page(Actor actor, Listing listing) {
    Set<String> open = actor.admin() ? Set.of() : new RbacStore(db.sql()).networksOpenTo(actor.projectId());
    List<String> ids =
        new ListStore(db.sql()).networks(actor.admin() ? null : projectOrNone(actor), open, listing)
            .orElseThrow(listing::markerNotFound);
    return ids.isEmpty() ? List.of() : Listing.inOrder(ids, new NetworkStore(db.sql()).networksByIds(ids), Network::id);
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(java.util.Collection<String> attributes) {
    return ListStore.networksCover(attributes);
  }

  public List<Network> list(Actor actor) {
    List<Network> all = new NetworkStore(db.sql()).listNetworks();
    if (actor.admin()) {
      return all;
    }
    Set<String> open = new RbacStore(db.sql()).networksOpenTo(actor.projectId());
    return all.stream().filter(n -> actor.owns(n.projectId()) || n.shared() || open.contains(n.id())).toList();
  }

  boolean canSee(Actor actor, Network network) {
    return actor.owns(network.projectId())
        || network.shared()
        || new RbacStore(db.sql()).isOpenTo(network.id(), actor.projectId());
  }

  /**
   * The ids of the networks shared with the actor's project, by a policy for it or for every
   * project: Neutron shows these {@code shared: true} to that project.
   */
  public Set<String> sharedWith(Actor actor) {
    return new RbacStore(db.sql()).networksSharedWith(actor.projectId());
  }

  public Network update(Actor actor, String id, Spec changes) {
    return update(actor, id, changes, null);
  }

  /** Changes a network; with {@code expectedRevision}, only if it is at that revision (else 412). */
  public Network update(Actor actor, String id, Spec changes, Long expectedRevision) {
    Network old = owned(actor, id);
    NetworkErrors.checkRevision(expectedRevision, old.revision());
    if (changes.shared() != null && changes.shared() != old.shared() && !actor.admin()) {
      throw NetworkErrors.policy("update_network:shared");
    }
    if (changes.external() != null && changes.external() != old.external() && !actor.admin()) {
      throw NetworkErrors.policy("update_network:router:external");
    }
    if (changes.mtu() != null) {
      checkMtu(changes.mtu());
    }
    if (changes.dnsDomain() != null) {
      PortDns.checkDnsName("dns_domain", changes.dnsDomain(), true);
    }
    return db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          Network current = store.lockNetwork(id).orElseThrow(() -> NetworkErrors.networkNotFound(id));
          NetworkErrors.checkRevision(expectedRevision, current.revision());
          boolean shared = requireNonNullElse(changes.shared(), current.shared());
          boolean external = requireNonNullElse(changes.external(), current.external());
          boolean isDefault = requireNonNullElse(changes.isDefault(), current.isDefault()) && external;
          if (changes.isDefault() != null) {
            checkDefault(actor, changes.isDefault(), external, "update_network:is_default");
            if (isDefault && !current.isDefault()) {
              checkNoOtherDefault(store, id);
            }
          }
          changeSharing(sql, current, shared, external);
          Network updated =
              new Network(
                  id, current.projectId(), requireNonNullElse(changes.name(), current.name()),
                  requireNonNullElse(changes.description(), current.description()),
                  requireNonNullElse(changes.adminStateUp(), current.adminStateUp()), shared, external,
                  requireNonNullElse(changes.mtu(), current.mtu()),
                  requireNonNullElse(changes.portSecurityEnabled(), current.portSecurityEnabled()),
                  current.revision() + 1, current.createdAt(), now(),
                  requireNonNullElse(changes.dnsDomain(), current.dnsDomain()), isDefault);
          if (!store.updateNetwork(updated, current.revision())) {
            throw NetworkErrors.concurrentChange("Network", id);
          }
          return updated;
        });
  }

  /**
   * {@code shared} and {@code router:external} as policies for every project: turning one on adds
   * the policy, turning shared off removes it unless other projects rely on it, turning external
   * off removes every external policy unless a router's gateway is on the network.
   */
  private void changeSharing(Sql sql, Network current, boolean shared, boolean external) {
    RbacStore rbac = new RbacStore(sql);
    if (shared && !current.shared()) {
      Sharing.openToEveryone(sql, current.id(), current.projectId(), RbacPolicy.Action.ACCESS_AS_SHARED, ids.uuid());
    } else if (!shared && current.shared()) {
      for (RbacPolicy p : rbac.ofNetwork(current.id())) {
        if (p.action() == RbacPolicy.Action.ACCESS_AS_SHARED && p.targetProject().equals(RbacPolicy.EVERYONE)) {
          Sharing.checkRemovable(sql, current, p);
          rbac.delete(p.id());
        }
      }
    }
    if (external && !current.external()) {
      Sharing.openToEveryone(sql, current.id(), current.projectId(), RbacPolicy.Action.ACCESS_AS_EXTERNAL, ids.uuid());
    } else if (!external && current.external()) {
      if (new RouterStore(sql).countWithGatewayOn(current.id()) > 0) {
        throw ServiceException.conflict(
            "ExternalNetworkInUse",
            "Network " + current.id() + " cannot stop being external: router gateways are on it.");
      }
      rbac.deleteAll(current.id(), RbacPolicy.Action.ACCESS_AS_EXTERNAL);
    }
  }

  /** Deletes a network with its subnets; refused while any port is on it. */
  public void delete(Actor actor, String id) {
    owned(actor, id);
    db.inTransaction(
        sql -> {
          NetworkStore store = new NetworkStore(sql);
          // The lock makes a port created at the same moment wait, then fail on the missing network.
          Network locked = store.lockNetwork(id).orElseThrow(() -> NetworkErrors.networkNotFound(id));
          if (locked.external()) {
            FloatingIps.deleteDisassociated(sql, id);
          }
          if (store.countPortsOnNetwork(id) > 0) {
            throw ServiceException.conflict(
                "NetworkInUse",
                "Unable to complete operation on network "
                    + id
                    + ". There are one or more ports still in use on the network.");
          }
          if (new RouterStore(sql).countWithGatewayOn(id) > 0) {
            throw ServiceException.conflict(
                "NetworkInUse",
                "Unable to complete operation on network " + id + ". There are one or more routers with their gateway"
                    + " on the network.");
          }
          TagStore tags = new TagStore(sql);
          for (Subnet subnet : store.subnets().subnetsOfNetwork(id)) {
            tags.removeAll(subnet.id());
            store.subnets().deleteSubnet(subnet.id());
            AddressAllocator.released(List.of(subnet.id()));
          }
          tags.removeAll(id);
          return store.deleteNetwork(id);
        });
  }

  /** The provider segments of these networks, by network (for admins' views). */
  public java.util.Map<String, NetworkSegment> segments(java.util.Collection<String> networkIds) {
    return new SegmentStore(db.sql()).of(networkIds);
  }

  /** A network the actor may change: its own, or any for an admin. */
  Network owned(Actor actor, String id) {
    Network network = visible(actor, id);
    if (!actor.owns(network.projectId())) {
      // Neutron hides what it will not let a project change behind the same 404... except
      // shared networks, which the project can see: those answer 403.
      throw NetworkErrors.policy("update_network");
    }
    return network;
  }

  /** {@code is_default} (the default external network) is an admin's choice, for external networks only. */
  private static void checkDefault(Actor actor, Boolean isDefault, boolean external, String rule) {
    // openstack4j sends is_default: false with every network, so only true needs an admin.
    if (isDefault == null || !isDefault) {
      return;
    }
    if (!actor.admin()) {
      throw NetworkErrors.policy(rule);
    }
    if (!external) {
      throw NetworkErrors.invalid("only an external network (router:external) can be the default external network.");
    }
  }

  /**
   * One default external network at most. The check runs under the network's lock; two admins
   * marking two different networks at the same instant could both pass it (Neutron has the same
   * window), which the next change of either reveals.
   */
  private static void checkNoOtherDefault(NetworkStore store, String id) {
    for (Network n : store.listNetworks()) {
      if (n.isDefault() && !n.id().equals(id)) {
        throw ServiceException.conflict(
            "DefaultExternalNetworkExists", "Network " + n.id() + " is already the default external network.");
      }
    }
  }

  private static void checkMtu(int mtu) {
    if (mtu < 68 || mtu > 9216) {
      throw NetworkErrors.invalid("mtu " + mtu + " is out of range; it must be between 68 and 9216.");
    }
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The actor's project, or "" (no project's id) for a token scoped to none: it owns nothing. */
  private static String projectOrNone(Actor actor) {
    return actor.projectId() == null ? "" : actor.projectId();
  }
}
