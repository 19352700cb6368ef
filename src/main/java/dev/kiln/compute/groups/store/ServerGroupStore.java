package dev.kiln.compute.groups.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.groups.ServerGroup;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server group tables: groups and their members. */
public final class ServerGroupStore {
  private static final String COLUMNS =
      "id, name, project_id, user_id, policy, COALESCE(max_server_per_host, 0) AS max_per_host, created_at";

  private final Sql sql;

  public ServerGroupStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(ServerGroup g) {
    sql.update(
        "INSERT INTO compute_server_group (id, name, project_id, user_id, policy, max_server_per_host, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        g.id(), g.name(), g.projectId(), g.userId(), g.policy().novaName(), g.maxServerPerHost(), g.createdAt());
  }

  public Optional<ServerGroup> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_server_group WHERE id = ?", ServerGroupStore::group, id)
        .map(this::withMembers);
  }

  /**
   * Locks the group's row until the transaction ends, so members are added and placed one at a
   * time; answers whether the group exists.
   */
  public boolean lock(String id) {
    return !sql.query("SELECT id FROM compute_server_group WHERE id = ? FOR UPDATE", row -> row.getString("id"), id)
        .isEmpty();
  }

  /** The groups of one project, or of every project (null), oldest first. */
  public List<ServerGroup> list(String projectId) {
    List<ServerGroup> rows =
        projectId == null
            ? sql.query("SELECT " + COLUMNS + " FROM compute_server_group ORDER BY created_at, id", ServerGroupStore::group)
            : sql.query(
                "SELECT " + COLUMNS + " FROM compute_server_group WHERE project_id = ? ORDER BY created_at, id",
                ServerGroupStore::group,
                projectId);
    return rows.stream().map(this::withMembers).toList();
  }

  public int delete(String id) {
    return sql.update("DELETE FROM compute_server_group WHERE id = ?", id);
  }

  /** Adds a member; a server already in a group is a duplicate key. */
  public void addMember(String groupId, String serverId, Instant now) {
    sql.update(
        "INSERT INTO compute_server_group_member (group_id, server_id, created_at) VALUES (?, ?, ?)",
        groupId, serverId, now);
  }

  public long memberCount(String groupId) {
    return sql.count("SELECT COUNT(*) FROM compute_server_group_member WHERE group_id = ?", groupId);
  }

  /** The group the server is in, if any. */
  public Optional<String> groupOf(String serverId) {
    return sql.queryOne(
        "SELECT group_id FROM compute_server_group_member WHERE server_id = ?", row -> row.getString("group_id"), serverId);
  }

  /**
   * How many of the group's members, other than {@code exceptServer}, hold a claim on each host:
   * where the members are (or are being built), which the placement filters read.
   */
  public Map<String, Integer> membersPerHost(String groupId, String exceptServer) {
    Map<String, Integer> counts = new HashMap<>();
    sql.query(
            "SELECT c.host AS host, COUNT(*) AS members FROM compute_server_group_member m"
                + " JOIN compute_host_claim c ON c.consumer_id = m.server_id"
                + " WHERE m.group_id = ? AND m.server_id <> ? GROUP BY c.host",
            row -> Map.entry(row.getString("host"), (int) row.getLong("members")),
            groupId,
            exceptServer)
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private ServerGroup withMembers(ServerGroup g) {
    List<String> members =
        sql.query(
            "SELECT server_id FROM compute_server_group_member WHERE group_id = ? ORDER BY created_at, server_id",
            row -> row.getString("server_id"),
            g.id());
    return new ServerGroup(
        g.id(), g.name(), g.projectId(), g.userId(), g.policy(), g.maxServerPerHost(), g.createdAt(), members);
  }

  private static ServerGroup group(Sql.Row row) throws SQLException {
    String id = row.getString("id");
    int maxPerHost = row.getInt("max_per_host");
    return new ServerGroup(
        id,
        row.getString("name"),
        row.getString("project_id"),
        row.getString("user_id"),
        ServerGroup.Policy.of(row.getString("policy")),
        maxPerHost == 0 ? null : maxPerHost,
        row.getInstant("created_at"),
        List.of());
  }
}
