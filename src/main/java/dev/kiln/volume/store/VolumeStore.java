package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.Volume;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volume, snapshot and attachment tables. State changes are conditional updates: they name
 * the state they expect and report whether it was still there.
 */
public final class VolumeStore {
  private static final String VOLUME_COLUMNS =
      "id, project_id, user_id, name, description, size, status, attach_status, volume_type_id,"
          + " availability_zone, multiattach, bootable, source_volid, snapshot_id, created_at, updated_at, group_id";
  private static final String SNAPSHOT_COLUMNS =
      "id, project_id, user_id, volume_id, name, description, size, status, progress, created_at, updated_at,"
          + " group_snapshot_id";
  private static final String ATTACHMENT_COLUMNS =
      "id, volume_id, project_id, instance_uuid, attached_host, mountpoint, attach_status, attach_mode,"
          + " connector, connection_info, attach_time, created_at, updated_at";

  private final Sql sql;

  public VolumeStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Volumes

  public void insertVolume(Volume v) {
    sql.update(
        "INSERT INTO volume_volume (" + VOLUME_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        v.id(), v.projectId(), v.userId(), v.name(), v.description(), v.size(), v.status(), v.attachStatus(),
        v.volumeTypeId(), v.availabilityZone(), v.multiattach(), v.bootable(), v.sourceVolid(), v.snapshotId(),
        v.createdAt(), v.updatedAt(), v.groupId());
    // A new volume has no metadata rows to replace: only inserts.
    for (Map.Entry<String, String> e : v.metadata().entrySet()) {
      sql.update(
          "INSERT INTO volume_metadata (volume_id, meta_key, meta_value) VALUES (?, ?, ?)", v.id(), e.getKey(), e.getValue());
    }
    // Written once, with the volume: Cinder never changes it through the volumes API.
    for (Map.Entry<String, String> e : v.imageMetadata().entrySet()) {
      sql.update(
          "INSERT INTO volume_image_metadata (volume_id, meta_key, meta_value) VALUES (?, ?, ?)",
          v.id(), e.getKey(), e.getValue());
    }
  }

  public Optional<Volume> findVolume(String id) {
    return loadVolumes(" WHERE id = ?", id).stream().findFirst();
  }

  /** The volume, its row locked until the transaction ends (its attachments change one at a time). */
  public Optional<Volume> lockVolume(String id) {
    return complete(
            sql.query("SELECT " + VOLUME_COLUMNS + " FROM volume_volume WHERE id = ? FOR UPDATE", VolumeStore::volume, id))
        .stream()
        .findFirst();
  }

  public List<Volume> listVolumes(String projectId) {
    return projectId == null ? loadVolumes("") : loadVolumes(" WHERE project_id = ?", projectId);
  }

  /**
   * Moves a volume to a new state if it is still in one of the expected ones.
   *
   * @return whether the volume was in an expected state (and so moved)
   */
  public boolean transition(String id, List<String> expected, String status, String attachStatus, Instant now) {
    List<Object> args = new ArrayList<>(List.of(status, attachStatus, now, id));
    args.addAll(expected);
    return sql.update(
            "UPDATE volume_volume SET status = ?, attach_status = ?, updated_at = ? WHERE id = ? AND status IN "
                + Sql.placeholders(expected.size()),
            args.toArray())
        == 1;
  }

  public boolean resize(String id, int size, String expectedStatus, Instant now) {
    return sql.update(
            "UPDATE volume_volume SET size = ?, updated_at = ? WHERE id = ? AND status = ?",
            size, now, id, expectedStatus)
        == 1;
  }

  /** Changes a volume's type (and the multiattach it takes from it) while it is in one of {@code expectedStatuses}. */
  public boolean retype(String id, String typeId, boolean multiattach, List<String> expectedStatuses, Instant now) {
    String in = String.join(", ", java.util.Collections.nCopies(expectedStatuses.size(), "?"));
    Object[] args = new Object[4 + expectedStatuses.size()];
    args[0] = typeId;
    args[1] = multiattach;
    args[2] = now;
    args[3] = id;
    for (int i = 0; i < expectedStatuses.size(); i++) {
      args[4 + i] = expectedStatuses.get(i);
    }
    return sql.update(
            "UPDATE volume_volume SET volume_type_id = ?, multiattach = ?, updated_at = ? WHERE id = ? AND status IN ("
                + in + ")",
            args)
        == 1;
  }

