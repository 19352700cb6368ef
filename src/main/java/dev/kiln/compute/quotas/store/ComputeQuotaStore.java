package dev.kiln.compute.quotas.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nova's quota class limits and the usage counts taken from Compute's own tables; the per-project
 * limits and the lock rows are kept through the shared {@link dev.kiln.quota.QuotaStore}. The
 * caller decides the transaction.
 */
public final class ComputeQuotaStore {
  /** What a project holds of the counted resources. */
  public record Usage(long instances, long cores, long ram, long serverGroups) {}

  private final Sql sql;

  public ComputeQuotaStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Usage

  /** The project's servers, their vCPUs and RAM (MB), every server that still exists counting. */
  public Usage usage(String projectId) {
    return sql.queryOne(
            "SELECT COUNT(*) AS instances, COALESCE(SUM(flavor_vcpus), 0) AS cores,"
                + " COALESCE(SUM(flavor_ram_mb), 0) AS ram,"
                + " (SELECT COUNT(*) FROM compute_server_group g WHERE g.project_id = ?) AS server_groups"
                + " FROM compute_server WHERE project_id = ?",
            row -> new Usage(row.getLong("instances"), row.getLong("cores"), row.getLong("ram"), row.getLong("server_groups")),
            projectId,
            projectId)
        .orElseThrow();
  }

  /** How many keypairs the user has. */
  public long keypairs(String userId) {
    return sql.count("SELECT COUNT(*) FROM compute_keypair WHERE user_id = ?", userId);
  }

  // Class limits

  public Map<String, Long> classLimits(String className) {
    return limits("SELECT resource, hard_limit FROM compute_quota_class WHERE class_name = ?", className);
  }

  /**
   * Sets one class limit. Nothing locks a class, so the row is first made to exist (an insert that
   * does nothing if another request made it) and then set: two admins racing both succeed.
   */
  public void putClassLimit(String className, String resource, long limit) {
    sql.update(
        "INSERT INTO compute_quota_class (class_name, resource, hard_limit) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        className, resource, limit);
    sql.update(
        "UPDATE compute_quota_class SET hard_limit = ? WHERE class_name = ? AND resource = ?", limit, className, resource);
  }

  private Map<String, Long> limits(String query, String key) {
    Map<String, Long> limits = new LinkedHashMap<>();
    sql.query(query + " ORDER BY resource", row -> limits.put(row.getString("resource"), row.getLong("hard_limit")), key);
    return limits;
  }
}
