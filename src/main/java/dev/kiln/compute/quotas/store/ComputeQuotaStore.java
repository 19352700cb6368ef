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

  /**
   * The project's usage: the sums of its users' rows in compute_usage, which the server store
   * keeps as servers are made, resized and deleted (each boot reads it under the quota lock, and
   * summing the servers themselves grew with the project).
   */
  static final String USAGE =
      "SELECT COALESCE(SUM(instances), 0) AS instances, COALESCE(SUM(cores), 0) AS cores,"
          + " COALESCE(SUM(ram), 0) AS ram,"
          + " (SELECT COUNT(*) FROM compute_server_group g WHERE g.project_id = ?) AS server_groups"
          + " FROM compute_usage WHERE project_id = ?";

  /** The project's servers, their vCPUs and RAM (MB), every server that still exists counting. */
  public Usage usage(String projectId) {
    return sql.queryOne(
            USAGE,
            row -> new Usage(row.getLong("instances"), row.getLong("cores"), row.getLong("ram"), row.getLong("server_groups")),
            projectId,
            projectId)
        .orElseThrow();
  }

  /** The servers of one user in the project, their vCPUs and RAM (MB); server groups are the project's. */
  public Usage userUsage(String projectId, String userId) {
    return sql.queryOne(
            "SELECT COALESCE(SUM(instances), 0) AS instances, COALESCE(SUM(cores), 0) AS cores,"
                + " COALESCE(SUM(ram), 0) AS ram,"
                + " (SELECT COUNT(*) FROM compute_server_group g WHERE g.project_id = ? AND g.user_id = ?) AS server_groups"
                + " FROM compute_usage WHERE project_id = ? AND user_id = ?",
            row -> new Usage(row.getLong("instances"), row.getLong("cores"), row.getLong("ram"), row.getLong("server_groups")),
            projectId,
            userId,
            projectId,
            userId)
        .orElseThrow();
  }

  /**
   * Adds to (or, with negative numbers, takes from) what one user holds in the project, inside the
   * transaction that makes, resizes or deletes the servers: the usage row changes with them or not
   * at all. The row is made at the user's first server; a sum never goes below zero.
   */
  public void count(String projectId, String userId, long instances, long cores, long ram) {
    if (instances == 0 && cores == 0 && ram == 0) {
      return;
    }
    String add = "UPDATE compute_usage SET instances = GREATEST(instances + ?, 0), cores = GREATEST(cores + ?, 0),"
        + " ram = GREATEST(ram + ?, 0) WHERE project_id = ? AND user_id = ?";
    if (sql.update(add, instances, cores, ram, projectId, userId) == 1 || instances < 0 || cores < 0 || ram < 0) {
      return;
    }
    // The user's first server in the project (a racing first one may make the row just before).
    if (sql.update(
            "INSERT INTO compute_usage (project_id, user_id, instances, cores, ram) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
            projectId, userId, instances, cores, ram)
        == 0) {
      sql.update(add, instances, cores, ram, projectId, userId);
    }
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

  // Per-user limits (the caller holds the project's quota lock when it changes them)

  /** The limits set for a project and those set for one of its users, each by resource. */
  public record SetLimits(Map<String, Long> project, Map<String, Long> user) {}

  /**
   * The limits set for the project and for {@code userId} in it, read in one statement: a boot
   * reads both, and its statement budget is tight.
   */
  public SetLimits setLimits(String projectId, String userId) {
    Map<String, Long> project = new LinkedHashMap<>();
    Map<String, Long> user = new LinkedHashMap<>();
    sql.query(
        "SELECT 'p' AS scope, resource, hard_limit FROM compute_quota WHERE project_id = ?"
            + " UNION ALL SELECT 'u' AS scope, resource, hard_limit FROM compute_user_quota WHERE project_id = ? AND user_id = ?",
        row -> (row.getString("scope").equals("p") ? project : user).put(row.getString("resource"), row.getLong("hard_limit")),
        projectId,
        projectId,
        userId == null ? "" : userId);
    return new SetLimits(project, user);
  }

  /** The limits set for one user in the project, by resource. */
  public Map<String, Long> userLimits(String projectId, String userId) {
    Map<String, Long> limits = new LinkedHashMap<>();
    sql.query(
        "SELECT resource, hard_limit FROM compute_user_quota WHERE project_id = ? AND user_id = ? ORDER BY resource",
        row -> limits.put(row.getString("resource"), row.getLong("hard_limit")),
        projectId,
        userId);
    return limits;
  }

  /**
   * The sum of the limits set for users of the project, by resource, leaving out {@code exceptUser}
   * (null: every user). Unlimited (-1) user limits are left out of the sums.
   */
  public Map<String, Long> userLimitSums(String projectId, String exceptUser) {
    Map<String, Long> sums = new LinkedHashMap<>();
    sql.query(
        "SELECT resource, SUM(hard_limit) AS total FROM compute_user_quota"
            + " WHERE project_id = ? AND hard_limit >= 0 AND user_id <> ? GROUP BY resource",
        row -> sums.put(row.getString("resource"), row.getLong("total")),
        projectId,
        exceptUser == null ? "" : exceptUser);
    return sums;
  }

  public void putUserLimit(String projectId, String userId, String resource, long limit) {
    sql.update(
        "INSERT INTO compute_user_quota (project_id, user_id, resource, hard_limit) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        projectId, userId, resource, limit);
    sql.update(
        "UPDATE compute_user_quota SET hard_limit = ? WHERE project_id = ? AND user_id = ? AND resource = ?",
        limit, projectId, userId, resource);
  }

  /** Forgets the limits of one user of the project, or (userId null) of all its users. */
  public int deleteUserLimits(String projectId, String userId) {
    return userId == null
        ? sql.update("DELETE FROM compute_user_quota WHERE project_id = ?", projectId)
        : sql.update("DELETE FROM compute_user_quota WHERE project_id = ? AND user_id = ?", projectId, userId);
  }

  private Map<String, Long> limits(String query, String key) {
    Map<String, Long> limits = new LinkedHashMap<>();
    sql.query(query + " ORDER BY resource", row -> limits.put(row.getString("resource"), row.getLong("hard_limit")), key);
    return limits;
  }
}
