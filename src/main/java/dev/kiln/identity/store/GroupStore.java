package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.Group;
import dev.kiln.identity.GroupGrant;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Role;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.User;
import dev.kiln.store.Sql;
import java.util.List;
import java.util.Optional;

/**
 * Groups, their members and their role grants. A membership or a group grant changes what the
 * members' tokens carry, so every such change moves identity's revision on (see {@link Revision}).
 */
public final class GroupStore {
  private static final String COLUMNS = "id, name, domain_id, description, extra, created_at";

  private final Sql sql;

  public GroupStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Group g) {
    sql.update(
        "INSERT INTO identity_group (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        g.id(), g.name(), g.domainId(), g.description(), g.extra(), g.createdAt());
  }

  public Optional<Group> find(String id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM identity_group WHERE id = ?", GroupStore::group, id);
  }

  public List<Group> list(ListFilter filter) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM identity_group" + filter.where() + " ORDER BY name, id",
        GroupStore::group,
        filter.args());
  }

  public List<Group> listOfUser(String userId) {
    return sql.query(
        "SELECT g.id, g.name, g.domain_id, g.description, g.extra, g.created_at FROM identity_group g"
            + " JOIN identity_group_member m ON m.group_id = g.id WHERE m.user_id = ?"
            + " ORDER BY g.name, g.id",
        GroupStore::group,
        userId);
  }

  /** Renames or redescribes a group: nothing a token carries, so the revision stays. */
  public int update(Group g) {
    return sql.update(
        "UPDATE identity_group SET name = ?, description = ?, extra = ? WHERE id = ?",
        g.name(), g.description(), g.extra(), g.id());
  }

  /** Deletes a group; its memberships and grants go with it (ON DELETE CASCADE). */
  public int delete(String id) {
    return Revision.changing(sql, "DELETE FROM identity_group WHERE id = ?", id);
  }

  // Members

  /** Adds a member; adding one already there changes nothing, as in Keystone. */
  public void addMember(String groupId, String userId) {
    Revision.insertingOnce(
        sql, "INSERT INTO identity_group_member (group_id, user_id) VALUES (?, ?)", groupId, userId);
  }

  public int removeMember(String groupId, String userId) {
    return Revision.changing(
        sql, "DELETE FROM identity_group_member WHERE group_id = ? AND user_id = ?", groupId, userId);
  }

  public boolean isMember(String groupId, String userId) {
    return sql.count(
            "SELECT COUNT(*) FROM identity_group_member WHERE group_id = ? AND user_id = ?",
            groupId,
            userId)
        > 0;
  }

  public List<User> members(String groupId) {
    return sql.query(
        "SELECT u.id, u.name, u.domain_id, u.default_project_id, u.email, u.description, u.enabled,"
            + " u.created_at, u.extra FROM identity_user u JOIN identity_group_member m"
            + " ON m.user_id = u.id WHERE m.group_id = ? ORDER BY u.name, u.id",
        r ->
            new User(
                r.getString("id"),
                r.getString("name"),
                r.getString("domain_id"),
                r.getString("default_project_id"),
                r.getString("email"),
                r.getString("description"),
                r.getBoolean("enabled"),
                r.getInstant("created_at"),
                r.getString("extra")),
        groupId);
  }

  // Grants

  /** Grants a role to a group; granting one already held changes nothing. */
  public void grant(GroupGrant g) {
    Revision.insertingOnce(
        sql,
        "INSERT INTO identity_group_role_assignment (group_id, role_id, target_type, target_id)"
            + " VALUES (?, ?, ?, ?)",
        g.groupId(), g.roleId(), g.target().type(), g.target().id());
  }

  public int revoke(GroupGrant g) {
    return Revision.changing(
        sql,
        "DELETE FROM identity_group_role_assignment WHERE group_id = ? AND role_id = ?"
            + " AND target_type = ? AND target_id = ?",
        g.groupId(), g.roleId(), g.target().type(), g.target().id());
  }

  public List<Role> rolesOn(String groupId, Target target) {
    return sql.query(
        "SELECT r.id, r.name, r.description, r.domain_id FROM identity_role r"
            + " JOIN identity_group_role_assignment a ON a.role_id = r.id WHERE a.group_id = ?"
            + " AND a.target_type = ? AND a.target_id = ? ORDER BY r.name",
        r -> new Role(r.getString("id"), r.getString("name"), r.getString("description"), r.getString("domain_id")),
        groupId,
        target.type(),
        target.id());
  }

  /** Group grants matching equality filters on group_id, role_id, target_type, target_id. */
  public List<GroupGrant> listGrants(ListFilter filter) {
    return sql.query(
        "SELECT group_id, role_id, target_type, target_id FROM identity_group_role_assignment"
            + filter.where()
            + " ORDER BY group_id, target_type, target_id, role_id",
        r ->
            new GroupGrant(
                r.getString("group_id"),
                r.getString("role_id"),
                new Target(TargetType.valueOf(r.getString("target_type")), r.getString("target_id"))),
        filter.args());
  }

  /** The ids of a user's groups. */
  public List<String> groupIdsOf(String userId) {
    return sql.query(
        "SELECT group_id FROM identity_group_member WHERE user_id = ? ORDER BY group_id",
        r -> r.getString("group_id"),
        userId);
  }

  private static Group group(Sql.Row r) throws java.sql.SQLException {
    return new Group(
        r.getString("id"),
        r.getString("name"),
        r.getString("domain_id"),
        r.getString("description"),
        r.getString("extra"),
        r.getInstant("created_at"));
  }
}
