package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Servers' tags ({@code compute_server_tag}). */
public final class ServerTagStore {
  private final Sql sql;

  public ServerTagStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** The server's tags, sorted. */
  public List<String> of(String serverId) {
    return sql.query("SELECT tag FROM compute_server_tag WHERE server_id = ? ORDER BY tag", row -> row.getString("tag"), serverId);
  }

  /** The tags of several servers (a page), by server id; servers without tags are left out. */
  public Map<String, List<String>> of(List<String> serverIds) {
    Map<String, TreeSet<String>> tags = new HashMap<>();
    if (!serverIds.isEmpty()) {
      sql.query(
          "SELECT server_id, tag FROM compute_server_tag WHERE server_id IN " + Sql.placeholders(serverIds.size()),
          row -> tags.computeIfAbsent(row.getString("server_id"), k -> new TreeSet<>()).add(row.getString("tag")),
          serverIds.toArray());
    }
    Map<String, List<String>> result = new HashMap<>();
    tags.forEach((id, t) -> result.put(id, List.copyOf(t)));
    return result;
  }

  /** Adds a tag; answers false when the server had it already. */
  public boolean add(String serverId, String tag) {
    if (has(serverId, tag)) {
      return false;
    }
    sql.update("INSERT INTO compute_server_tag (server_id, tag) VALUES (?, ?)", serverId, tag);
    return true;
  }

  public boolean has(String serverId, String tag) {
    return sql.count("SELECT COUNT(*) FROM compute_server_tag WHERE server_id = ? AND tag = ?", serverId, tag) > 0;
  }

  public boolean remove(String serverId, String tag) {
    return sql.update("DELETE FROM compute_server_tag WHERE server_id = ? AND tag = ?", serverId, tag) == 1;
  }

  public void clear(String serverId) {
    sql.update("DELETE FROM compute_server_tag WHERE server_id = ?", serverId);
  }

  public int count(String serverId) {
    return (int) sql.count("SELECT COUNT(*) FROM compute_server_tag WHERE server_id = ?", serverId);
  }
}
