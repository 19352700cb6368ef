package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.quota.QuotaStore;
import dev.kiln.quota.QuotaTables;
import dev.kiln.store.Sql;
import java.util.Map;
import java.util.Optional;

/**
 * The quota tables: hard limits per project and resource, and one usage row per project. Only the
 * volume service uses this class; the caller decides the transaction.
 */
public final class VolumeQuotaStore {
  /** A project's usage of the enforced quotas. */
  public record Usage(long volumes, long gigabytes, long snapshots, long backups, long backupGigabytes) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
  }

  /** Limits per project in volume_quota; the lock is the project's usage row ({@link #lockUsage}). */
  private static final QuotaTables TABLES = QuotaTables.limitsOnly("volume_quota", "project_id");

  /** Limits per quota class, with a lock row per class for its changes. */
  private static final QuotaTables CLASS_TABLES =
      new QuotaTables("volume_quota_class", "class_name", "volume_quota_class_lock", "class_name");

  private static final String USAGE_COLUMNS = "volumes, gigabytes, snapshots, backups, backup_gigabytes";

  private final Sql sql;
  private final QuotaStore limits;
  private final QuotaStore classes;

  public VolumeQuotaStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
    this.limits = new QuotaStore(sql, TABLES);
    this.classes = new QuotaStore(sql, CLASS_TABLES);
  }

  // Limits

  /** The limits set for a project, by resource name; resources without a row have the default. */
  public Map<String, Long> limits(String projectId) {
    return limits.limits(projectId);
  }

  /**
   * Sets one limit. Callers hold the project's usage row lock ({@link #lockUsage}), which makes
   * concurrent changes to one project's limits take turns, so update-then-insert cannot collide.
   */
  public void putLimit(String projectId, String resource, long limit) {
    limits.putLimit(projectId, resource, limit);
  }

  /** Removes every limit set for a project, which returns it to the defaults. */
  public int deleteLimits(String projectId) {
    return limits.deleteLimits(projectId);
  }

  /** Follows a volume type's rename in every project's and every class's per-type limits. */
  public int renameResource(String from, String to) {
    return sql.update("UPDATE volume_quota SET resource = ? WHERE resource = ?", to, from)
        + sql.update("UPDATE volume_quota_class SET resource = ? WHERE resource = ?", to, from);
  }

  /** Forgets a resource in every project and class, for a deleted volume type's per-type limits. */
  public int deleteResource(String resource) {
    return sql.update("DELETE FROM volume_quota WHERE resource = ?", resource)
        + sql.update("DELETE FROM volume_quota_class WHERE resource = ?", resource);
  }

  // Quota classes

  /** The limits set for a quota class, by resource. */
  /**
   * A class's limits overlaid with those set for a project, in one statement (a volume create
   * reads both): the project's value where it set one, else the class's.
   */
  public Map<String, Long> limitsOverClass(String projectId, String className) {
    Map<String, Long> classLimits = new java.util.LinkedHashMap<>();
    Map<String, Long> own = new java.util.LinkedHashMap<>();
    sql.query(
        "SELECT 0 AS own, resource, hard_limit FROM volume_quota_class WHERE class_name = ?"
            + " UNION ALL SELECT 1 AS own, resource, hard_limit FROM volume_quota WHERE project_id = ?",
        row -> (row.getInt("own") == 1 ? own : classLimits).put(row.getString("resource"), row.getLong("hard_limit")),
        className, projectId);
    classLimits.putAll(own);
    return classLimits;
  }

  public Map<String, Long> classLimits(String className) {
    return classes.limits(className);
  }

  /** Locks the class until the transaction ends, so changes to one class take turns. */
  public void lockClass(String className) {
    classes.lock(className);
  }

  /** Sets one limit of a class; the caller holds {@link #lockClass}. */
  public void putClassLimit(String className, String resource, long limit) {
    classes.putLimit(className, resource, limit);
  }

  // Usage

  public Optional<Usage> usage(String projectId) {
    return sql.queryOne(
        "SELECT " + USAGE_COLUMNS + " FROM volume_quota_usage WHERE project_id = ?",
        VolumeQuotaStore::usage,
        projectId);
  }

  /**
   * Locks the project's usage row until the transaction ends, creating it (at zero) first if the
   * project has none, and answers the usage. Reservations and limit changes of one project take
   * this lock, so a limit never changes between a reservation's check and its update.
   */
  public Usage lockUsage(String projectId) {
    Optional<Usage> locked = selectForUpdate(projectId);
    if (locked.isPresent()) {
      return locked.get();
    }
    // Without a conflict target, ON CONFLICT DO NOTHING is understood by PostgreSQL and by H2's
    // PostgreSQL mode alike. A concurrent first use of the same project waits for the other
    // insert and then inserts nothing, instead of failing (which on PostgreSQL would abort the
    // caller's whole transaction).
    sql.update(
        "INSERT INTO volume_quota_usage (project_id, volumes, gigabytes, snapshots) VALUES (?, 0, 0, 0)"
            + " ON CONFLICT DO NOTHING",
        projectId);
    return selectForUpdate(projectId)
        .orElseThrow(() -> new IllegalStateException("usage row of " + projectId + " vanished"));
  }

  /**
   * Adds to a project's usage only if every limit still holds afterwards; a limit below zero is no
   * limit. Answers whether it did.
   */
  public boolean addUsageWithin(
      String projectId,
      long volumes,
      long gigabytes,
      long snapshots,
      long volumeLimit,
      long gigabyteLimit,
      long snapshotLimit) {
    return sql.update(
            "UPDATE volume_quota_usage SET volumes = volumes + ?, gigabytes = gigabytes + ?,"
                + " snapshots = snapshots + ? WHERE project_id = ?"
                + " AND (? = 0 OR ? < 0 OR volumes + ? <= ?)"
                + " AND (? = 0 OR ? < 0 OR gigabytes + ? <= ?)"
                + " AND (? = 0 OR ? < 0 OR snapshots + ? <= ?)",
            volumes, gigabytes, snapshots, projectId,
            volumes, volumeLimit, volumes, volumeLimit,
            gigabytes, gigabyteLimit, gigabytes, gigabyteLimit,
            snapshots, snapshotLimit, snapshots, snapshotLimit)
        == 1;
  }

  /** Takes from a project's usage, never below zero. */
  public int subtractUsage(String projectId, long volumes, long gigabytes, long snapshots) {
    return sql.update(
        "UPDATE volume_quota_usage SET volumes = GREATEST(volumes - ?, 0),"
            + " gigabytes = GREATEST(gigabytes - ?, 0), snapshots = GREATEST(snapshots - ?, 0)"
            + " WHERE project_id = ?",
        volumes, gigabytes, snapshots, projectId);
  }

  /**
   * Adds backups to a project's usage only if both backup limits still hold afterwards; a limit
   * below zero is no limit. Answers whether it did.
   */
  public boolean addBackupUsageWithin(
      String projectId, long backups, long gigabytes, long backupLimit, long gigabyteLimit) {
    return sql.update(
            "UPDATE volume_quota_usage SET backups = backups + ?, backup_gigabytes = backup_gigabytes + ?"
                + " WHERE project_id = ?"
                + " AND (? = 0 OR ? < 0 OR backups + ? <= ?)"
                + " AND (? = 0 OR ? < 0 OR backup_gigabytes + ? <= ?)",
            backups, gigabytes, projectId,
            backups, backupLimit, backups, backupLimit,
            gigabytes, gigabyteLimit, gigabytes, gigabyteLimit)
        == 1;
  }

  /** Takes backups from a project's usage, never below zero. */
  public int subtractBackupUsage(String projectId, long backups, long gigabytes) {
    return sql.update(
        "UPDATE volume_quota_usage SET backups = GREATEST(backups - ?, 0),"
            + " backup_gigabytes = GREATEST(backup_gigabytes - ?, 0) WHERE project_id = ?",
        backups, gigabytes, projectId);
  }

  private static Usage usage(Sql.Row row) throws java.sql.SQLException {
    return new Usage(row.getLong("volumes"), row.getLong("gigabytes"), row.getLong("snapshots"),
        row.getLong("backups"), row.getLong("backup_gigabytes"));
  }

  private Optional<Usage> selectForUpdate(String projectId) {
    return sql.queryOne(
        "SELECT " + USAGE_COLUMNS + " FROM volume_quota_usage WHERE project_id = ? FOR UPDATE",
        VolumeQuotaStore::usage,
        projectId);
  }
}
