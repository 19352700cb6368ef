package dev.kiln.identity;

import static dev.kiln.common.ServiceException.conflict;
import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static dev.kiln.common.ServiceException.unauthenticated;
import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.store.GroupStore;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.store.TokenStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keystone's directory: domains, projects, users, roles and who holds which role where. Every
 * change is checked here (names unique, references existing) and runs in one transaction.
 *
 * <p>Over 400 lines because the checks of these five record kinds call each other (a grant checks
 * its user, role and target; a domain's delete reaches every record in it). What stands apart
 * lives apart: {@link Groups}, {@link ProjectTags}, {@link ApplicationCredentials}, {@link
 * UserCredentials}, {@link Catalog}, {@link InheritedGrants}, {@link RoleInferences}, {@link
 * DomainConfigs}, {@link Policies}, {@link Trusts}, {@link OAuthTokens}; this class only hands them
 * out on its database.
 */
public final class Directory {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final PasswordHasher hasher;
  /** Where OAuth token secrets and verifiers come from. */
  private static final java.security.SecureRandom OAUTH_RANDOM = new java.security.SecureRandom();
  /** Read once, so a bad setting stops Kiln at start rather than failing trust creates. */
  private final int maxRedelegationCount = TrustSettings.maxRedelegationCount();

  public Directory(Database db, Clock clock, IdGenerator ids, PasswordHasher hasher) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.hasher = requireNonNull(hasher, "hasher is null");
  }

  private IdentityStore store() {
    return new IdentityStore(db.sql());
  }

  /** Groups and their members, on this directory's database (for in-process callers such as Heat). */
  public Groups groups() {
    return new Groups(db, clock, ids, this);
  }

  /** Trusts (OS-TRUST), on this directory's database (for in-process callers such as Heat). */
  public Trusts trusts() {
    return new Trusts(db, clock, ids, this, maxRedelegationCount);
  }

  /** Application credentials' access rules, on this directory's database. */
  public AccessRules accessRules() {
    return new AccessRules(db, this);
  }

  /** Project tags, on this directory's database (for in-process callers such as Heat). */
  public ProjectTags projectTags() {
    return new ProjectTags(db, this);
  }

  /** The catalog admins change (regions, services, endpoints), on this directory's database. */
  public Catalog catalog() {
    return new Catalog(db, ids);
  }

  /** OS-EP-FILTER endpoint groups, on this directory's database. */
  public EndpointGroups endpointGroups() {
    return new EndpointGroups(db, ids);
  }

  /** Domain-specific configurations, on this directory's database. */
  public DomainConfigs domainConfigs() {
    return new DomainConfigs(db, this);
  }

  /** {@code /v3/policies} documents, on this directory's database. */
  public Policies policies() {
    return new Policies(db, ids);
  }

  /** OS-OAUTH1 consumers, on this directory's database. */
  public OAuthConsumers oauthConsumers() {
    return new OAuthConsumers(db, ids);
  }

  /** OS-OAUTH1 request and access tokens, on this directory's database. */
  public OAuthTokens oauthTokens() {
    return new OAuthTokens(db, clock, ids, OAUTH_RANDOM, this);
  }

  /** OS-INHERIT grants, on this directory's database. */
  public InheritedGrants inheritedGrants() {
    return new InheritedGrants(db, this, groups());
  }

  /** Role inference rules, on this directory's database. */
  public RoleInferences roleInferences() {
    return new RoleInferences(db, this);
  }

  // Domains

  public Domain createDomain(String name, String description, boolean enabled) {
    Domain domain = new Domain(ids.hex(), name, requireNonNullElse(description, ""), enabled, clock.instant());
    unique(
        () -> {
          store().insertDomain(domain);
          return null;
        },
        "domain",
        "name " + name);
    return domain;
  }

  public Domain domain(String id) {
    return store().findDomain(id).orElseThrow(() -> notFound("DomainNotFound", "Could not find domain: " + id + "."));
  }

  public List<Domain> domains(ListFilter filter) {
    return store().listDomains(filter);
  }

  public Domain updateDomain(String id, String name, String description, Boolean enabled) {
    Domain old = domain(id);
    if (id.equals(Domain.DEFAULT_ID) && Boolean.FALSE.equals(enabled)) {
      throw forbidden("ForbiddenAction", "The default domain cannot be disabled.");
    }
    Domain updated =
        new Domain(
            id,
            name == null ? old.name() : name,
            description == null ? old.description() : description,
            enabled == null ? old.enabled() : enabled,
            old.createdAt());
    unique(() -> store().updateDomain(updated), "domain", "name " + updated.name());
    return updated;
  }

  /** Deletes a disabled domain with everything in it, as Keystone does. */
  public void deleteDomain(String id) {
    Domain domain = domain(id);
    if (id.equals(Domain.DEFAULT_ID)) {
      throw forbidden("ForbiddenAction", "The default domain cannot be deleted.");
    }
    if (domain.enabled()) {
      throw forbidden(
          "ForbiddenAction",
          "Cannot delete a domain that is enabled, please disable it first.");
    }
    db.inTransaction(
        sql -> {
          IdentityStore store = new IdentityStore(sql);
          TokenStore tokens = new TokenStore(sql);
          for (User user : store.listUsers(ListFilter.none().eq("domain_id", id))) {
            tokens.revokeAllOfUser(user.id());
            store.deleteUser(user.id());
          }
          // Children first, so that no project is left pointing at a deleted parent.
          List<Project> projects = store.listProjects(ListFilter.none().eq("domain_id", id));
          for (Project p : projects.reversed()) {
            store.deleteProject(p.id());
          }
          store.deleteGrantsOn(new Target(RoleAssignment.TargetType.DOMAIN, id));
          GroupStore groups = new GroupStore(sql);
          for (Group group : groups.list(ListFilter.none().eq("domain_id", id))) {
            groups.delete(group.id());
          }
          for (Role role : store.listRoles(ListFilter.none().eq("domain_id", id))) {
            store.deleteRole(role.id()); // its grants and inference rules go with it
          }
          store.deleteDomain(id);
          return null;
        });
  }

  // Projects

  public Project createProject(
      String name, String domainId, String parentId, String description, boolean enabled) {
    return createProject(ids.hex(), name, domainId, parentId, description, enabled);
  }

  /**
   * Like {@link #createProject(String, String, String, String, boolean)}, with the id chosen by the
   * in-process caller: Orchestration derives it from the resource, so a create retried after a crash
   * finds the project the first attempt made. Likewise {@link #createUser} and {@link #createRole}.
   */
  public Project createProject(
      String id, String name, String domainId, String parentId, String description, boolean enabled) {
    requireNonNull(id, "id is null");
    String domain = domainId == null ? Domain.DEFAULT_ID : domainId;
    if (store().findDomain(domain).isEmpty()) {
      throw invalid("ValidationError", "Could not find domain: " + domain + ".");
    }
    if (parentId != null) {
      Project parent =
          store()
              .findProject(parentId)
              .orElseThrow(
                  () -> invalid("ValidationError", "Could not find parent project: " + parentId + "."));
      if (!parent.domainId().equals(domain)) {
        throw invalid(
            "ValidationError", "A project's parent must be in the same domain (" + domain + ").");
      }
    }
    Project project =
        new Project(id, name, domain, parentId, requireNonNullElse(description, ""), enabled, clock.instant());
    unique(
        () -> {
          store().insertProject(project);
          return null;
        },
        "project",
        "name " + name + " at domain ID " + domain);
    return project;
  }

  public Project project(String id) {
    return store()
        .findProject(id)
        .orElseThrow(() -> notFound("ProjectNotFound", "Could not find project: " + id + "."));
  }

  public List<Project> projects(ListFilter filter) {
    return store().listProjects(filter);
  }

  /** The projects where the user holds a role, directly or through a group. */
  public List<Project> projectsOfUser(String userId) {
    user(userId);
    return store().listProjectsOfUser(userId);
  }

  /** The domains where the user holds a role, directly or through a group. */
  public List<Domain> domainsOfUser(String userId) {
    user(userId);
    return store().listDomainsOfUser(userId);
  }

  public Project updateProject(String id, String name, String description, Boolean enabled) {
    Project old = project(id);
    Project updated =
        new Project(
            id,
            name == null ? old.name() : name,
            old.domainId(),
            old.parentId(),
            description == null ? old.description() : description,
            enabled == null ? old.enabled() : enabled,
            old.createdAt());
    unique(
        () -> store().updateProject(updated),
        "project",
        "name " + updated.name() + " at domain ID " + updated.domainId());
    return updated;
  }

  public void deleteProject(String id) {
    project(id);
    if (store().countChildProjects(id) > 0) {
      throw forbidden(
          "ForbiddenAction", "Cannot delete project " + id + ": it has child projects; delete them first.");
    }
    db.inTransaction(sql -> new IdentityStore(sql).deleteProject(id));
  }

  // Users

  public User createUser(
      String name,
      String domainId,
      String password,
      String defaultProjectId,
      String email,
      String description,
      boolean enabled) {
    return createUser(
        ids.hex(), name, domainId, password, defaultProjectId, email, description, enabled, User.NO_EXTRA);
  }

  /** Like {@link #createUser(String, String, String, String, String, String, boolean)}, with the id given. */
  public User createUser(
      String id,
      String name,
      String domainId,
      String password,
      String defaultProjectId,
      String email,
      String description,
      boolean enabled) {
    requireNonNull(id, "id is null");
    return createUser(
        id, name, domainId, password, defaultProjectId, email, description, enabled, User.NO_EXTRA);
  }

  /**
   * Creates a user with the id given (null: a new one) and {@code extra}, the attributes Keystone
   * keeps without knowing them (one JSON object's text). A domain that does not exist is Keystone's
   * 404.
   */
  public User createUser(
      String id,
      String name,
      String domainId,
      String password,
      String defaultProjectId,
      String email,
      String description,
      boolean enabled,
      String extra) {
    return insertUser(
        id, name, domainId, password == null ? null : hasher.hash(password), defaultProjectId, email, description,
        enabled, extra);
  }

  /**
   * Creates a user whose password Kiln generated itself, at random, and hands only to a machine
   * (Orchestration's stack users: 32 random characters, about 165 bits). Key stretching protects
   * passwords people choose, which can be guessed; a secret that cannot be guessed gains nothing
   * from 100,000 PBKDF2 rounds, and a stack of 50 servers made 50 such users and its 50 agents
   * logged in with them: 100 hashes of ~22 ms each on the 2-core machine, a second of its CPU.
   */
  public User createUserWithGeneratedPassword(
      String id, String name, String domainId, String generatedPassword, String defaultProjectId, String description) {
    requireNonNull(id, "id is null");
    requireNonNull(generatedPassword, "generatedPassword is null");
    return insertUser(
        id, name, domainId, hasher.hashGeneratedSecret(generatedPassword), defaultProjectId, null, description, true,
        User.NO_EXTRA);
  }

  private User insertUser(
      String id,
      String name,
      String domainId,
      String hash,
      String defaultProjectId,
      String email,
      String description,
      boolean enabled,
      String extra) {
    String userId = id == null ? ids.hex() : id;
    String domain = domainId == null ? Domain.DEFAULT_ID : domainId;
    domain(domain);
    if (defaultProjectId != null) {
      project(defaultProjectId);
    }
    User user =
        new User(
            userId, name, domain, defaultProjectId, email, requireNonNullElse(description, ""), enabled,
            clock.instant(), extra);
    unique(
        () -> {
          store().insertUser(user, hash);
          return null;
        },
        "user",
        "name " + name + " at domain ID " + domain);
    return user;
  }

  public User user(String id) {
    return store().findUser(id).orElseThrow(() -> notFound("UserNotFound", "Could not find user: " + id + "."));
  }

  public List<User> users(ListFilter filter) {
    return store().listUsers(filter);
  }

  /**
   * Changes a user. A new password or disabling the user revokes the user's tokens, so the old
   * secret stops working at once.
   */
  public User updateUser(
      String id,
      String name,
      String password,
      String defaultProjectId,
      String email,
      String description,
      Boolean enabled) {
    return updateUser(id, name, password, defaultProjectId, email, description, enabled, null);
  }

  /** Like the update above; {@code extra}, when not null, replaces the extra attributes. */
  public User updateUser(
      String id,
      String name,
      String password,
      String defaultProjectId,
      String email,
      String description,
      Boolean enabled,
      String extra) {
    User old = user(id);
    if (defaultProjectId != null) {
      project(defaultProjectId);
    }
    User updated =
        new User(
            id,
            name == null ? old.name() : name,
            old.domainId(),
            defaultProjectId == null ? old.defaultProjectId() : defaultProjectId,
            email == null ? old.email() : email,
            description == null ? old.description() : description,
            enabled == null ? old.enabled() : enabled,
            old.createdAt(),
            extra == null ? old.extra() : extra);
    String hash = password == null ? null : hasher.hash(password);
    unique(
        () ->
            db.inTransaction(
                sql -> {
                  IdentityStore store = new IdentityStore(sql);
                  store.updateUser(updated);
                  if (hash != null) {
                    store.setPasswordHash(id, hash);
                  }
                  if (hash != null || (old.enabled() && !updated.enabled())) {
                    new TokenStore(sql).revokeAllOfUser(id);
                  }
                  return null;
                }),
        "user",
        "name " + updated.name() + " at domain ID " + updated.domainId());
    return updated;
  }

  /**
   * Keystone's self-service password change: whoever knows the current password may set a new
   * one, with or without a token. A wrong password or an unknown user is the same 401, so the call
   * does not tell which users exist. The user's tokens are revoked, as with any new password.
   */
  public void changePassword(String userId, String original, String replacement) {
    IdentityStore store = store();
    boolean known =
        store.findUser(userId).filter(User::enabled).isPresent()
            && hasher.verify(original, store.passwordHash(userId).orElse(null));
    if (!known) {
      throw unauthenticated("The request you have made requires authentication: the original password is wrong.");
    }
    updateUser(userId, null, replacement, null, null, null, null);
  }

  public void deleteUser(String id) {
    user(id);
    db.inTransaction(
        sql -> {
          new TokenStore(sql).revokeAllOfUser(id);
          return new IdentityStore(sql).deleteUser(id);
        });
  }

  // Roles

  /** A new record id, as Kiln makes them. */
  public String newId() {
    return ids.hex();
  }

  public Role createRole(String name, String description) {
    return createRole(ids.hex(), name, description);
  }

  /** Like {@link #createRole(String, String)}, with the id given. */
  public Role createRole(String id, String name, String description) {
    return createRole(id, name, description, null);
  }

  /**
   * Creates a role; with {@code domainId}, a domain-specific role of that domain (which must
   * exist: 404). Names are unique across all roles, domain-specific ones included.
   */
  public Role createRole(String id, String name, String description, String domainId) {
    requireNonNull(id, "id is null");
    if (domainId != null) {
      domain(domainId);
    }
    Role role = new Role(id, name, requireNonNullElse(description, ""), domainId);
    unique(
        () -> {
          store().insertRole(role, clock.instant());
          return null;
        },
        "role",
        "name " + name);
    return role;
  }

  public Role role(String id) {
    return store().findRole(id).orElseThrow(() -> notFound("RoleNotFound", "Could not find role: " + id + "."));
  }

  public List<Role> roles(ListFilter filter) {
    return store().listRoles(filter);
  }

  public Role updateRole(String id, String name, String description) {
    Role old = role(id);
    Role updated =
        new Role(
            id, name == null ? old.name() : name, description == null ? old.description() : description, old.domainId());
    unique(() -> store().updateRole(updated), "role", "name " + updated.name());
    return updated;
  }

  /**
   * Deletes a role. Like Keystone, it revokes the tokens that carried it: those of each holder
   * scoped to where the holder had it.
   */
  public void deleteRole(String id) {
    role(id);
    db.inTransaction(
        sql -> {
          IdentityStore store = new IdentityStore(sql);
          TokenStore tokens = new TokenStore(sql);
          for (RoleAssignment held : store.listAssignments(ListFilter.none().eq("role_id", id))) {
            tokens.revokeAllOfUserOn(held.userId(), held.target().type().name(), held.target().id());
          }
          return store.deleteRole(id);
        });
  }

  // Grants

  public void grant(String userId, String roleId, Target target) {
    checkGrantParts(userId, roleId, target);
    store().grant(new RoleAssignment(userId, roleId, target));
  }

  public boolean holds(String userId, String roleId, Target target) {
    checkGrantParts(userId, roleId, target);
    return !store()
        .listAssignments(
            ListFilter.none()
                .eq("user_id", userId)
                .eq("role_id", roleId)
                .eq("target_type", target.type())
                .eq("target_id", target.id()))
        .isEmpty();
  }

  /**
   * Takes a role away. Like Keystone, it also revokes the user's tokens scoped to that project or
   * domain: they were issued with the role.
   */
  public void revoke(String userId, String roleId, Target target) {
    checkGrantParts(userId, roleId, target);
    int removed =
        db.inTransaction(
            sql -> {
              int rows = new IdentityStore(sql).revoke(new RoleAssignment(userId, roleId, target));
              if (rows > 0) {
                new TokenStore(sql).revokeAllOfUserOn(userId, target.type().name(), target.id());
              }
              return rows;
            });
    if (removed == 0) {
      throw notFound(
          "RoleAssignmentNotFound",
          "Could not find role assignment with role: "
              + roleId
              + ", user or group: "
              + userId
              + ", "
              + target.type().name().toLowerCase(java.util.Locale.ROOT)
              + ": "
              + target.id()
              + ".");
    }
  }

  public List<Role> rolesOn(String userId, Target target) {
    checkTarget(target);
    user(userId);
    return store().rolesOn(userId, target);
  }

  public List<RoleAssignment> assignments(ListFilter filter) {
    return store().listAssignments(filter);
  }

  private void checkGrantParts(String userId, String roleId, Target target) {
    checkTarget(target);
    user(userId);
    checkRoleFits(role(roleId), target);
  }

  /**
   * A domain-specific role may be granted only within its domain: on the domain itself or on one
   * of its projects (Keystone's 403 DomainSpecificRoleMismatch otherwise).
   */
  void checkRoleFits(Role role, Target target) {
    if (!role.domainSpecific()) {
      return;
    }
    String targetDomain =
        switch (target.type()) {
          case DOMAIN -> target.id();
          case PROJECT -> project(target.id()).domainId();
          case SYSTEM -> null;
        };
    if (!role.domainId().equals(targetDomain)) {
      throw forbidden(
          "DomainSpecificRoleMismatch",
          "Role " + role.id() + " belongs to domain " + role.domainId()
              + " and can be granted only on that domain or its projects.");
    }
  }

  /** Checks that a grant's project or domain exists (Keystone's 404 when not). */
  void checkTarget(Target target) {
    switch (target.type()) {
      case PROJECT -> project(target.id());
      case DOMAIN -> domain(target.id());
      case SYSTEM -> {
        if (!Target.SYSTEM_ID.equals(target.id())) {
          throw notFound("NotFound", "Could not find system target: " + target.id() + ".");
        }
      }
    }
  }

  /** Runs a write and turns a unique-key refusal into Keystone's 409. */
  private static <T> T unique(Supplier<T> write, String kind, String what) {
    try {
      return write.get();
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw conflict(
            "Conflict",
            "Conflict occurred attempting to store " + kind + " - Duplicate entry found with " + what + ".");
      }
      throw e;
    }
  }
}
