package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.InheritedGrant;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Role;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * OS-INHERIT grants of users and of groups. Each change alters what tokens on the projects below
 * carry, so it moves identity's revision on (see {@link Revision}).
 */
public final class InheritedGrantStore {
  private final Sql sql;

  public InheritedGrantStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  private static String table(boolean group) {
    return group ? "identity_inherited_group_grant" : "identity_inherited_user_grant";
  }

  private static String actorColumn(boolean group) {
    return group ? "group_id" : "user_id";
  }

  /** Grants; one already there changes nothing, as in Keystone. */
  public void grant(InheritedGrant g) {
    Revision.insertingOnce(
        sql,
        "INSERT INTO " + table(g.group()) + " (" + actorColumn(g.group()) + ", role_id, target_type, target_id)"
            + " VALUES (?, ?, ?, ?)",
        g.actorId(), g.roleId(), g.target().type(), g.target().id());
  }

  public int revoke(InheritedGrant g) {
    return Revision.changing(
        sql,
        "DELETE FROM " + table(g.group()) + " WHERE " + actorColumn(g.group()) + " = ? AND role_id = ?"
            + " AND target_type = ? AND target_id = ?",
        g.actorId(), g.roleId(), g.target().type(), g.target().id());
  }

  /**
   * Grants of users ({@code group} false) or of groups matching equality filters on the actor
   * column ({@code user_id} or {@code group_id}), role_id, target_type and target_id.
   */
  public List<InheritedGrant> list(boolean group, ListFilter filter) {
    return sql.query(
        "SELECT " + actorColumn(group) + " AS actor_id, role_id, target_type, target_id FROM " + table(group)
            + filter.where() + " ORDER BY actor_id, target_type, target_id, role_id",
        r ->
            new InheritedGrant(
                group,
                r.getString("actor_id"),
                r.getString("role_id"),
                new Target(TargetType.valueOf(r.getString("target_type")), r.getString("target_id"))),
        filter.args());
  }

  /**
   * The roles a user inherits from grants on any of {@code sources} (a project's domain and the
   * projects above it), given to the user or to one of the user's groups.
   */
  public List<Role> rolesInherited(String userId, List<Target> sources) {
    if (sources.isEmpty()) {
      return List.of();
    }
    StringBuilder where = new StringBuilder();
    List<Object> args = new ArrayList<>();
    for (Target t : sources) {
      where.append(where.isEmpty() ? "" : " OR ").append("(target_type = ? AND target_id = ?)");
      args.add(t.type().name());
      args.add(t.id());
    }
    List<Object> all = new ArrayList<>();
    all.add(userId);
    all.addAll(args);
    all.add(userId);
    all.addAll(args);
    return sql.query(
        "SELECT id, name, description, domain_id FROM identity_role WHERE id IN ("
            + "SELECT role_id FROM identity_inherited_user_grant WHERE user_id = ? AND (" + where + ")"
            + " UNION SELECT g.role_id FROM identity_inherited_group_grant g"
            + " JOIN identity_group_member m ON m.group_id = g.group_id WHERE m.user_id = ? AND ("
            + where.toString().replace("target_", "g.target_") + ")) ORDER BY name",
        r -> new Role(r.getString("id"), r.getString("name"), r.getString("description"), r.getString("domain_id")),
        all.toArray());
  }

  /** Removes every inherited grant on one project or domain (it is being deleted). */
  public int deleteOn(Target target) {
    return Revision.changing(
            sql, "DELETE FROM identity_inherited_user_grant WHERE target_type = ? AND target_id = ?",
            target.type(), target.id())
        + Revision.changing(
            sql, "DELETE FROM identity_inherited_group_grant WHERE target_type = ? AND target_id = ?",
            target.type(), target.id());
  }
}
