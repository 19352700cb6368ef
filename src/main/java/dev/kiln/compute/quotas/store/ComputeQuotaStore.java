package dev.kiln.compute.quotas.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nova's quota tables: limits set per project and per quota class, the lock rows, and the usage
 * counts taken from Compute's own tables. The caller decides the transaction.
 */
public final class ComputeQuotaStore {
  /** What a project holds of the counted resources. */
  public record Usage(long instances, long cores, long ram, long serverGroups) {}

  private final Sql sql;

  public ComputeQuotaStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Locking

  /**
   * Locks the project's quota row until the transaction ends, creating it first if the project has
   * none. Boots and limit changes of one project take this lock, so each counts and checks usage
   * with no other one in between.
   */
  public void lockProject(String projectId) {
    lock("project " + projectId);
  }

  /** Locks the user's quota row until the transaction ends: keypair creations take turns. */
  public void lockUser(String userId) {
    lock("user " + userId);
  }

  private void lock(String owner) {
    // ON CONFLICT DO NOTHING without a target works on PostgreSQL and in H2's PostgreSQL mode; a
    // concurrent first insert waits for the other one instead of failing the transaction.
    sql.update("INSERT INTO compute_quota_lock (owner) VALUES (?) ON CONFLICT DO NOTHING", owner);
    sql.queryOne("SELECT owner FROM compute_quota_lock WHERE owner = ? FOR UPDATE", row -> row.getString("owner"), owner)
        .orElseThrow(() -> new IllegalStateException("quota lock row of " + owner + " vanished"));
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

  // Project limits

  /** The limits set for a project, by resource; resources without a row have the default. */
  public Map<String, Long> projectLimits(String projectId) {
    return limits("SELECT resource, hard_limit FROM compute_quota WHERE project_id = ?", projectId);
  }

  /** Sets one project limit; callers hold the project's {@link #lock}, so nothing races it. */
  public void putProjectLimit(String projectId, String resource, long limit) {
    if (sql.update(
            "UPDATE compute_quota SET hard_limit = ? WHERE project_id = ? AND resource = ?", limit, projectId, resource)
        == 0) {
      sql.update(
          "INSERT INTO compute_quota (project_id, resource, hard_limit) VALUES (?, ?, ?)", projectId, resource, limit);
    }
  }

  /** Forgets every limit set for the project. */
  public int deleteProjectLimits(String projectId) {
    return sql.update("DELETE FROM compute_quota WHERE project_id = ?", projectId);
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
