package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The block device mappings of servers' volumes. */
public final class BlockDeviceStore {
  private static final String COLUMNS =
      "id, server_id, boot_index, source_type, source_id, volume_id, volume_size, volume_type, device_name,"
          + " delete_on_termination, tag, attachment_id, status, created_at";

  private final Sql sql;

  public BlockDeviceStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Records a mapping; a device name the server already uses is a duplicate key. */
  public void insert(BlockDevice d) {
    sql.update(
        "INSERT INTO compute_server_volume (" + COLUMNS + ") VALUES " + Sql.placeholders(14),
        d.id(), d.serverId(), d.bootIndex(), d.source().name(), d.sourceId(), d.volumeId(), d.volumeSize(),
        d.volumeType(), d.deviceName(), d.deleteOnTermination(), d.tag(), d.attachmentId(), d.state().name(),
        d.createdAt());
  }

  /** The server's mappings: the boot volume first, then by device name. */
  public List<BlockDevice> ofServer(String serverId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_server_volume WHERE server_id = ?"
            + " ORDER BY CASE WHEN boot_index IS NULL THEN 1 ELSE 0 END, boot_index, device_name",
        BlockDeviceStore::device,
        serverId);
  }

  /** The mappings of several servers, each server's in {@link #ofServer}'s order. */
  public Map<String, List<BlockDevice>> ofServers(List<String> serverIds) {
    Map<String, List<BlockDevice>> result = new HashMap<>();
    if (serverIds.isEmpty()) {
      return result;
    }
    sql.query(
            "SELECT " + COLUMNS + " FROM compute_server_volume WHERE server_id IN " + Sql.placeholders(serverIds.size())
                + " ORDER BY server_id, CASE WHEN boot_index IS NULL THEN 1 ELSE 0 END, boot_index, device_name",
            BlockDeviceStore::device,
            serverIds.toArray())
        .forEach(d -> result.computeIfAbsent(d.serverId(), k -> new ArrayList<>()).add(d));
    return result;
  }

  public Optional<BlockDevice> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_server_volume WHERE id = ?", BlockDeviceStore::device, id);
  }

  /** The server's mapping of this volume, if it has one. */
  public Optional<BlockDevice> ofServerAndVolume(String serverId, String volumeId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM compute_server_volume WHERE server_id = ? AND volume_id = ?",
        BlockDeviceStore::device,
        serverId,
        volumeId);
  }

  /**
   * Ends a swap: the mapping, detaching from the old volume, is attached to the new volume and
   * attachment; false (nothing changed) if it no longer is detaching from the old one.
   */
  public boolean swap(String id, String oldVolumeId, String newVolumeId, String newAttachmentId) {
    return sql.update(
            "UPDATE compute_server_volume SET volume_id = ?, attachment_id = ?, source_id = ?, status = ?"
                + " WHERE id = ? AND volume_id = ? AND status = ?",
            newVolumeId, newAttachmentId, newVolumeId, BlockDevice.State.ATTACHED.name(), id, oldVolumeId,
            BlockDevice.State.DETACHING.name())
        == 1;
  }

  /** Records the volume the build made for the mapping, unless an earlier attempt did. */
  public boolean setVolume(String id, String volumeId) {
    return sql.update("UPDATE compute_server_volume SET volume_id = ? WHERE id = ? AND volume_id IS NULL", volumeId, id) == 1;
  }

  /** Records the attachment of a mapping that has none yet; false when it has one, or is gone. */
  public boolean setAttachmentOnce(String id, String attachmentId) {
    return sql.update(
            "UPDATE compute_server_volume SET attachment_id = ? WHERE id = ? AND attachment_id IS NULL", attachmentId, id)
        == 1;
  }

  /** Deletes a mapping still without its attachment (an attach abandoned before its reservation). */
  public boolean deleteUnreserved(String id) {
    return sql.update("DELETE FROM compute_server_volume WHERE id = ? AND attachment_id IS NULL", id) == 1;
  }

  public void setAttachment(String id, String attachmentId) {
    sql.update("UPDATE compute_server_volume SET attachment_id = ? WHERE id = ?", attachmentId, id);
  }

  /** Moves the mapping from one state to another; answers whether it was in {@code from}. */
  public boolean transition(String id, BlockDevice.State from, BlockDevice.State to) {
    return sql.update(
            "UPDATE compute_server_volume SET status = ? WHERE id = ? AND status = ?", to.name(), id, from.name())
        == 1;
  }

  public int delete(String id) {
    return sql.update("DELETE FROM compute_server_volume WHERE id = ?", id);
  }

  private static BlockDevice device(Sql.Row row) throws SQLException {
    return new BlockDevice(
        row.getString("id"),
        row.getString("server_id"),
        row.getNullableInt("boot_index"),
        BlockDevice.Source.valueOf(row.getString("source_type")),
        row.getString("source_id"),
        row.getString("volume_id"),
        row.getNullableInt("volume_size"),
        row.getString("volume_type"),
        row.getString("device_name"),
        row.getBoolean("delete_on_termination"),
        row.getString("tag"),
        row.getString("attachment_id"),
        BlockDevice.State.valueOf(row.getString("status")),
        row.getInstant("created_at"));
  }
}
