package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.NetworkQuotaStore;
import dev.kiln.quota.Demand;
import dev.kiln.quota.QuotaStyle;
import dev.kiln.quota.Quotas;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neutron's per-project quotas ({@code /v2.0/quotas}): a project's limit is the one set for it,
 * else Neutron's default; -1 is no limit. Usage is counted from the networking tables when asked.
 * Enforced by {@link #reserve}, which creation calls in its transaction, after the locks of the
 * resources it changes: {@code network}, {@code subnet}, {@code subnetpool}, {@code port}, {@code
 * router}, {@code floatingip}, {@code security_group} and {@code security_group_rule} (a project's default group
 * and the rules Neutron makes with a group are counted but not checked, as in Neutron). Kiln has no
 * RBAC policies yet, so those show 0 in use.
 */
public final class NetworkQuotas {
  /** The largest limit Neutron accepts (its database's integer). */
  public static final long MAX_LIMIT = Integer.MAX_VALUE;

  /** Neutron's default limits (its quota_* options), for the resources a Neutron with ML2 has. */
  public static final Map<String, Long> DEFAULTS = defaults();

  private final Database db;

  public NetworkQuotas(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** One quota with its usage; Kiln counts usage when asked and reserves nothing ahead. */
  public record Quota(long limit, long used, long reserved) {}

  /** A project with limits of its own, and all its limits. */
  public record ProjectQuotas(String projectId, Map<String, Long> limits) {}

  // For the networking service, inside its transactions (static: it needs only the transaction)

  /**
   * Counts {@code count} more of {@code resource} against the project's quota, inside the caller's
   * transaction, which must also insert them: the project's quota row stays locked until it
   * commits, so concurrent creations never both take the last place. Refuses with Neutron's 409
   * OverQuota.
   */
  public static void reserve(Sql sql, String projectId, String resource, int count) {
    requireNonNull(sql, "sql is null");
    requireNonNull(projectId, "projectId is null");
    if (!NetworkQuotaStore.counts(resource) || count < 0) {
      throw new IllegalArgumentException("cannot reserve " + count + " of " + resource);
    }
    NetworkQuotaStore store = new NetworkQuotaStore(sql);
    // The lock and the one limit this needs in one statement, once the project has its quota row.
    long limit =
        store.lockWithLimit(projectId, resource)
            .map(locked -> locked.limit() == null ? DEFAULTS.get(resource) : locked.limit())
            .orElseGet(() -> {
              store.lock(projectId);
              return effective(store.limits(projectId)).get(resource);
            });
    if (limit == -1 || count == 0) {
      return; // nothing to check, so nothing to count
    }
    // Neutron's refusal names the resource, not the usage, so counting past limit + 1 tells nothing.
    long used = store.countUpTo(projectId, resource, Math.min(limit + 1, MAX_LIMIT + 1L));
    Quotas.require(QuotaStyle.NEUTRON, List.of(new Demand(resource, count, used, limit)));
  }

  // For the API

  /** Every project with limits of its own (admins only). */
  public List<ProjectQuotas> list(Actor actor) {
    requireAdmin(actor, "Only admin can view or configure quota");
    List<ProjectQuotas> out = new ArrayList<>();
    new NetworkQuotaStore(db.sql()).allLimits().forEach((project, set) -> out.add(new ProjectQuotas(project, effective(set))));
    return out;
  }

  public Map<String, Long> limits(Actor actor, String projectId) {
    authorizeRead(actor, projectId);
    return effective(new NetworkQuotaStore(db.sql()).limits(projectId));
  }

  public Map<String, Long> defaults(Actor actor, String projectId) {
    authorizeRead(actor, projectId);
    return DEFAULTS;
  }

  /** The project's limits with what it uses of each. */
  public Map<String, Quota> details(Actor actor, String projectId) {
    requireNonNull(actor, "actor is null");
    if (!actor.owns(projectId)) {
      requireAdmin(actor, "Only admin is authorized to access quotas for another project");
    }
    NetworkQuotaStore store = new NetworkQuotaStore(db.sql());
    Map<String, Quota> out = new LinkedHashMap<>();
    effective(store.limits(projectId))
        .forEach(
            (resource, limit) ->
                out.put(
                    resource,
                    new Quota(limit, NetworkQuotaStore.counts(resource) ? store.count(projectId, resource) : 0, 0)));
    return out;
  }

  /**
   * Sets limits of a project (admins only) and answers all of them. Names and values are checked
   * by the API. Unless {@code force}, no limit may fall below what the project uses (Neutron checks
   * this by default since 2025.1).
   */
  public Map<String, Long> update(Actor actor, String projectId, Map<String, Long> changes, boolean force) {
    requireNonNull(actor, "actor is null");
    if (!actor.admin()) {
      throw NetworkErrors.policy("update_quota");
    }
    changes.forEach(
        (resource, value) -> {
          if (!DEFAULTS.containsKey(resource) || value < -1 || value > MAX_LIMIT) {
            throw new IllegalArgumentException("not a valid Neutron quota: " + resource + " = " + value);
          }
        });
    return db.inTransaction(
        sql -> {
          NetworkQuotaStore store = new NetworkQuotaStore(sql);
          store.lock(projectId);
          if (!force) {
            Quotas.requireNotBelowUsage(
                QuotaStyle.NEUTRON,
                changes,
                resource -> NetworkQuotaStore.counts(resource) ? store.count(projectId, resource) : 0L);
          }
          changes.forEach((resource, limit) -> store.putLimit(projectId, resource, limit));
          return effective(store.limits(projectId));
        });
  }

  /** Forgets the project's limits (admins only): it has the defaults again. */
  public void reset(Actor actor, String projectId) {
    requireNonNull(actor, "actor is null");
    if (!actor.admin()) {
      throw NetworkErrors.policy("delete_quota");
    }
    db.inTransaction(
        sql -> {
          NetworkQuotaStore store = new NetworkQuotaStore(sql);
          store.lock(projectId);
          return store.deleteLimits(projectId);
        });
  }

  // Rules

  private static void authorizeRead(Actor actor, String projectId) {
    requireNonNull(actor, "actor is null");
    if (!actor.owns(projectId)) {
      throw NetworkErrors.policy("get_quota");
    }
  }

  private static void requireAdmin(Actor actor, String reason) {
    requireNonNull(actor, "actor is null");
    if (!actor.admin()) {
      throw ServiceException.forbidden("AdminRequired", "User does not have admin privileges: " + reason + ".");
    }
  }

  private static Map<String, Long> effective(Map<String, Long> set) {
    return Quotas.overlay(DEFAULTS, set);
  }

  private static Map<String, Long> defaults() {
    Map<String, Long> defaults = new LinkedHashMap<>();
    defaults.put("network", 100L);
    defaults.put("subnet", 100L);
    defaults.put("subnetpool", -1L);
    defaults.put("port", 500L);
    defaults.put("router", 10L);
    defaults.put("floatingip", 50L);
    defaults.put("security_group", 10L);
    defaults.put("security_group_rule", 100L);
    defaults.put("rbac_policy", 10L);
    return Collections.unmodifiableMap(defaults);
  }
}
