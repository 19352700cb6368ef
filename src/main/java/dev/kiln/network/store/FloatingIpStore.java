package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.FloatingIp;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The floating IP table. The caller decides the transaction and takes the locks. */
public final class FloatingIpStore {
  private static final String COLUMNS =
      "id, project_id, floating_network_id, floating_port_id, floating_ip_address, fixed_port_id,"
          + " fixed_ip_address, router_id, status, description, revision_number, created_at, updated_at";

  private final Sql sql;

  public FloatingIpStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(FloatingIp f) {
    sql.update(
        "INSERT INTO network_floatingip (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        f.id(), f.projectId(), f.floatingNetworkId(), f.floatingPortId(), f.floatingIpAddress(), f.portId(),
        f.fixedIpAddress(), f.routerId(), f.status(), f.description(), f.revision(), f.createdAt(), f.updatedAt());
  }

  public Optional<FloatingIp> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM network_floatingip WHERE id = ?", FloatingIpStore::floatingIp, id);
  }

  /** Locks the floating IP's row: its association changes one request at a time. */
  public Optional<FloatingIp> lock(String id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM network_floatingip WHERE id = ? FOR UPDATE", FloatingIpStore::floatingIp, id);
  }

  /** Every floating IP, or one project's. */
  public List<FloatingIp> list(String projectId) {
    return projectId == null
        ? sql.query("SELECT " + COLUMNS + " FROM network_floatingip", FloatingIpStore::floatingIp)
        : sql.query("SELECT " + COLUMNS + " FROM network_floatingip WHERE project_id = ?", FloatingIpStore::floatingIp, projectId);
  }

  /** The floating IPs with these ids that exist (at least one id), in no particular order. */
  public List<FloatingIp> byIds(Collection<String> ids) {
    Object[] args = new LinkedHashSet<>(ids).toArray();
    return sql.query(
        "SELECT " + COLUMNS + " FROM network_floatingip WHERE id IN " + Sql.placeholders(args.length),
        FloatingIpStore::floatingIp, args);
  }

  /** The floating IPs allocated on an external network, locked until the transaction ends. */
  public List<FloatingIp> lockOnNetwork(String floatingNetworkId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM network_floatingip WHERE floating_network_id = ? ORDER BY id FOR UPDATE",
        FloatingIpStore::floatingIp,
        floatingNetworkId);
  }

  /** The floating IPs associated with any of these ports (at least one id). */
  public List<FloatingIp> byFixedPorts(Collection<String> portIds) {
    Object[] args = new LinkedHashSet<>(portIds).toArray();
    return sql.query(
        "SELECT " + COLUMNS + " FROM network_floatingip WHERE fixed_port_id IN " + Sql.placeholders(args.length),
        FloatingIpStore::floatingIp,
        args);
  }

  /** The floating IP mapped to this fixed address on this external network, if any. */
  public Optional<FloatingIp> findByFixed(String floatingNetworkId, String portId, String fixedIp) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM network_floatingip WHERE floating_network_id = ? AND fixed_port_id = ?"
            + " AND fixed_ip_address = ?",
        FloatingIpStore::floatingIp, floatingNetworkId, portId, fixedIp);
  }

  /** Saves a changed floating IP if nobody changed it since {@code expectedRevision}. */
  public boolean update(FloatingIp f, long expectedRevision) {
    return sql.update(
            "UPDATE network_floatingip SET fixed_port_id = ?, fixed_ip_address = ?, router_id = ?, status = ?,"
                + " description = ?, revision_number = ?, updated_at = ? WHERE id = ? AND revision_number = ?",
            f.portId(), f.fixedIpAddress(), f.routerId(), f.status(), f.description(), f.revision(), f.updatedAt(),
            f.id(), expectedRevision)
        == 1;
  }

  /**
   * Clears every association with one of these ports (at least one id), as deleting a port does;
   * answers how many floating IPs were associated.
   */
  public int clearForPorts(Collection<String> portIds, java.time.Instant now) {
    Object[] ids = new LinkedHashSet<>(portIds).toArray();
    Object[] args = new Object[ids.length + 1];
    args[0] = now;
    System.arraycopy(ids, 0, args, 1, ids.length);
    return sql.update(
        "UPDATE network_floatingip SET fixed_port_id = NULL, fixed_ip_address = NULL, router_id = NULL,"
            + " status = 'DOWN', revision_number = revision_number + 1, updated_at = ?"
            + " WHERE fixed_port_id IN " + Sql.placeholders(ids.length),
        args);
  }

  /** Clears the port's associations with any address but {@code kept}. */
  public int clearForRemovedAddresses(String portId, List<String> kept, java.time.Instant now) {
    String notIn = kept.isEmpty() ? "" : " AND fixed_ip_address NOT IN " + Sql.placeholders(kept.size());
    Object[] args = new Object[kept.size() + 2];
    args[0] = now;
    args[1] = portId;
    for (int i = 0; i < kept.size(); i++) {
      args[i + 2] = kept.get(i);
    }
    return sql.update(
        "UPDATE network_floatingip SET fixed_port_id = NULL, fixed_ip_address = NULL, router_id = NULL,"
            + " status = 'DOWN', revision_number = revision_number + 1, updated_at = ? WHERE fixed_port_id = ?" + notIn,
        args);
  }

  public int delete(String id) {
    return sql.update("DELETE FROM network_floatingip WHERE id = ?", id);
  }

  /** How many floating IPs a router maps. */
  public long countForRouter(String routerId) {
    return sql.count("SELECT COUNT(*) FROM network_floatingip WHERE router_id = ?", routerId);
  }

  /** How many floating IPs a router maps to addresses on one of its interface subnets. */
  public long countForRouterSubnet(String routerId, String subnetId) {
    return sql.count(
        "SELECT COUNT(*) FROM network_floatingip f JOIN network_ip_allocation a"
            + " ON a.port_id = f.fixed_port_id AND a.ip_address = f.fixed_ip_address"
            + " WHERE f.router_id = ? AND a.subnet_id = ?",
        routerId, subnetId);
  }

  private static FloatingIp floatingIp(Sql.Row r) throws SQLException {
    return new FloatingIp(
        r.getString("id"), r.getString("project_id"), r.getString("floating_network_id"),
        r.getString("floating_port_id"), r.getString("floating_ip_address"), r.getString("fixed_port_id"),
        r.getString("fixed_ip_address"), r.getString("router_id"), r.getString("description"),
        r.getLong("revision_number"), r.getInstant("created_at"), r.getInstant("updated_at"));
  }
}
