package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.store.Sql;
import dev.kiln.volume.Backup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup tables. State changes are conditional updates that name the statuses they expect and
 * report whether the backup was still in one; the caller decides the transaction.
 */
public final class BackupStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Map<String, String>>> STATE = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, project_id, user_id, volume_id, snapshot_id, name, description, container, availability_zone, size,"
          + " object_count, status, fail_reason, parent_id, num_dependent_backups, previous_volume_status,"
          + " restore_volume_id, volume_bootable, volume_state, data_timestamp, created_at, updated_at";

  private final Sql sql;

  public BackupStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Backup b) {
    sql.update(
        "INSERT INTO volume_backup (" + COLUMNS + ") VALUES " + Sql.placeholders(22),
        b.id(), b.projectId(), b.userId(), b.volumeId(), b.snapshotId(), b.name(), b.description(), b.container(),
        b.availabilityZone(), b.size(), b.objectCount(), b.status(), b.failReason(), b.parentId(), b.dependents(),
        b.previousVolumeStatus(), b.restoreVolumeId(), b.source().bootable(), stateJson(b.source()),
        b.dataTimestamp(), b.createdAt(), b.updatedAt());
    replaceMetadata(b.id(), b.metadata());
  }

  public Optional<Backup> find(String id) {
    return load(" WHERE id = ?", id).stream().findFirst();
  }

  /** Locks the backup's row until the transaction ends. */
  public Optional<Backup> lock(String id) {
    return load(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  /** A project's backups, or every backup when {@code projectId} is null. */
  public List<Backup> list(String projectId) {
    return projectId == null ? load("") : load(" WHERE project_id = ?", projectId);
  }

  /** The backups of one volume made by one project, for choosing an incremental backup's parent. */
  public List<Backup> ofVolume(String volumeId, String projectId) {
    return load(" WHERE volume_id = ? AND project_id = ?", volumeId, projectId);
  }

  /**
   * Moves a backup to {@code status} if it is still in one of {@code expected}; {@code failReason}
   * replaces the old one when not null.
   */
  public boolean transition(String id, List<String> expected, String status, String failReason, Instant now) {
    List<Object> args = new ArrayList<>(List.of(status, now, id));
    args.add(1, failReason);
    args.addAll(expected);
    return sql.update(
            "UPDATE volume_backup SET status = ?, fail_reason = COALESCE(?, fail_reason), updated_at = ?"
                + " WHERE id = ? AND status IN " + Sql.placeholders(expected.size()),
            args.toArray())
        == 1;
  }

  /** Ends a create: the backup goes from creating to available with the objects it wrote. */
  public boolean finishCreate(String id, int objectCount, Instant now) {
    return sql.update(
            "UPDATE volume_backup SET status = 'available', object_count = ?, updated_at = ? WHERE id = ?"
                + " AND status = 'creating'",
            objectCount, now, id)
        == 1;
  }

  /** Starts a restore: the backup goes from available to restoring, naming the volume it writes. */
  public boolean startRestore(String id, String volumeId, String restoring, String available, Instant now) {
    return sql.update(
            "UPDATE volume_backup SET status = ?, restore_volume_id = ?, updated_at = ? WHERE id = ? AND status = ?",
            restoring, volumeId, now, id, available)
        == 1;
  }

  /** Ends a restore: the backup goes back from restoring to available and forgets the volume. */
  public boolean endRestore(String id, String restoring, String available, Instant now) {
    return sql.update(
            "UPDATE volume_backup SET status = ?, restore_volume_id = NULL, updated_at = ? WHERE id = ? AND status = ?",
            available, now, id, restoring)
        == 1;
  }

  /** Counts one more (or, with -1, one fewer) incremental backup built on {@code id}. */
  public void addDependents(String id, int delta, Instant now) {
    sql.update(
        "UPDATE volume_backup SET num_dependent_backups = GREATEST(num_dependent_backups + ?, 0), updated_at = ?"
            + " WHERE id = ?",
        delta, now, id);
  }

  public void updateDescription(String id, String name, String description, Instant now) {
    sql.update("UPDATE volume_backup SET name = ?, description = ?, updated_at = ? WHERE id = ?", name, description, now, id);
  }

  public void replaceMetadata(String backupId, Map<String, String> metadata) {
    sql.update("DELETE FROM volume_backup_metadata WHERE backup_id = ?", backupId);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      sql.update(
          "INSERT INTO volume_backup_metadata (backup_id, meta_key, meta_value) VALUES (?, ?, ?)",
          backupId, e.getKey(), e.getValue());
    }
  }

  public int delete(String id) {
    return sql.update("DELETE FROM volume_backup WHERE id = ?", id);
  }

  private List<Backup> load(String where, Object... args) {
    List<Backup> bare = sql.query("SELECT " + COLUMNS + " FROM volume_backup" + where, BackupStore::backup, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Object[] ids = bare.stream().map(Backup::id).toArray();
    Map<String, Map<String, String>> metadata = new LinkedHashMap<>();
    sql.query(
        "SELECT backup_id, meta_key, meta_value FROM volume_backup_metadata WHERE backup_id IN "
            + Sql.placeholders(ids.length) + " ORDER BY meta_key",
        r -> metadata.computeIfAbsent(r.getString("backup_id"), k -> new LinkedHashMap<>())
            .put(r.getString("meta_key"), r.getString("meta_value")),
        ids);
    List<Backup> full = new ArrayList<>(bare.size());
    for (Backup b : bare) {
      full.add(b.metadata().isEmpty() && metadata.containsKey(b.id()) ? withMetadata(b, metadata.get(b.id())) : b);
    }
    return full;
  }

  private static Backup withMetadata(Backup b, Map<String, String> metadata) {
    return new Backup(b.id(), b.projectId(), b.userId(), b.volumeId(), b.snapshotId(), b.name(), b.description(),
        b.container(), b.availabilityZone(), b.size(), b.objectCount(), b.status(), b.failReason(), b.parentId(),
        b.dependents(), b.previousVolumeStatus(), b.restoreVolumeId(), b.source(), metadata, b.dataTimestamp(),
        b.createdAt(), b.updatedAt());
  }

  private static Backup backup(Sql.Row r) throws java.sql.SQLException {
    Map<String, Map<String, String>> state = readState(r.getString("volume_state"));
    return new Backup(
        r.getString("id"), r.getString("project_id"), r.getString("user_id"), r.getString("volume_id"),
        r.getString("snapshot_id"), r.getString("name"), r.getString("description"), r.getString("container"),
        r.getString("availability_zone"), r.getInt("size"), r.getInt("object_count"), r.getString("status"),
        r.getString("fail_reason"), r.getString("parent_id"), r.getInt("num_dependent_backups"),
        r.getString("previous_volume_status"), r.getString("restore_volume_id"),
        new Backup.Source(
            r.getBoolean("volume_bootable"),
            state.getOrDefault("metadata", Map.of()),
            state.getOrDefault("image_metadata", Map.of())),
        Map.of(), r.getInstant("data_timestamp"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }

  private static String stateJson(Backup.Source source) {
    try {
      return JSON.writeValueAsString(Map.of("metadata", source.metadata(), "image_metadata", source.imageMetadata()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private static Map<String, Map<String, String>> readState(String json) {
    try {
      return JSON.readValue(json, STATE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored volume_state is unreadable", e);
    }
  }
}
