package dev.kiln.identity;

import static dev.kiln.common.ServiceException.conflict;
import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.AccessRuleStore;
import dev.kiln.identity.store.AppCredentialStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Keystone's application credentials, which a user makes for itself with a token scoped to a
 * project: the credential is bound to that project and to a subset of the token's roles. Deleting
 * one revokes the tokens issued with it and moves identity's revision on, so no node keeps
 * trusting them.
 */
public final class ApplicationCredentials {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final PasswordHasher hasher;
  private final SecureRandom random;
  private final Directory directory;

  public ApplicationCredentials(
      Database db,
      Clock clock,
      IdGenerator ids,
      PasswordHasher hasher,
      SecureRandom random,
      Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.hasher = requireNonNull(hasher, "hasher is null");
    this.random = requireNonNull(random, "random is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** A role asked for by id or by name. */
  public record RoleRef(String id, String name) {}

  /**
   * An access rule asked for: an existing one of the user's by {@code id}, or a service type,
   * path and method (the user's identical rule is reused, as Keystone does).
   */
  public record AccessRuleRef(String id, String service, String path, String method) {}

  /** What a create answers: the credential and its secret, shown this once. */
  public record Created(ApplicationCredential credential, String secret) {
    @Override
    public String toString() {
      return "Created[credential=" + credential + ", secret=<hidden>]";
    }
  }

  /**
   * Makes a credential for the caller's own user on the caller's project.
   *
   * @param roles the roles to give it, each one the caller's token carries; empty gives it all of
   *     them
   * @param secret the secret to use, or null to have one generated
   */
  public Created create(
      TokenInfo caller,
      String userId,
      String name,
      String description,
      String secret,
      Instant expiresAt,
      List<RoleRef> roles,
      boolean unrestricted) {
    return create(caller, userId, name, description, secret, expiresAt, roles, unrestricted, List.of());
  }

  /** Like the create above, with access rules that limit what the credential's tokens may call. */
  public Created create(
      TokenInfo caller,
      String userId,
      String name,
      String description,
      String secret,
      Instant expiresAt,
      List<RoleRef> roles,
      boolean unrestricted,
      List<AccessRuleRef> accessRules) {
    if (!caller.user().id().equals(userId)) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action:"
              + " identity:create_application_credential (a user makes its own).");
    }
    if (caller.project() == null) {
      throw forbidden(
          "ForbiddenAction",
          "An application credential is made with a token scoped to the project it is for.");
    }
    if (!caller.mayDelegate()) {
      throw forbidden(
          "ForbiddenAction",
          "A token made with a restricted application credential cannot make more of them.");
    }
    if (caller.delegated()) {
      // A credential made with a trust's or an OAuth access token's token would outlive the
      // delegation it came from, as Keystone refuses.
      throw forbidden(
          "ForbiddenAction",
          "An application credential cannot be made with a token issued via delegation (a trust or"
              + " an OAuth access token).");
    }
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw invalid("ValidationError", "expires_at must be in the future.");
    }
    List<Role> granted = roles.isEmpty() ? caller.roles() : resolve(roles, caller);
    String secretValue = secret == null ? newSecret() : secret;
    ApplicationCredential credential =
        new ApplicationCredential(
            ids.hex(),
            userId,
            caller.project().id(),
            name,
            description,
            expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS),
            unrestricted,
            granted,
            now,
            resolveRules(userId, accessRules));
    String hash = hasher.hash(secretValue);
    try {
      db.inTransaction(
          sql -> {
            new AppCredentialStore(sql).insert(credential, hash);
            return null;
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw conflict(
            "Conflict",
            "Conflict occurred attempting to store application_credential - Duplicate entry found"
                + " with name " + name + " for user " + userId + ".");
      }
      throw e;
    }
    return new Created(credential, secretValue);
  }

  public ApplicationCredential show(String userId, String id) {
    return new AppCredentialStore(db.sql())
        .find(id)
        .filter(c -> c.userId().equals(userId))
        .orElseThrow(
            () ->
                notFound(
                    "ApplicationCredentialNotFound",
                    "Could not find Application Credential: " + id + "."));
  }

  public List<ApplicationCredential> list(String userId, String name) {
    directory.user(userId);
    return new AppCredentialStore(db.sql()).listOfUser(userId, name);
  }

  /** Deletes a credential; every token issued with it fails validation from the next request on. */
  public void delete(String userId, String id) {
    show(userId, id);
    db.inTransaction(sql -> new AppCredentialStore(sql).delete(id));
  }

  private List<Role> resolve(List<RoleRef> asked, TokenInfo caller) {
    List<Role> resolved = new ArrayList<>();
    for (RoleRef ref : asked) {
      Role role =
          ref.id() != null
              ? directory.role(ref.id())
              : directory.roles(ListFilter.none().eq("name", ref.name())).stream()
                  .findFirst()
                  .orElseThrow(
                      () -> notFound("RoleNotFound", "Could not find role: " + ref.name() + "."));
      if (caller.roles().stream().noneMatch(r -> r.id().equals(role.id()))) {
        throw notFound(
            "RoleAssignmentNotFound",
            "Could not find role assignment with role: "
                + role.id()
                + ", user or group: "
                + caller.user().id()
                + ", project: "
                + caller.project().id()
                + ".");
      }
      if (resolved.stream().noneMatch(r -> r.id().equals(role.id()))) {
        resolved.add(role);
      }
    }
    return resolved;
  }

  private List<AccessRule> resolveRules(String userId, List<AccessRuleRef> asked) {
    AccessRuleStore store = new AccessRuleStore(db.sql());
    List<AccessRule> resolved = new ArrayList<>();
    for (AccessRuleRef ref : asked) {
      AccessRule rule;
      if (ref.id() != null) {
        rule = store.find(ref.id()).filter(r -> r.userId().equals(userId))
            .orElseThrow(() -> notFound("AccessRuleNotFound", "Could not find Access Rule: " + ref.id() + "."));
      } else {
        rule = store.findSame(userId, ref.service(), ref.path(), ref.method())
            .orElseGet(() -> new AccessRule(ids.hex(), userId, ref.service(), ref.path(), ref.method()));
      }
      if (resolved.stream().noneMatch(r -> r.id().equals(rule.id()))) {
        resolved.add(rule);
      }
    }
    return resolved;
  }

  /** 64 random bytes, URL-safe: as long as Keystone's generated secrets. */
  private String newSecret() {
    return CommandLineSafeSecrets.of(random, 64);
  }
}
