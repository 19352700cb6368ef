package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.PortForwarding;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The port forwarding table. The caller decides the transaction and locks the floating IP first. */
public final class PortForwardingStore {
  private static final String COLUMNS =
      "id, floatingip_id, internal_port_id, internal_ip_address, internal_port, external_port, protocol, description";

  private final Sql sql;

  public PortForwardingStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(PortForwarding f) {
    sql.update(
        "INSERT INTO network_port_forwarding (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        f.id(), f.floatingIpId(), f.internalPortId(), f.internalIpAddress(), f.internalPort(), f.externalPort(),
        f.protocol(), f.description());
  }

  public void update(PortForwarding f) {
    sql.update(
        "UPDATE network_port_forwarding SET internal_port_id = ?, internal_ip_address = ?, internal_port = ?,"
            + " external_port = ?, protocol = ?, description = ? WHERE id = ?",
        f.internalPortId(), f.internalIpAddress(), f.internalPort(), f.externalPort(), f.protocol(), f.description(),
        f.id());
  }

  public Optional<PortForwarding> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM network_port_forwarding WHERE id = ?", PortForwardingStore::row, id);
  }

  public List<PortForwarding> ofFloatingIp(String floatingIpId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM network_port_forwarding WHERE floatingip_id = ? ORDER BY external_port, protocol",
        PortForwardingStore::row,
        floatingIpId);
  }

  /** The forwardings of these floating IPs, by floating IP. */
  public Map<String, List<PortForwarding>> ofFloatingIps(Collection<String> floatingIpIds) {
    Map<String, List<PortForwarding>> out = new LinkedHashMap<>();
    if (floatingIpIds.isEmpty()) {
      return out;
    }
    sql.query(
            "SELECT " + COLUMNS + " FROM network_port_forwarding WHERE floatingip_id IN "
                + Sql.placeholders(floatingIpIds.size()) + " ORDER BY external_port, protocol",
            PortForwardingStore::row,
            floatingIpIds.toArray())
        .forEach(f -> out.computeIfAbsent(f.floatingIpId(), k -> new ArrayList<>()).add(f));
    return out;
  }

  public long countForPort(String portId) {
    return sql.count("SELECT COUNT(*) FROM network_port_forwarding WHERE internal_port_id = ?", portId);
  }

  /** The floating IPs whose forwardings go to this port. */
  public List<String> floatingIpsForPort(String portId) {
    return sql.query(
        "SELECT DISTINCT floatingip_id FROM network_port_forwarding WHERE internal_port_id = ?",
        r -> r.getString("floatingip_id"),
        portId);
  }

  public int delete(String id) {
    return sql.update("DELETE FROM network_port_forwarding WHERE id = ?", id);
  }

  public int deleteForPort(String portId) {
    return sql.update("DELETE FROM network_port_forwarding WHERE internal_port_id = ?", portId);
  }

  private static PortForwarding row(Sql.Row r) throws SQLException {
    return new PortForwarding(
        r.getString("id"), r.getString("floatingip_id"), r.getString("internal_port_id"),
        r.getString("internal_ip_address"), r.getInt("internal_port"), r.getInt("external_port"), r.getString("protocol"),
        r.getString("description"));
  }
}
