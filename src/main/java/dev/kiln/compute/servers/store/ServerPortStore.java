package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.store.Sql;
import java.util.HashMap;
import java.util.Map;

/** The interfaces attached to a running server: its plugged ports beyond what it booted with. */
public final class ServerPortStore {
  private final Sql sql;

  public ServerPortStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Records a port attached after boot, after the server's other ports; a port recorded twice is a duplicate key. */
  public void attach(String serverId, PluggedPort port, String tag) {
    sql.update(
        "INSERT INTO compute_server_port (server_id, port_id, owned_by_compute, position, tag)"
            + " SELECT ?, ?, ?, COALESCE(MAX(position), -1) + 1, ? FROM compute_server_port WHERE server_id = ?",
        serverId, port.portId(), port.ownedByCompute(), tag, serverId);
  }

  /** Whether the port is recorded as the server's. */
  public boolean has(String serverId, String portId) {
    return sql.count("SELECT COUNT(*) FROM compute_server_port WHERE server_id = ? AND port_id = ?", serverId, portId) > 0;
  }

  /** Forgets a port of the server; answers whether it was recorded. */
  public boolean detach(String serverId, String portId) {
    return sql.update("DELETE FROM compute_server_port WHERE server_id = ? AND port_id = ?", serverId, portId) == 1;
  }

  /** The tags of the server's ports that have one. */
  public Map<String, String> tags(String serverId) {
    Map<String, String> tags = new HashMap<>();
    sql.query(
            "SELECT port_id, tag FROM compute_server_port WHERE server_id = ? AND tag IS NOT NULL",
            row -> Map.entry(row.getString("port_id"), row.getString("tag")),
            serverId)
        .forEach(e -> tags.put(e.getKey(), e.getValue()));
    return tags;
  }
}