  public void updateDescription(String id, String name, String description, boolean bootable, Instant now) {
    sql.update(
        "UPDATE volume_volume SET name = ?, description = ?, bootable = ?, updated_at = ? WHERE id = ?",
        name, description, bootable, now, id);
  }

  public void replaceMetadata(String volumeId, Map<String, String> metadata) {
    sql.update("DELETE FROM volume_metadata WHERE volume_id = ?", volumeId);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      sql.update(
          "INSERT INTO volume_metadata (volume_id, meta_key, meta_value) VALUES (?, ?, ?)", volumeId, e.getKey(), e.getValue());
    }
  }

  /** Sets one admin metadata key (readonly, attached_mode) of a volume. */
  public void putAdminMetadata(String volumeId, String key, String value) {
    sql.update("DELETE FROM volume_admin_metadata WHERE volume_id = ? AND meta_key = ?", volumeId, key);
    sql.update(
        "INSERT INTO volume_admin_metadata (volume_id, meta_key, meta_value) VALUES (?, ?, ?)", volumeId, key, value);
  }

  /** Replaces the image metadata of a volume (Cinder's os-set/unset_image_metadata actions). */
  public void replaceImageMetadata(String volumeId, Map<String, String> metadata) {
    sql.update("DELETE FROM volume_image_metadata WHERE volume_id = ?", volumeId);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      sql.update(
          "INSERT INTO volume_image_metadata (volume_id, meta_key, meta_value) VALUES (?, ?, ?)",
          volumeId, e.getKey(), e.getValue());
    }
  }

  /** Moves a volume to another type (a retype that needs no migration), which says multiattach. */
  public void retype(String id, String typeId, boolean multiattach, Instant now) {
    sql.update(
        "UPDATE volume_volume SET volume_type_id = ?, multiattach = ?, updated_at = ? WHERE id = ?",
        typeId, multiattach, now, id);
  }

  public int deleteAttachmentsOf(String volumeId) {
    return sql.update("DELETE FROM volume_attachment WHERE volume_id = ?", volumeId);
  }

  public int deleteVolume(String id) {
    return sql.update("DELETE FROM volume_volume WHERE id = ?", id);
  }

  public boolean volumeTypeInUse(String typeId) {
    return sql.count("SELECT COUNT(*) FROM volume_volume WHERE volume_type_id = ?", typeId) > 0;
  }

  private List<Volume> loadVolumes(String where, Object... args) {
    return complete(sql.query("SELECT " + VOLUME_COLUMNS + " FROM volume_volume" + where, VolumeStore::volume, args));
  }

  /**
   * The metadata tables {@link #complete} reads, each with the tag its rows carry in the union, in
   * a fixed order (the union's text is the key of its kept statement).
   */
  private static final List<Map.Entry<String, String>> METADATA_TABLES =
      List.of(
          Map.entry("a", "volume_admin_metadata"), Map.entry("i", "volume_image_metadata"), Map.entry("m", "volume_metadata"));

  /**
   * Each volume's entries in the three metadata tables, by tag ({@link #METADATA_TABLES}), then
   * by volume id, in key order: one statement (the store keeps a union prepared on H2, which
   * parses one again at every run otherwise).
   */
  private Map<String, Map<String, Map<String, String>>> metadataOf(Object[] ids) {
    String in = Sql.placeholders(ids.length);
    List<Object> args = new ArrayList<>();
    List<String> selects = new ArrayList<>();
    for (Map.Entry<String, String> table : METADATA_TABLES) {
      selects.add(
          "SELECT '" + table.getKey() + "' AS kind, volume_id, meta_key, meta_value FROM " + table.getValue()
              + " WHERE volume_id IN " + in);
      args.addAll(List.of(ids));
    }
    Map<String, Map<String, Map<String, String>>> byKind = new LinkedHashMap<>();
    sql.query(
        String.join(" UNION ALL ", selects) + " ORDER BY meta_key",
        r -> byKind
            .computeIfAbsent(r.getString("kind"), k -> new LinkedHashMap<>())
            .computeIfAbsent(r.getString("volume_id"), k -> new LinkedHashMap<>())
            .put(r.getString("meta_key"), r.getString("meta_value")),
        args.toArray());
    return byKind;
  }

  /**
   * The volumes with their metadata of the three kinds (one statement) and their attachments (one
   * more): two statements whatever the number of volumes.
   */
  private List<Volume> complete(List<Volume> bare) {
    if (bare.isEmpty()) {
      return bare;
    }
    Object[] ids = bare.stream().map(Volume::id).toArray();
    Map<String, Map<String, Map<String, String>>> byKind = metadataOf(ids);
    Map<String, Map<String, String>> metadata = byKind.getOrDefault("m", Map.of());
    Map<String, Map<String, String>> imageMetadata = byKind.getOrDefault("i", Map.of());
    Map<String, Map<String, String>> adminMetadata = byKind.getOrDefault("a", Map.of());
    Map<String, List<Attachment>> attachments = new LinkedHashMap<>();
    for (Attachment a :
        sql.query(
            "SELECT " + ATTACHMENT_COLUMNS + " FROM volume_attachment WHERE volume_id IN " + Sql.placeholders(ids.length)
                + " ORDER BY created_at, id",
            VolumeStore::attachment,
            ids)) {
      attachments.computeIfAbsent(a.volumeId(), k -> new ArrayList<>()).add(a);
    }
    List<Volume> full = new ArrayList<>();
    for (Volume v : bare) {
      full.add(
          new Volume(
              v.id(), v.projectId(), v.userId(), v.name(), v.description(), v.size(), v.status(), v.attachStatus(),
              v.volumeTypeId(), v.availabilityZone(), v.multiattach(), v.bootable(), v.sourceVolid(),
              v.snapshotId(), metadata.getOrDefault(v.id(), Map.of()), attachments.getOrDefault(v.id(), List.of()),
              v.createdAt(), v.updatedAt(), imageMetadata.getOrDefault(v.id(), Map.of()),
              adminMetadata.getOrDefault(v.id(), Map.of()), v.groupId()));
    }
    return full;
  }

  // Snapshots

  public void insertSnapshot(Snapshot s) {
    sql.update(
        "INSERT INTO volume_snapshot (" + SNAPSHOT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.projectId(), s.userId(), s.volumeId(), s.name(), s.description(), s.size(), s.status(),
        s.progress(), s.createdAt(), s.updatedAt(), s.groupSnapshotId());
    replaceSnapshotMetadata(s.id(), s.metadata());
  }

  public Optional<Snapshot> findSnapshot(String id) {
    return loadSnapshots(" WHERE id = ?", id).stream().findFirst();
  }

  public List<Snapshot> listSnapshots(String projectId) {
    return projectId == null ? loadSnapshots("") : loadSnapshots(" WHERE project_id = ?", projectId);
  }

  public List<Snapshot> snapshotsOf(String volumeId) {
    return loadSnapshots(" WHERE volume_id = ?", volumeId);
  }

  public boolean snapshotTransition(String id, List<String> expected, String status, Instant now) {
    List<Object> args = new ArrayList<>(List.of(status, now, id));
    args.addAll(expected);
    return sql.update(
            "UPDATE volume_snapshot SET status = ?, updated_at = ? WHERE id = ? AND status IN " + Sql.placeholders(expected.size()),
            args.toArray())
        == 1;
  }

  /** Sets status and progress if the snapshot is still in {@code expected}. */
  public boolean snapshotProgress(String id, String expected, String status, String progress, Instant now) {
    return sql.update(
            "UPDATE volume_snapshot SET status = ?, progress = COALESCE(?, progress), updated_at = ?"
                + " WHERE id = ? AND status = ?",
            status, progress, now, id, expected)
        == 1;
  }

  public void updateSnapshot(String id, String name, String description, Instant now) {
    sql.update("UPDATE volume_snapshot SET name = ?, description = ?, updated_at = ? WHERE id = ?", name, description, now, id);
  }

  public void replaceSnapshotMetadata(String snapshotId, Map<String, String> metadata) {
    sql.update("DELETE FROM volume_snapshot_metadata WHERE snapshot_id = ?", snapshotId);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      sql.update(
          "INSERT INTO volume_snapshot_metadata (snapshot_id, meta_key, meta_value) VALUES (?, ?, ?)",
          snapshotId, e.getKey(), e.getValue());
    }
  }

  /** Locks the snapshot's row until the transaction ends. */
  public Optional<Snapshot> lockSnapshot(String id) {
    return loadSnapshots(" WHERE id = ? FOR UPDATE", id).stream().findFirst();
  }

  public int deleteSnapshot(String id) {
    return sql.update("DELETE FROM volume_snapshot WHERE id = ?", id);
  }

  private List<Snapshot> loadSnapshots(String where, Object... args) {
    List<Snapshot> bare = sql.query("SELECT " + SNAPSHOT_COLUMNS + " FROM volume_snapshot" + where, VolumeStore::snapshot, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Object[] ids = bare.stream().map(Snapshot::id).toArray();
    Map<String, Map<String, String>> metadata = new LinkedHashMap<>();
    sql.query(
        "SELECT snapshot_id, meta_key, meta_value FROM volume_snapshot_metadata WHERE snapshot_id IN "
            + Sql.placeholders(ids.length) + " ORDER BY meta_key",
        r -> metadata.computeIfAbsent(r.getString("snapshot_id"), k -> new LinkedHashMap<>())
            .put(r.getString("meta_key"), r.getString("meta_value")),
        ids);
    List<Snapshot> full = new ArrayList<>();
    for (Snapshot s : bare) {
      full.add(new Snapshot(
          s.id(), s.projectId(), s.userId(), s.volumeId(), s.name(), s.description(), s.size(), s.status(),
          s.progress(), metadata.getOrDefault(s.id(), Map.of()), s.createdAt(), s.updatedAt(), s.groupSnapshotId()));
    }
    return full;
  }

  // Attachments

  public void insertAttachment(Attachment a) {
    sql.update(
        "INSERT INTO volume_attachment (" + ATTACHMENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(), a.volumeId(), a.projectId(), a.instanceUuid(), a.attachedHost(), a.mountpoint(), a.attachStatus(),
        a.attachMode(), a.connector(), a.connectionInfo(), a.attachTime(), a.createdAt(), a.updatedAt());
  }

  public Optional<Attachment> findAttachment(String id) {
    return sql.queryOne(
        "SELECT " + ATTACHMENT_COLUMNS + " FROM volume_attachment WHERE id = ?", VolumeStore::attachment, id);
  }

  public List<Attachment> attachmentsOf(String volumeId) {
    return sql.query(
        "SELECT " + ATTACHMENT_COLUMNS + " FROM volume_attachment WHERE volume_id = ? ORDER BY created_at, id",
        VolumeStore::attachment,
        volumeId);
  }

  public List<Attachment> listAttachments(String projectId) {
    return projectId == null
        ? sql.query("SELECT " + ATTACHMENT_COLUMNS + " FROM volume_attachment ORDER BY created_at, id", VolumeStore::attachment)
        : sql.query(
            "SELECT " + ATTACHMENT_COLUMNS + " FROM volume_attachment WHERE project_id = ? ORDER BY created_at, id",
            VolumeStore::attachment,
            projectId);
  }

  /** Saves an attachment's new state if it is still in the state it was read in. */
  public boolean updateAttachment(Attachment a, String expectedStatus) {
    return sql.update(
            "UPDATE volume_attachment SET attach_status = ?, connector = ?, connection_info = ?, attached_host = ?,"
                + " mountpoint = ?, attach_time = ?, updated_at = ?, instance_uuid = ? WHERE id = ? AND attach_status = ?",
            a.attachStatus(), a.connector(), a.connectionInfo(), a.attachedHost(), a.mountpoint(), a.attachTime(),
            a.updatedAt(), a.instanceUuid(), a.id(), expectedStatus)
        == 1;
  }

  public int deleteAttachment(String id) {
    return sql.update("DELETE FROM volume_attachment WHERE id = ?", id);
  }

  // Row mappers

  private static Volume volume(Sql.Row r) throws SQLException {
    return new Volume(
        r.getString("id"), r.getString("project_id"), r.getString("user_id"), r.getString("name"),
        r.getString("description"), r.getInt("size"), r.getString("status"), r.getString("attach_status"),
        r.getString("volume_type_id"), r.getString("availability_zone"), r.getBoolean("multiattach"),
        r.getBoolean("bootable"), r.getString("source_volid"), r.getString("snapshot_id"), Map.of(), List.of(),
        r.getInstant("created_at"), r.getInstant("updated_at"), Map.of(), Map.of(), r.getString("group_id"));
  }

  private static Snapshot snapshot(Sql.Row r) throws SQLException {
    return new Snapshot(
        r.getString("id"), r.getString("project_id"), r.getString("user_id"), r.getString("volume_id"),
        r.getString("name"), r.getString("description"), r.getInt("size"), r.getString("status"),
        r.getString("progress"), Map.of(), r.getInstant("created_at"), r.getInstant("updated_at"),
        r.getString("group_snapshot_id"));
  }

  private static Attachment attachment(Sql.Row r) throws SQLException {
    return new Attachment(
        r.getString("id"), r.getString("volume_id"), r.getString("project_id"), r.getString("instance_uuid"),
        r.getString("attached_host"), r.getString("mountpoint"), r.getString("attach_status"),
        r.getString("attach_mode"), r.getString("connector"), r.getString("connection_info"),
        r.getInstant("attach_time"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
