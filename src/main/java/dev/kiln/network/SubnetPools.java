package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.SubnetPoolStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Neutron subnet pools ({@code subnet_allocation}, {@code default-subnetpools}): prefixes and the
 * lengths subnets cut from them may have, and the cutting itself, which {@link Subnets} asks for
 * inside its transaction under the pool's row lock, so two subnets never get overlapping prefixes
 * from one pool however requests race.
 */
public final class SubnetPools {
  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;

  public SubnetPools(Database db, IdGenerator ids, Networks networks) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
  }

  /** What a create or update asks for; null means "the default" or "unchanged". */
  public record Spec(
      String projectId,
      String name,
      String description,
      List<String> prefixes,
      Integer defaultPrefixlen,
      Integer minPrefixlen,
      Integer maxPrefixlen,
      Integer defaultQuota,
      boolean addressScopeGiven,
      String addressScopeId,
      Boolean shared,
      Boolean isDefault) {}

  public SubnetPool create(Actor actor, Spec spec) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    if (spec.name() == null) {
      throw ServiceException.invalid("HTTPBadRequest", "Failed to parse request. Required attribute 'name' not specified");
    }
    if (spec.prefixes() == null || spec.prefixes().isEmpty()) {
      throw ServiceException.invalid("EmptySubnetPoolPrefixList", "Empty subnet pool prefix list.");
    }
    checkAdminOnly(actor, spec);
    List<IpNetwork> parsed = parse(spec.prefixes());
    int version = parsed.getFirst().version();
    if (parsed.stream().anyMatch(p -> p.version() != version)) {
      throw ServiceException.invalid("PrefixVersionMismatch", "Cannot mix IPv4 and IPv6 prefixes in a subnet pool.");
    }
    int min = requireNonNullElse(spec.minPrefixlen(), version == 4 ? 8 : 64);
    int max = requireNonNullElse(spec.maxPrefixlen(), IpNetwork.bits(version));
    int def = requireNonNullElse(spec.defaultPrefixlen(), min);
    checkBounds(version, min, max, def);
    Instant now = networks.now();
    SubnetPool pool =
        new SubnetPool(
            ids.uuid(), project, spec.name(), requireNonNullElse(spec.description(), ""), version,
            Prefixes.merge(version, parsed).stream().map(IpNetwork::toString).toList(), def, min, max, spec.defaultQuota(),
            spec.addressScopeId(), requireNonNullElse(spec.shared(), false), requireNonNullElse(spec.isDefault(), false), 1,
            now, now);
    return db.inTransaction(
        sql -> {
          SubnetPoolStore store = new SubnetPoolStore(sql);
          checkScope(actor, store, pool);
          checkOneDefault(store, pool);
          NetworkQuotas.reserve(sql, project, "subnetpool", 1);
          store.insert(pool);
          return pool;
        });
  }

  /** A pool the actor may see: its own, a shared one, or any for an admin. */
  public SubnetPool visible(Actor actor, String id) {
    SubnetPool pool = new SubnetPoolStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
    if (!actor.owns(pool.projectId()) && !pool.shared()) {
      throw notFound(id);
    }
    return pool;
  }

  public List<SubnetPool> list(Actor actor) {
    return new SubnetPoolStore(db.sql()).list().stream().filter(p -> actor.owns(p.projectId()) || p.shared()).toList();
  }

  /**
   * Changes a pool. Prefixes may only grow (every address of the old ones must stay in the pool);
   * lengths are checked again.
   */
  public SubnetPool update(Actor actor, String id, Spec changes, Long expectedRevision) {
    SubnetPool old = visible(actor, id);
    if (!actor.owns(old.projectId())) {
      throw NetworkErrors.policy("update_subnetpool");
    }
    checkAdminOnly(actor, changes);
    return db.inTransaction(
        sql -> {
          SubnetPoolStore store = new SubnetPoolStore(sql);
          SubnetPool current = store.lock(id).orElseThrow(() -> notFound(id));
          NetworkErrors.checkRevision(expectedRevision, current.revision());
          List<String> prefixes = current.prefixes();
          if (changes.prefixes() != null) {
            List<IpNetwork> wanted = parse(changes.prefixes());
            if (wanted.stream().anyMatch(p -> p.version() != current.ipVersion())) {
              throw ServiceException.invalid("PrefixVersionMismatch", "Cannot mix IPv4 and IPv6 prefixes in a subnet pool.");
            }
            if (!Prefixes.covers(current.ipVersion(), wanted, parse(current.prefixes()))) {
              throw ServiceException.invalid(
                  "IllegalSubnetPoolPrefixUpdate",
                  "Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.");
            }
            prefixes = Prefixes.merge(current.ipVersion(), wanted).stream().map(IpNetwork::toString).toList();
          }
          int min = requireNonNullElse(changes.minPrefixlen(), current.minPrefixlen());
          int max = requireNonNullElse(changes.maxPrefixlen(), current.maxPrefixlen());
          int def = requireNonNullElse(changes.defaultPrefixlen(), current.defaultPrefixlen());
          checkBounds(current.ipVersion(), min, max, def);
          SubnetPool updated =
              new SubnetPool(
                  id, current.projectId(), requireNonNullElse(changes.name(), current.name()),
                  requireNonNullElse(changes.description(), current.description()), current.ipVersion(), prefixes, def,
                  min, max, changes.defaultQuota() != null ? changes.defaultQuota() : current.defaultQuota(),
                  changes.addressScopeGiven() ? changes.addressScopeId() : current.addressScopeId(),
                  requireNonNullElse(changes.shared(), current.shared()),
                  requireNonNullElse(changes.isDefault(), current.isDefault()), current.revision() + 1,
                  current.createdAt(), networks.now());
          checkScope(actor, store, updated);
          checkOneDefault(store, updated);
          if (!store.update(updated, current.revision())) {
            throw NetworkErrors.concurrentChange("Subnet pool", id);
          }
          return updated;
        });
  }

  /** Deletes a pool no subnet was cut from (else Neutron's 400 SubnetPoolDeleteError). */
  public void delete(Actor actor, String id) {
    SubnetPool pool = visible(actor, id);
    if (!actor.owns(pool.projectId())) {
      throw NetworkErrors.policy("delete_subnetpool");
    }
    db.inTransaction(
        sql -> {
          SubnetPoolStore store = new SubnetPoolStore(sql);
          store.lock(id).orElseThrow(() -> notFound(id));
          if (!store.allocatedCidrs(id).isEmpty()) {
            throw ServiceException.invalid(
                "SubnetPoolDeleteError", "Unable to delete subnet pool: Subnet pool has existing allocations.");
          }
          new TagStore(sql).removeAll(id);
          return store.delete(id);
        });
  }

  // For Subnets, inside its transaction

  /** The default pool of an IP version ({@code use_default_subnetpool}). */
  SubnetPool defaultPool(int ipVersion) {
    return new SubnetPoolStore(db.sql())
        .findDefault(ipVersion)
        .orElseThrow(() -> NetworkErrors.badRequest("subnets", "No default subnetpool found for IPv" + ipVersion));
  }

  /**
   * Cuts a subnet from the pool under its row lock: the CIDR asked for, if it is free in the pool,
   * else the first free block of {@code prefixlen} (the pool's default when null), smallest free
   * space first.
   */
  static IpNetwork allocate(Sql sql, String poolId, IpNetwork requested, Integer prefixlen) {
    SubnetPoolStore store = new SubnetPoolStore(sql);
    SubnetPool pool = store.lock(poolId).orElseThrow(() -> notFound(poolId));
    int length = requested != null ? requested.prefix() : requireNonNullElse(prefixlen, pool.defaultPrefixlen());
    if (length > pool.maxPrefixlen()) {
      throw ServiceException.invalid(
          "MaxPrefixSubnetAllocationError",
          "Unable to allocate subnet with prefix length " + length + ", maximum allowed prefix is " + pool.maxPrefixlen()
              + ".");
    }
    if (length < pool.minPrefixlen()) {
      throw ServiceException.invalid(
          "MinPrefixSubnetAllocationError",
          "Unable to allocate subnet with prefix length " + length + ", minimum allowed prefix is " + pool.minPrefixlen()
              + ".");
    }
    List<IpNetwork> taken = new ArrayList<>();
    store.allocatedCidrs(poolId).forEach(c -> taken.add(IpNetwork.parse(c)));
    List<IpNetwork> free = Prefixes.free(pool.ipVersion(), parse(pool.prefixes()), taken);
    if (requested != null) {
      if (!Prefixes.fits(free, requested)) {
        throw allocationError("Cannot allocate requested subnet from the available set of prefixes");
      }
      return requested;
    }
    IpNetwork chosen = Prefixes.allocate(free, length);
    if (chosen == null) {
      throw allocationError("Insufficient prefix space to allocate subnet size /" + length);
    }
    return chosen;
  }

  // Rules

  private static void checkAdminOnly(Actor actor, Spec spec) {
    if (Boolean.TRUE.equals(spec.shared()) && !actor.admin()) {
      throw NetworkErrors.policy("create_subnetpool:shared");
    }
    if (spec.isDefault() != null && !actor.admin()) {
      throw NetworkErrors.policy("create_subnetpool:is_default");
    }
  }

  private static void checkBounds(int version, int min, int max, int def) {
    int bits = IpNetwork.bits(version);
    if (min < 0 || max > bits || min > max) {
      throw illegalBounds("min_prefixlen", min, "max_prefixlen", max);
    }
    if (def < min) {
      throw illegalBounds("default_prefixlen", def, "min_prefixlen", min);
    }
    if (def > max) {
      throw illegalBounds("default_prefixlen", def, "max_prefixlen", max);
    }
  }

  private static ServiceException illegalBounds(String type, int length, String baseType, int baseLength) {
    return ServiceException.invalid(
        "IllegalSubnetPoolPrefixBounds",
        "Invalid input for operation: Illegal prefix bounds: " + type + "=" + length + ", " + baseType + "=" + baseLength
            + ".");
  }

  private static void checkScope(Actor actor, SubnetPoolStore store, SubnetPool pool) {
    if (pool.addressScopeId() == null) {
      return;
    }
    AddressScope scope =
        store.findScope(pool.addressScopeId())
            .filter(s -> actor.owns(s.projectId()) || s.shared())
            .orElseThrow(() -> AddressScopes.notFound(pool.addressScopeId()));
    if (scope.ipVersion() != pool.ipVersion()) {
      throw ServiceException.invalid(
          "IllegalSubnetPoolAssociationToAddressScope",
          "Illegal subnetpool association: subnetpool " + pool.id() + " cannot be associated with address scope "
              + scope.id() + ".");
    }
  }

  private static void checkOneDefault(SubnetPoolStore store, SubnetPool pool) {
    if (pool.isDefault()
        && store.findDefault(pool.ipVersion()).filter(other -> !other.id().equals(pool.id())).isPresent()) {
      throw NetworkErrors.badRequest(
          "subnetpool",
          "A default subnetpool for this IP family has already been set. Only one default may exist per IP family");
    }
  }

  private static List<IpNetwork> parse(List<String> cidrs) {
    List<IpNetwork> out = new ArrayList<>();
    for (String text : cidrs) {
      IpNetwork cidr = IpNetwork.parse(text);
      if (cidr == null) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for prefixes. Reason: '" + text + "' is not a valid IP subnet.");
      }
      out.add(cidr.normalized());
    }
    return out;
  }

  static ServiceException notFound(String id) {
    return ServiceException.notFound("SubnetPoolNotFound", "Subnet pool " + id + " could not be found.");
  }

  private static ServiceException allocationError(String reason) {
    return ServiceException.conflict("SubnetAllocationError", "Failed to allocate subnet: " + reason + ".");
  }
}
