package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.NetworkSegment;
import dev.kiln.store.Sql;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The network_segment table: each network's provider segment. The caller decides the transaction. */
public final class SegmentStore {
  private final Sql sql;

  public SegmentStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Serialises allocations until the transaction ends. */
  public void lockAllocations() {
    sql.query("SELECT id FROM network_segment_lock WHERE id = 1 FOR UPDATE", r -> r.getInt("id"));
  }

  public void insert(String networkId, NetworkSegment s) {
    sql.update(
        "INSERT INTO network_segment (network_id, network_type, physical_network, segmentation_id) VALUES (?, ?, ?, ?)",
        networkId, s.networkType(), s.physicalNetwork() == null ? "" : s.physicalNetwork(), s.segmentationId());
  }

  /** Whether a segment of this type and physical network ("" for none) holds this id (null: any segment). */
  public boolean isTaken(String type, String physnet, Long id) {
    return id == null
        ? sql.count("SELECT COUNT(*) FROM network_segment WHERE network_type = ? AND physical_network = ?", type, physnet) > 0
        : sql.count(
                "SELECT COUNT(*) FROM network_segment WHERE network_type = ? AND physical_network = ? AND segmentation_id = ?",
                type, physnet, id)
            > 0;
  }

  /** The lowest id from 1 to {@code max} that no segment of this type and physical network holds. */
  public Optional<Long> lowestFree(String type, String physnet, long max) {
    if (!isTaken(type, physnet, 1L)) {
      return Optional.of(1L);
    }
    List<Long> next =
        sql.query(
            "SELECT MIN(a.segmentation_id) + 1 AS free FROM network_segment a WHERE a.network_type = ?"
                + " AND a.physical_network = ? AND a.segmentation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                + " network_segment b WHERE b.network_type = a.network_type AND b.physical_network = a.physical_network"
                + " AND b.segmentation_id = a.segmentation_id + 1)",
            r -> r.getLong("free"),
            type, physnet);
    return next.stream().findFirst().filter(id -> id >= 1 && id <= max);
  }

  /** The segments of these networks (all networks when null), by network. */
  public Map<String, NetworkSegment> of(Collection<String> networkIds) {
    Map<String, NetworkSegment> out = new HashMap<>();
    String where = networkIds == null ? "" : " WHERE network_id IN " + Sql.placeholders(networkIds.size());
    if (networkIds != null && networkIds.isEmpty()) {
      return out;
    }
    Object[] args = networkIds == null ? new Object[0] : networkIds.toArray();
    sql.query(
        "SELECT network_id, network_type, physical_network, COALESCE(segmentation_id, -1) AS seg FROM network_segment"
            + where,
        r -> {
          String physnet = r.getString("physical_network");
          long id = r.getLong("seg");
          return out.put(
              r.getString("network_id"),
              new NetworkSegment(r.getString("network_type"), physnet.isEmpty() ? null : physnet, id < 0 ? null : id));
        },
        args);
    return out;
  }
}
