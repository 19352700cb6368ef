package dev.kiln.identity;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Seeds a new Kiln like {@code keystone-manage bootstrap}: the default domain, the admin, member
 * and reader roles, an {@code admin} project and an {@code admin} user holding the admin role on
 * both. Safe to run on every start: it only adds what is missing.
 */
public final class IdentityBootstrap {
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PROJECT = "admin";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Directory directory;
  private final PasswordHasher hasher;

  public IdentityBootstrap(
      Database db, Clock clock, IdGenerator ids, Directory directory, PasswordHasher hasher) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.hasher = requireNonNull(hasher, "hasher is null");
  }

  /** What the bootstrap did with the admin user's password. */
  public enum PasswordOutcome {
    CREATED,
    RESET,
    UNCHANGED
  }

  /**
   * Makes sure the seed exists.
   *
   * @param password the admin password to create the user with
   * @param resetPassword also set this password when the admin user already exists
   */
  public PasswordOutcome run(String password, boolean resetPassword) {
    return run(password, resetPassword, () -> hasher.hash(password));
  }

  /**
   * Makes sure the seed exists, taking the password's hash from {@code passwordHash} (asked only
   * when the admin user is created or its password reset), so a start can hash it in advance.
   */
  public PasswordOutcome run(String password, boolean resetPassword, Supplier<String> passwordHash) {
    IdentityStore store = new IdentityStore(db.sql());
    if (store.findDomain(Domain.DEFAULT_ID).isEmpty()) {
      Instant now = clock.instant();
      store.insertDomain(new Domain(Domain.DEFAULT_ID, "Default", "The default domain", true, now));
    }
    boolean newRoles = store.findRoleByName("reader").isEmpty();
    Role admin = role(store, "admin");
    Role member = role(store, "member");
    Role reader = role(store, "reader");
    if (newRoles) {
      // Keystone's bootstrap rules; made once, so an admin who removes one does not see it return.
      ImpliedRoleStore rules = new ImpliedRoleStore(db.sql());
      rules.add(new ImpliedRoleStore.Rule(admin.id(), member.id()));
      rules.add(new ImpliedRoleStore.Rule(member.id(), reader.id()));
    }
    // Swift's reseller admins (account quotas); DevStack makes this role for Swift too.
    role(store, "ResellerAdmin");
    Project project =
        store
            .findProjectByName(Domain.DEFAULT_ID, ADMIN_PROJECT)
            .orElseGet(
                () ->
                    directory.createProject(
                        ADMIN_PROJECT, Domain.DEFAULT_ID, null, "Bootstrap project for initializing the cloud.", true));
    PasswordOutcome outcome;
    User user = store.findUserByName(Domain.DEFAULT_ID, ADMIN_USER).orElse(null);
    if (user == null) {
      user = new User(ids.hex(), ADMIN_USER, Domain.DEFAULT_ID, project.id(), null, "", true, clock.instant());
      store.insertUser(user, passwordHash.get());
      outcome = PasswordOutcome.CREATED;
    } else if (resetPassword) {
      store.setPasswordHash(user.id(), passwordHash.get());
      outcome = PasswordOutcome.RESET;
    } else {
      outcome = PasswordOutcome.UNCHANGED;
    }
    store.grant(new RoleAssignment(user.id(), admin.id(), new Target(TargetType.PROJECT, project.id())));
    store.grant(
        new RoleAssignment(user.id(), admin.id(), new Target(TargetType.DOMAIN, Domain.DEFAULT_ID)));
    return outcome;
  }

  private Role role(IdentityStore store, String name) {
    return store.findRoleByName(name).orElseGet(() -> directory.createRole(name, ""));
  }
}
