package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.Domain;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Project;
import dev.kiln.identity.Role;
import dev.kiln.identity.RoleAssignment;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.User;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The identity tables. Only the identity service uses this class; every statement is one SQL
 * round trip and the caller decides the transaction. Every change that can alter what an issued
 * token means also moves {@code identity_revision} on, so token caches see it.
 */
public final class IdentityStore {
  private static final String DOMAIN_COLUMNS = "id, name, description, enabled, created_at";
  private static final String PROJECT_COLUMNS =
      "id, name, domain_id, parent_id, description, enabled, created_at";
  private static final String USER_COLUMNS =
      "id, name, domain_id, default_project_id, email, description, enabled, created_at, extra";

  private final Sql sql;

  public IdentityStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  // Domains

  public void insertDomain(Domain d) {
    sql.update(
        "INSERT INTO identity_domain (" + DOMAIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
        d.id(), d.name(), d.description(), d.enabled(), d.createdAt());
  }

  public Optional<Domain> findDomain(String id) {
    return sql.queryOne(
        "SELECT " + DOMAIN_COLUMNS + " FROM identity_domain WHERE id = ?", IdentityStore::domain, id);
  }

  public Optional<Domain> findDomainByName(String name) {
    return sql.queryOne(
        "SELECT " + DOMAIN_COLUMNS + " FROM identity_domain WHERE name = ?",
        IdentityStore::domain,
        name);
  }

  public List<Domain> listDomains(ListFilter filter) {
    return sql.query(
        "SELECT " + DOMAIN_COLUMNS + " FROM identity_domain" + filter.where() + " ORDER BY name",
        IdentityStore::domain,
        filter.args());
  }

  public int updateDomain(Domain d) {
    return changing(
            "UPDATE identity_domain SET name = ?, description = ?, enabled = ? WHERE id = ?",
            d.name(), d.description(), d.enabled(), d.id());
  }

  public int deleteDomain(String id) {
    return changing("DELETE FROM identity_domain WHERE id = ?", id);
  }

  // Projects

  public void insertProject(Project p) {
    sql.update(
        "INSERT INTO identity_project (" + PROJECT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        p.id(), p.name(), p.domainId(), p.parentId(), p.description(), p.enabled(), p.createdAt());
  }

  public Optional<Project> findProject(String id) {
    return sql.queryOne(
        "SELECT " + PROJECT_COLUMNS + " FROM identity_project WHERE id = ?",
        IdentityStore::project,
        id);
  }

  public Optional<Project> findProjectByName(String domainId, String name) {
    return sql.queryOne(
        "SELECT " + PROJECT_COLUMNS + " FROM identity_project WHERE domain_id = ? AND name = ?",
        IdentityStore::project,
        domainId,
        name);
  }

  public List<Project> listProjects(ListFilter filter) {
    return sql.query(
        "SELECT " + PROJECT_COLUMNS + " FROM identity_project" + filter.where() + " ORDER BY name, id",
        IdentityStore::project,
        filter.args());
  }

  /** The projects on which the user holds at least one role, directly or through a group. */
  public List<Project> listProjectsOfUser(String userId) {
    return sql.query(
        "SELECT " + PROJECT_COLUMNS + " FROM identity_project WHERE id IN ("
            + "SELECT target_id FROM identity_role_assignment WHERE target_type = 'PROJECT'"
            + " AND user_id = ? UNION SELECT g.target_id FROM identity_group_role_assignment g"
            + " JOIN identity_group_member m ON m.group_id = g.group_id"
            + " WHERE g.target_type = 'PROJECT' AND m.user_id = ?) ORDER BY name, id",
        IdentityStore::project,
        userId,
        userId);
  }

  /** The domains on which the user holds at least one role, directly or through a group. */
  public List<Domain> listDomainsOfUser(String userId) {
    return sql.query(
        "SELECT " + DOMAIN_COLUMNS + " FROM identity_domain WHERE id IN ("
            + "SELECT target_id FROM identity_role_assignment WHERE target_type = 'DOMAIN'"
            + " AND user_id = ? UNION SELECT g.target_id FROM identity_group_role_assignment g"
            + " JOIN identity_group_member m ON m.group_id = g.group_id"
            + " WHERE g.target_type = 'DOMAIN' AND m.user_id = ?) ORDER BY name",
        IdentityStore::domain,
        userId,
        userId);
  }

  public int updateProject(Project p) {
    return changing(
            "UPDATE identity_project SET name = ?, description = ?, enabled = ? WHERE id = ?",
            p.name(), p.description(), p.enabled(), p.id());
  }

