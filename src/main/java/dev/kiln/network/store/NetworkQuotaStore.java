package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Neutron's quota tables: limits set per project, the per-project lock row, and the usage counts
 * taken from the networking tables. The caller decides the transaction.
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
          "security_group_rule", "network_security_group_rule");

  private final Sql sql;

  public NetworkQuotaStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /**
   * Locks the project's quota row until the transaction ends, creating it first if the project has
   * none, so that creations and limit changes of one project count usage one at a time.
   */
  public void lock(String projectId) {
    // ON CONFLICT DO NOTHING without a target works on PostgreSQL and in H2's PostgreSQL mode.
    sql.update("INSERT INTO network_quota_lock (project_id) VALUES (?) ON CONFLICT DO NOTHING", projectId);
    sql.queryOne(
            "SELECT project_id FROM network_quota_lock WHERE project_id = ? FOR UPDATE",
            row -> row.getString("project_id"),
            projectId)
        .orElseThrow(() -> new IllegalStateException("quota lock row of " + projectId + " vanished"));
  }

  /** Whether {@link #count} can count this resource; Kiln has no RBAC policies yet. */
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

  /** The limits set for a project, by resource; resources without a row have the default. */
  public Map<String, Long> limits(String projectId) {
    Map<String, Long> limits = new LinkedHashMap<>();
    sql.query(
        "SELECT resource, hard_limit FROM network_quota WHERE project_id = ? ORDER BY resource",
        row -> limits.put(row.getString("resource"), row.getLong("hard_limit")),
        projectId);
    return limits;
  }

  /** Every project's set limits, by project and resource. */
  public Map<String, Map<String, Long>> allLimits() {
    Map<String, Map<String, Long>> all = new LinkedHashMap<>();
    sql.query(
        "SELECT project_id, resource, hard_limit FROM network_quota ORDER BY project_id, resource",
        row ->
            all.computeIfAbsent(row.getString("project_id"), p -> new LinkedHashMap<>())
                .put(row.getString("resource"), row.getLong("hard_limit")));
    return all;
  }

  /** Sets one limit; callers hold the project's {@link #lock}, so nothing races it. */
  public void putLimit(String projectId, String resource, long limit) {
    if (sql.update(
            "UPDATE network_quota SET hard_limit = ? WHERE project_id = ? AND resource = ?", limit, projectId, resource)
        == 0) {
      sql.update(
          "INSERT INTO network_quota (project_id, resource, hard_limit) VALUES (?, ?, ?)", projectId, resource, limit);
    }
  }

  public int deleteLimits(String projectId) {
    return sql.update("DELETE FROM network_quota WHERE project_id = ?", projectId);
  }
}
