package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.VolumeTransfer;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The volume transfer table, and the change of owner a transfer makes to a volume and its
 * snapshots. One statement a call; the caller decides the transaction.
 */
public final class VolumeTransferStore {
  private static final String COLUMNS =
      "id, volume_id, name, salt, crypt_hash, no_snapshots, source_project_id, created_at";

  /** A stored transfer with what checks its key. */
  public record Row(VolumeTransfer transfer, String salt, String cryptHash) {}

  private final Sql sql;

  public VolumeTransferStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a transfer; a second one for the same volume is a duplicate key. */
  public void insert(VolumeTransfer t, String salt, String cryptHash) {
    sql.update(
        "INSERT INTO volume_transfer (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(), t.volumeId(), t.name(), salt, cryptHash, t.noSnapshots(), t.sourceProjectId(), t.createdAt());
  }

  public Optional<Row> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM volume_transfer WHERE id = ?", VolumeTransferStore::row, id);
  }

  /** Locks the transfer's row until the transaction ends: accepts and deletes of it take turns. */
  public Optional<Row> lock(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM volume_transfer WHERE id = ? FOR UPDATE", VolumeTransferStore::row, id);
  }

  /** The transfers of a project's volumes, or every one for null; oldest first, as Cinder lists them. */
  public List<VolumeTransfer> list(String projectId) {
    String order = " ORDER BY created_at ASC, id ASC";
    List<Row> rows =
        projectId == null
            ? sql.query("SELECT " + COLUMNS + " FROM volume_transfer" + order, VolumeTransferStore::row)
            : sql.query(
                "SELECT " + COLUMNS + " FROM volume_transfer WHERE source_project_id = ?" + order,
                VolumeTransferStore::row,
                projectId);
    return rows.stream().map(Row::transfer).toList();
  }

  public int delete(String id) {
    return sql.update("DELETE FROM volume_transfer WHERE id = ?", id);
  }

  /**
   * Gives the volume to another project and user, if it is still offered ({@code
   * awaiting-transfer} in {@code fromProject}); it becomes available. Answers whether it moved.
   */
  public boolean moveVolume(String volumeId, String fromProject, String toProject, String toUser, Instant now) {
    return sql.update(
            "UPDATE volume_volume SET project_id = ?, user_id = ?, status = 'available', updated_at = ?"
                + " WHERE id = ? AND project_id = ? AND status = 'awaiting-transfer'",
            toProject, toUser, now, volumeId, fromProject)
        == 1;
  }

  /** Gives the volume's snapshots to the volume's new project and user. */
  public int moveSnapshots(String volumeId, String toProject, String toUser, Instant now) {
    return sql.update(
        "UPDATE volume_snapshot SET project_id = ?, user_id = ?, updated_at = ? WHERE volume_id = ?",
        toProject, toUser, now, volumeId);
  }

  private static Row row(Sql.Row r) throws SQLException {
    return new Row(
        new VolumeTransfer(
            r.getString("id"), r.getString("volume_id"), r.getString("name"), r.getBoolean("no_snapshots"),
            r.getString("source_project_id"), null, false, r.getInstant("created_at")),
        r.getString("salt"),
        r.getString("crypt_hash"));
  }
}