  /** Deletes a project with every grant on it, of users and of groups, as Keystone does. */
  public int deleteProject(String id) {
    deleteGrantsOn(new Target(TargetType.PROJECT, id));
    return changing("DELETE FROM identity_project WHERE id = ?", id);
  }

  /** Removes every grant, of users and of groups, inherited or not, on one project or domain. */
  public int deleteGrantsOn(Target target) {
    return new InheritedGrantStore(sql).deleteOn(target) + changing(
            "DELETE FROM identity_role_assignment WHERE target_type = ? AND target_id = ?",
            target.type(),
            target.id())
        + changing(
            "DELETE FROM identity_group_role_assignment WHERE target_type = ? AND target_id = ?",
            target.type(),
            target.id());
  }

  public long countProjectsInDomain(String domainId) {
    return sql.count("SELECT COUNT(*) FROM identity_project WHERE domain_id = ?", domainId);
  }

  public long countChildProjects(String projectId) {
    return sql.count("SELECT COUNT(*) FROM identity_project WHERE parent_id = ?", projectId);
  }

  // Users

  public void insertUser(User u, String passwordHash) {
    sql.update(
        "INSERT INTO identity_user ("
            + USER_COLUMNS
            + ", password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        u.id(), u.name(), u.domainId(), u.defaultProjectId(), u.email(), u.description(),
        u.enabled(), u.createdAt(), u.extra(), passwordHash);
  }

  public Optional<User> findUser(String id) {
    return sql.queryOne(
        "SELECT " + USER_COLUMNS + " FROM identity_user WHERE id = ?", IdentityStore::user, id);
  }

  public Optional<User> findUserByName(String domainId, String name) {
    return sql.queryOne(
        "SELECT " + USER_COLUMNS + " FROM identity_user WHERE domain_id = ? AND name = ?",
        IdentityStore::user,
        domainId,
        name);
  }

  public Optional<String> passwordHash(String userId) {
    return sql.queryOne(
        "SELECT password_hash FROM identity_user WHERE id = ?",
        row -> row.getString("password_hash"),
        userId);
  }

  public List<User> listUsers(ListFilter filter) {
    return sql.query(
        "SELECT " + USER_COLUMNS + " FROM identity_user" + filter.where() + " ORDER BY name, id",
        IdentityStore::user,
        filter.args());
  }

  public int updateUser(User u) {
    return changing(
            "UPDATE identity_user SET name = ?, default_project_id = ?, email = ?, description = ?,"
                + " enabled = ?, extra = ? WHERE id = ?",
            u.name(), u.defaultProjectId(), u.email(), u.description(), u.enabled(), u.extra(),
            u.id());
  }

  /** Sets a password; not a change tokens see (revoking them is the caller's decision). */
  public int setPasswordHash(String userId, String passwordHash) {
    return sql.update("UPDATE identity_user SET password_hash = ? WHERE id = ?", passwordHash, userId);
  }

  public int deleteUser(String id) {
    return changing("DELETE FROM identity_user WHERE id = ?", id);
  }

  public long countUsersInDomain(String domainId) {
    return sql.count("SELECT COUNT(*) FROM identity_user WHERE domain_id = ?", domainId);
  }

  // Roles

  /** Adds a role; a changed revision too, as tokens gain a role implied by this name. */
  public void insertRole(Role r, Instant createdAt) {
    changing(
            "INSERT INTO identity_role (id, name, description, created_at, domain_id) VALUES (?, ?, ?, ?, ?)",
            r.id(), r.name(), r.description(), createdAt, r.domainId());
  }

  public Optional<Role> findRole(String id) {
    return sql.queryOne(
        "SELECT id, name, description, domain_id FROM identity_role WHERE id = ?", IdentityStore::role, id);
  }

  public Optional<Role> findRoleByName(String name) {
    return sql.queryOne(
        "SELECT id, name, description, domain_id FROM identity_role WHERE name = ? AND domain_id IS NULL", IdentityStore::role, name);
  }

  public List<Role> listRoles(ListFilter filter) {
    return sql.query(
        "SELECT id, name, description, domain_id FROM identity_role" + filter.where() + " ORDER BY name",
        IdentityStore::role,
        filter.args());
  }

  public int updateRole(Role r) {
    return changing(
            "UPDATE identity_role SET name = ?, description = ? WHERE id = ?",
            r.name(), r.description(), r.id());
  }

  public int deleteRole(String id) {
    return changing("DELETE FROM identity_role WHERE id = ?", id);
  }

  // Role assignments

  /** Grants a role; granting one already held changes nothing, as in Keystone. */
  public void grant(RoleAssignment a) {
    Revision.insertingOnce(
        sql,
        "INSERT INTO identity_role_assignment (user_id, role_id, target_type, target_id)"
            + " VALUES (?, ?, ?, ?)",
        a.userId(), a.roleId(), a.target().type(), a.target().id());
  }

