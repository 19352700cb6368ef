package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Trunk;
import dev.kiln.network.Trunk.SubPort;
import dev.kiln.network.TrunkDetails;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trunk tables. A trunk's status is read with it from its parent port's row. The caller
 * decides the transaction and takes the locks (the parent port's row, then the trunk's).
 */
public final class TrunkStore {
  private static final String COLUMNS =
      "t.id, t.project_id, t.name, t.description, t.admin_state_up, t.port_id, t.revision_number, t.created_at,"
          + " t.updated_at, p.status AS port_status";
  private static final String FROM = " FROM network_trunk t JOIN network_port p ON p.id = t.port_id";

  private final Sql sql;

  public TrunkStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Trunk t) {
    sql.update(
        "INSERT INTO network_trunk (id, project_id, name, description, admin_state_up, port_id, revision_number,"
            + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(), t.projectId(), t.name(), t.description(), t.adminStateUp(), t.portId(), t.revision(), t.createdAt(),
        t.updatedAt());
  }

  public Optional<Trunk> find(String id) {
    return load(" WHERE t.id = ?", id).stream().findFirst();
  }

  /** Locks the trunk's row: subport changes to one trunk run one at a time. */
  public Optional<Trunk> lock(String id) {
    if (sql.query("SELECT id FROM network_trunk WHERE id = ? FOR UPDATE", r -> r.getString("id"), id).isEmpty()) {
      return Optional.empty();
    }
    return find(id);
  }

  /** Every trunk, or one project's. */
  public List<Trunk> list(String projectId) {
    return projectId == null ? load("") : load(" WHERE t.project_id = ?", projectId);
  }

  /** Saves name, description and admin state if nobody changed the trunk since {@code expectedRevision}. */
  public boolean update(Trunk t, long expectedRevision) {
    return sql.update(
            "UPDATE network_trunk SET name = ?, description = ?, admin_state_up = ?, revision_number = ?,"
                + " updated_at = ? WHERE id = ? AND revision_number = ?",
            t.name(), t.description(), t.adminStateUp(), t.revision(), t.updatedAt(), t.id(), expectedRevision)
        == 1;
  }

  /** Counts a change of subports in the trunk's revision. */
  public void touch(String id, Instant now) {
    sql.update(
        "UPDATE network_trunk SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?", now, id);
  }

  public int delete(String id) {
    sql.update("DELETE FROM network_trunk_subport WHERE trunk_id = ?", id);
    return sql.update("DELETE FROM network_trunk WHERE id = ?", id);
  }

  public void addSubPort(String trunkId, SubPort s, long position) {
    sql.update(
        "INSERT INTO network_trunk_subport (port_id, trunk_id, segmentation_type, segmentation_id, position)"
            + " VALUES (?, ?, ?, ?, ?)",
        s.portId(), trunkId, s.segmentationType(), s.segmentationId(), position);
  }

  public int removeSubPort(String trunkId, String portId) {
    return sql.update("DELETE FROM network_trunk_subport WHERE trunk_id = ? AND port_id = ?", trunkId, portId);
  }

  public long nextPosition(String trunkId) {
    return sql.count("SELECT COALESCE(MAX(position), 0) + 1 FROM network_trunk_subport WHERE trunk_id = ?", trunkId);
  }

  /** The trunk whose parent this port is, if any. */
  public Optional<String> trunkOfParent(String portId) {
    return sql.query("SELECT id FROM network_trunk WHERE port_id = ?", r -> r.getString("id"), portId).stream()
        .findFirst();
  }

  /** The trunk this port is a subport of, if any. */
  public Optional<String> trunkOfSubPort(String portId) {
    return sql.query("SELECT trunk_id FROM network_trunk_subport WHERE port_id = ?", r -> r.getString("trunk_id"), portId)
        .stream()
        .findFirst();
  }

  /** The trunk a port is the parent of, if any, with its subports. */
  public Optional<Trunk> ofParent(String portId) {
    return load(" WHERE t.port_id = ?", portId).stream().findFirst();
  }

  /**
   * The {@code trunk_details} of whichever of these ports are trunk parents, keyed by parent
   * port: the trunk and each subport with its MAC, in two queries whatever the number of ports.
   */
  public Map<String, TrunkDetails> detailsOfParents(List<String> portIds) {
    Map<String, TrunkDetails> out = new LinkedHashMap<>();
    if (portIds.isEmpty()) {
      return out;
    }
    Map<String, String> parentOf = new LinkedHashMap<>();
    for (int from = 0; from < portIds.size(); from += 500) {
      Object[] ids = portIds.subList(from, Math.min(portIds.size(), from + 500)).toArray();
      sql.query(
          "SELECT id, port_id FROM network_trunk WHERE port_id IN " + Sql.placeholders(ids.length),
          r -> parentOf.put(r.getString("id"), r.getString("port_id")),
          ids);
    }
    if (parentOf.isEmpty()) {
      return out;
    }
    Map<String, List<TrunkDetails.Member>> members = new LinkedHashMap<>();
    Object[] trunkIds = parentOf.keySet().toArray();
    sql.query(
        "SELECT s.trunk_id, s.port_id, s.segmentation_type, s.segmentation_id, p.mac_address FROM network_trunk_subport s"
            + " JOIN network_port p ON p.id = s.port_id WHERE s.trunk_id IN " + Sql.placeholders(trunkIds.length)
            + " ORDER BY s.position",
        r -> members.computeIfAbsent(r.getString("trunk_id"), k -> new ArrayList<>())
            .add(new TrunkDetails.Member(
                r.getString("port_id"), r.getString("segmentation_type"), r.getInt("segmentation_id"),
                r.getString("mac_address"))),
        trunkIds);
    parentOf.forEach((trunkId, portId) ->
        out.put(portId, new TrunkDetails(trunkId, members.getOrDefault(trunkId, List.of()))));
    return out;
  }

  private List<Trunk> load(String where, Object... args) {
    List<Trunk> bare = sql.query("SELECT " + COLUMNS + FROM + where, TrunkStore::trunk, args);
    if (bare.isEmpty()) {
      return bare;
    }
    Map<String, List<SubPort>> subPorts = new LinkedHashMap<>();
    Object[] ids = bare.stream().map(Trunk::id).toArray();
    sql.query(
        "SELECT trunk_id, port_id, segmentation_type, segmentation_id FROM network_trunk_subport WHERE trunk_id IN "
            + Sql.placeholders(ids.length) + " ORDER BY position",
        r -> subPorts.computeIfAbsent(r.getString("trunk_id"), k -> new ArrayList<>())
            .add(new SubPort(r.getString("port_id"), r.getString("segmentation_type"), r.getInt("segmentation_id"))),
        ids);
    List<Trunk> out = new ArrayList<>();
    for (Trunk t : bare) {
      out.add(
          new Trunk(
              t.id(), t.projectId(), t.name(), t.description(), t.adminStateUp(), t.portId(), t.status(),
              subPorts.getOrDefault(t.id(), List.of()), t.revision(), t.createdAt(), t.updatedAt()));
    }
    return out;
  }

  private static Trunk trunk(Sql.Row r) throws SQLException {
    return new Trunk(
        r.getString("id"), r.getString("project_id"), r.getString("name"), r.getString("description"),
        r.getBoolean("admin_state_up"), r.getString("port_id"),
        "ACTIVE".equals(r.getString("port_status")) ? "ACTIVE" : "DOWN", List.of(), r.getLong("revision_number"),
        r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
