package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.quota.QuotaStore;
import dev.kiln.quota.QuotaTables;
import dev.kiln.store.Sql;
import java.util.Map;
import java.util.Optional;

/**
 * Neutron's quota tables: limits set per project and the per-project lock row (kept through the
 * shared {@link QuotaStore}), and the usage counts taken from the networking tables. A counted
 * resource is one entry of {@code COUNTED_TABLES}. The caller decides the transaction.
 */
public final class NetworkQuotaStore {
  /** The table each counted quota counts rows of, by project. */
  private static final Map<String, String> COUNTED_TABLES =
      Map.of(
          "network", "network_network",
          "subnet", "network_subnet",
          "port", "network_port",
          "router", "network_router",
          "floatingip", "network_floatingip",
          "subnetpool", "network_subnetpool",
          "security_group", "network_security_group",
          "security_group_rule", "network_security_group_rule",
          "rbac_policy", "network_rbac_policy");

  /** Limits per project in network_quota; a lock row per project in network_quota_lock. */
  private static final QuotaTables TABLES = new QuotaTables("network_quota", "project_id", "network_quota_lock", "project_id");

  private final Sql sql;
  private final QuotaStore limits;

  public NetworkQuotaStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
    this.limits = new QuotaStore(sql, TABLES);
  }

  /**
   * Locks the project's quota row until the transaction ends, creating it first if the project has
   * none, so that creations and limit changes of one project count usage one at a time.
   */
  public void lock(String projectId) {
    // A project's row exists from its first creation on: lock it in one statement, and leave the
    // insert (which H2 tries, and undoes, even when the row is there) to a project's first time.
    boolean locked =
        sql.queryOne(
                "SELECT project_id FROM network_quota_lock WHERE project_id = ? FOR UPDATE",
                row -> row.getString("project_id"),
                projectId)
            .isPresent();
    if (!locked) {
      limits.lock(projectId);
    }
  }

  /**
   * Locks the project's quota row as {@link #lock} does and reads the limit set for one resource,
   * in one statement: empty when the project has no row yet (the caller then takes {@link #lock}),
   * else the limit set for the resource, or null when none is set (the default applies).
   */
  public Optional<Locked> lockWithLimit(String projectId, String resource) {
    return sql.queryOne(
        "SELECT l.project_id, (SELECT q.hard_limit FROM network_quota q WHERE q.project_id = l.project_id"
            + " AND q.resource = ?) AS hard_limit FROM network_quota_lock l WHERE l.project_id = ? FOR UPDATE",
        row -> {
          String limit = row.getString("hard_limit");
          return new Locked(limit == null ? null : Long.valueOf(limit));
        },
        resource, projectId);
  }

  /** A project's quota row, locked, with the limit set for one resource (null: none set). */
  public record Locked(Long limit) {}

  /** Whether {@link #count} can count this resource. */
  public static boolean counts(String resource) {
    return COUNTED_TABLES.containsKey(resource);
  }

  /** How many of a counted resource the project has. */
  public long count(String projectId, String resource) {
    String table = COUNTED_TABLES.get(resource);
    if (table == null) {
      throw new IllegalArgumentException("Kiln does not count " + resource);
    }
    return sql.count("SELECT COUNT(*) FROM " + table + " WHERE project_id = ?", projectId);
  }

  /**
   * How many of a counted resource the project has, counting no further than {@code atMost}: a
   * quota check only needs to know whether usage reaches its limit, and counting every row of a
   * project with thousands of ports costs more than the rest of a port create.
   */
  public long countUpTo(String projectId, String resource, long atMost) {
    String table = COUNTED_TABLES.get(resource);
    if (table == null) {
      throw new IllegalArgumentException("Kiln does not count " + resource);
    }
    return sql.count(
        "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " WHERE project_id = ? LIMIT ?) counted", projectId, atMost);
  }

  /** The limits set for a project, by resource; resources without a row have the default. */
  public Map<String, Long> limits(String projectId) {
    return limits.limits(projectId);
  }

  /** Every project's set limits, by project and resource. */
  public Map<String, Map<String, Long>> allLimits() {
    return limits.allLimits();
  }

  /** Sets one limit; callers hold the project's {@link #lock}, so nothing races it. */
  public void putLimit(String projectId, String resource, long limit) {
    limits.putLimit(projectId, resource, limit);
  }

  public int deleteLimits(String projectId) {
    return limits.deleteLimits(projectId);
  }
}