  public int revoke(RoleAssignment a) {
    return changing(
            "DELETE FROM identity_role_assignment WHERE user_id = ? AND role_id = ? AND target_type = ?"
                + " AND target_id = ?",
            a.userId(), a.roleId(), a.target().type(), a.target().id());
  }

  public List<RoleAssignment> listAssignments(ListFilter filter) {
    return sql.query(
        "SELECT user_id, role_id, target_type, target_id FROM identity_role_assignment"
            + filter.where()
            + " ORDER BY user_id, target_type, target_id, role_id",
        row ->
            new RoleAssignment(
                row.getString("user_id"),
                row.getString("role_id"),
                new Target(
                    TargetType.valueOf(row.getString("target_type")), row.getString("target_id"))),
        filter.args());
  }

  /**
   * The roles a user holds on one project or domain, granted to the user or to a group the user is
   * in: what a token scoped there carries (before implied roles).
   */
  public List<Role> effectiveRolesOn(String userId, Target target) {
    List<Role> held = sql.query(
        "SELECT id, name, description, domain_id FROM identity_role WHERE id IN ("
            + "SELECT role_id FROM identity_role_assignment WHERE user_id = ? AND target_type = ?"
            + " AND target_id = ? UNION SELECT g.role_id FROM identity_group_role_assignment g"
            + " JOIN identity_group_member m ON m.group_id = g.group_id WHERE m.user_id = ?"
            + " AND g.target_type = ? AND g.target_id = ?) ORDER BY name",
        IdentityStore::role,
        userId,
        target.type(),
        target.id(),
        userId,
        target.type(),
        target.id());
    if (target.type() != TargetType.PROJECT) {
      return held;
    }
    List<Role> inherited = new InheritedGrantStore(sql).rolesInherited(userId, inheritanceSources(target.id()));
    if (inherited.isEmpty()) {
      return held;
    }
    java.util.Map<String, Role> all = new java.util.TreeMap<>();
    for (Role r : held) {
      all.put(r.name() + "\u0000" + r.id(), r);
    }
    for (Role r : inherited) {
      all.put(r.name() + "\u0000" + r.id(), r);
    }
    return List.copyOf(all.values());
  }

  /**
   * Where grants inherited to a project come from: its domain and every project above it (OS-INHERIT).
   * Empty when the project is not there.
   */
  public List<Target> inheritanceSources(String projectId) {
    List<Target> sources = new java.util.ArrayList<>();
    Optional<Project> at = findProject(projectId);
    if (at.isEmpty()) {
      return sources;
    }
    sources.add(new Target(TargetType.DOMAIN, at.get().domainId()));
    java.util.Set<String> seen = new java.util.HashSet<>();
    String parent = at.get().parentId();
    while (parent != null && seen.add(parent)) {
      sources.add(new Target(TargetType.PROJECT, parent));
      parent = findProject(parent).map(Project::parentId).orElse(null);
    }
    return sources;
  }

  /** The roles granted to the user itself on one project or domain. */
  public List<Role> rolesOn(String userId, Target target) {
    return sql.query(
        "SELECT r.id, r.name, r.description, r.domain_id FROM identity_role r JOIN identity_role_assignment a"
            + " ON a.role_id = r.id WHERE a.user_id = ? AND a.target_type = ? AND a.target_id = ?"
            + " ORDER BY r.name",
        IdentityStore::role,
        userId,
        target.type(),
        target.id());
  }

  // Revision

  private int changing(String statement, Object... args) {
    return Revision.changing(sql, statement, args);
  }

  // Row mappers

  private static Domain domain(Sql.Row r) throws java.sql.SQLException {
    return new Domain(
        r.getString("id"),
        r.getString("name"),
        r.getString("description"),
        r.getBoolean("enabled"),
        r.getInstant("created_at"));
  }

  private static Project project(Sql.Row r) throws java.sql.SQLException {
    return new Project(
        r.getString("id"),
        r.getString("name"),
        r.getString("domain_id"),
        r.getString("parent_id"),
        r.getString("description"),
        r.getBoolean("enabled"),
        r.getInstant("created_at"));
  }

  private static User user(Sql.Row r) throws java.sql.SQLException {
    return new User(
        r.getString("id"),
        r.getString("name"),
        r.getString("domain_id"),
        r.getString("default_project_id"),
        r.getString("email"),
        r.getString("description"),
        r.getBoolean("enabled"),
        r.getInstant("created_at"),
        r.getString("extra"));
  }

  private static Role role(Sql.Row r) throws java.sql.SQLException {
    return new Role(r.getString("id"), r.getString("name"), r.getString("description"), r.getString("domain_id"));
  }
}
