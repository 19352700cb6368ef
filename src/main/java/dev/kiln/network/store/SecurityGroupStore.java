package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.SecurityGroupRule.Direction;
import dev.kiln.network.SecurityGroupRule.Ethertype;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The security group tables. Only the network service uses this class; every statement is one SQL
 * round trip and the caller decides the transaction. Groups are read without their rules; the
 * caller joins them with {@link #rulesOfGroup} or {@link #rulesOfGroupsIn}.
 */
public final class SecurityGroupStore {
  private static final String GROUP_COLUMNS =
      "id, project_id, name, description, stateful, revision_number, created_at, updated_at";
  private static final String RULE_COLUMNS =
      "id, security_group_id, project_id, direction, ethertype, protocol, port_range_min,"
          + " port_range_max, remote_ip_prefix, remote_group_id, remote_address_group_id,"
          + " description, rule_key, revision_number, created_at, updated_at";
  private static final String SELECT_RULES =
      "SELECT r.id, r.security_group_id, r.project_id, r.direction, r.ethertype, r.protocol,"
          + " r.port_range_min, r.port_range_max, r.remote_ip_prefix, r.remote_group_id,"
          + " r.remote_address_group_id, r.description, r.revision_number, r.created_at,"
          + " r.updated_at,"
          + " CASE WHEN d.security_group_id IS NULL THEN FALSE ELSE TRUE END AS in_default"
          + " FROM network_security_group_rule r"
          + " JOIN network_security_group g ON g.id = r.security_group_id"
          + " LEFT JOIN network_security_group_default d ON d.security_group_id = r.security_group_id";
  private static final String RULE_ORDER = " ORDER BY r.created_at, r.direction DESC, r.ethertype, r.id";

  private final Sql sql;

  public SecurityGroupStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Groups

  /** Inserts a group; its rules are inserted one by one with {@link #insertRule}. */
  public void insertGroup(SecurityGroup g) {
    sql.update(
        "INSERT INTO network_security_group (" + GROUP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        g.id(), g.projectId(), g.name(), g.description(), g.stateful(), g.revision(), g.createdAt(),
        g.updatedAt());
  }

  public Optional<SecurityGroup> findGroup(String id) {
    return sql.queryOne(
        "SELECT " + GROUP_COLUMNS + " FROM network_security_group WHERE id = ?",
        SecurityGroupStore::group,
        id);
  }

  /** The groups among {@code ids} that exist, in no particular order. */
  public List<SecurityGroup> findGroups(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return sql.query(
        "SELECT " + GROUP_COLUMNS + " FROM network_security_group WHERE id IN ("
            + placeholders(ids.size()) + ")",
        SecurityGroupStore::group,
        ids.toArray());
  }

  /** The groups of one project, or of every project when {@code projectId} is null. */
  public List<SecurityGroup> listGroups(String projectId) {
    return projectId == null
        ? sql.query(
            "SELECT " + GROUP_COLUMNS + " FROM network_security_group ORDER BY id",
            SecurityGroupStore::group)
        : sql.query(
            "SELECT " + GROUP_COLUMNS + " FROM network_security_group WHERE project_id = ? ORDER BY id",
            SecurityGroupStore::group,
            projectId);
  }

  /** Changes a group's attributes and counts a revision; answers how many rows changed. */
  public int updateGroup(String id, String name, String description, boolean stateful, Instant at) {
    return sql.update(
        "UPDATE network_security_group SET name = ?, description = ?, stateful = ?,"
            + " revision_number = revision_number + 1, updated_at = ? WHERE id = ?",
        name, description, stateful, at, id);
  }

  /**
   * Counts a revision of the group for a change of its rules. The row lock this takes also makes
   * concurrent changes to one group's rules wait for each other.
   */
  public int touchGroup(String id, Instant at) {
    return sql.update(
        "UPDATE network_security_group SET revision_number = revision_number + 1, updated_at = ?"
            + " WHERE id = ?",
        at, id);
  }

  /** Deletes a group with its rules, its default mark, and the rules that name it as remote. */
  public int deleteGroup(String id) {
    return sql.update("DELETE FROM network_security_group WHERE id = ?", id);
  }

  // Default groups

  public Optional<String> findDefaultGroupId(String projectId) {
    return sql.queryOne(
        "SELECT security_group_id FROM network_security_group_default WHERE project_id = ?",
        row -> row.getString("security_group_id"),
        projectId);
  }

  /** Marks the project's default group; a second one for the same project is a duplicate key. */
  public void insertDefault(String projectId, String groupId) {
    sql.update(
        "INSERT INTO network_security_group_default (project_id, security_group_id) VALUES (?, ?)",
        projectId, groupId);
  }

  // Rules

  /**
   * Inserts a rule; {@code key} is its normalized defining columns, and a rule with the same key
   * in the same group is a duplicate key.
   */
  public void insertRule(SecurityGroupRule r, String key) {
    sql.update(
        "INSERT INTO network_security_group_rule (" + RULE_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), r.securityGroupId(), r.projectId(), r.direction().value(), r.ethertype().value(),
        r.protocol(), r.portRangeMin(), r.portRangeMax(), r.remoteIpPrefix(), r.remoteGroupId(),
        r.remoteAddressGroupId(), r.description(), key, r.revision(), r.createdAt(), r.updatedAt());
  }

  public Optional<SecurityGroupRule> findRule(String id) {
    return sql.queryOne(SELECT_RULES + " WHERE r.id = ?", SecurityGroupStore::rule, id);
  }

  public Optional<SecurityGroupRule> findRuleByKey(String groupId, String key) {
    return sql.queryOne(
        SELECT_RULES + " WHERE r.security_group_id = ? AND r.rule_key = ?",
        SecurityGroupStore::rule,
        groupId,
        key);
  }

  public List<SecurityGroupRule> rulesOfGroup(String groupId) {
    return sql.query(
        SELECT_RULES + " WHERE r.security_group_id = ?" + RULE_ORDER, SecurityGroupStore::rule, groupId);
  }

  /** The rules of these groups (at least one id). */
  public List<SecurityGroupRule> rulesOfGroups(Collection<String> groupIds) {
    return sql.query(
        SELECT_RULES + " WHERE r.security_group_id IN (" + placeholders(groupIds.size()) + ")" + RULE_ORDER,
        SecurityGroupStore::rule, groupIds.toArray());
  }

  /** The rules of the groups of one project, or of every group when {@code projectId} is null. */
  public List<SecurityGroupRule> rulesOfGroupsIn(String projectId) {
    return projectId == null
        ? sql.query(SELECT_RULES + RULE_ORDER, SecurityGroupStore::rule)
        : sql.query(
            SELECT_RULES + " WHERE g.project_id = ?" + RULE_ORDER, SecurityGroupStore::rule, projectId);
  }

  /**
   * The rules a project can see: those of its groups and those it owns in other groups (an admin
   * may have added them on its behalf); every rule when {@code projectId} is null.
   */
  public List<SecurityGroupRule> rulesVisibleTo(String projectId) {
    return projectId == null
        ? sql.query(SELECT_RULES + RULE_ORDER, SecurityGroupStore::rule)
        : sql.query(
            SELECT_RULES + " WHERE g.project_id = ? OR r.project_id = ?" + RULE_ORDER,
            SecurityGroupStore::rule,
            projectId,
            projectId);
  }

  public int deleteRule(String id) {
    return sql.update("DELETE FROM network_security_group_rule WHERE id = ?", id);
  }

  private static SecurityGroup group(Sql.Row row) throws SQLException {
    return new SecurityGroup(
        row.getString("id"),
        row.getString("project_id"),
        row.getString("name"),
        row.getString("description"),
        row.getBoolean("stateful"),
        row.getLong("revision_number"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"),
        List.of());
  }

  private static SecurityGroupRule rule(Sql.Row row) throws SQLException {
    return new SecurityGroupRule(
        row.getString("id"),
        row.getString("security_group_id"),
        row.getString("project_id"),
        Direction.fromValue(row.getString("direction")),
        Ethertype.fromValue(row.getString("ethertype")),
        row.getString("protocol"),
        nullableInt(row.getString("port_range_min")),
        nullableInt(row.getString("port_range_max")),
        row.getString("remote_ip_prefix"),
        row.getString("remote_group_id"),
        row.getString("remote_address_group_id"),
        row.getString("description"),
        row.getBoolean("in_default"),
        row.getLong("revision_number"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"));
  }

  /** Sql.Row reads an SQL NULL integer as 0; read it as text to tell the two apart. */
  private static Integer nullableInt(String value) {
    return value == null ? null : Integer.valueOf(value.trim());
  }

  private static String placeholders(int n) {
    List<String> marks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      marks.add("?");
    }
    return String.join(", ", marks);
  }
}
