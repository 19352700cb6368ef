package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.TrustStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keystone's trusts (OS-TRUST): a user (the trustor) delegates some of its roles on a project to
 * another user (the trustee), until the trust expires, runs out of uses or is deleted. Deleting a
 * trust revokes the tokens it scoped in the same transaction. Who may see or delete a trust is
 * decided here, as Keystone's policy has it: its trustor, its trustee (to see it) and admins.
 */
public final class Trusts {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Directory directory;
  /** Keystone's {@code [trust] max_redelegation_count}: how long a chain of trusts may grow. */
  private final int maxRedelegationCount;

  public Trusts(Database db, Clock clock, IdGenerator ids, Directory directory, int maxRedelegationCount) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.directory = requireNonNull(directory, "directory is null");
    if (maxRedelegationCount < 0) {
      throw new IllegalArgumentException("maxRedelegationCount must be 0 or more");
    }
    this.maxRedelegationCount = maxRedelegationCount;
  }

  /** A role asked for by id or by name. */
  public record RoleRef(String id, String name) {}

  /**
   * What a create asks for; {@code expiresAt}, {@code remainingUses} and {@code
   * redelegationCount} may be null.
   */
  public record Request(
      String trustorUserId,
      String trusteeUserId,
      String projectId,
      boolean impersonation,
      List<RoleRef> roles,
      Instant expiresAt,
      Integer remainingUses,
      boolean allowRedelegation,
      Integer redelegationCount) {

    public Request {
      roles = List.copyOf(roles);
    }
  }

  /**
   * Makes a trust whose trustor is the caller, delegating roles the caller holds on the project.
   * A caller whose token a trust scopes redelegates that trust: the new one names it and gives no
   * more than it and every trust above it ({@link Redelegation}).
   */
  public Trust create(TokenInfo caller, Request request) {
    checkUnrestricted(caller);
    if (caller.oauthScoped()) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: redelegation allowed for delegated"
              + " by trust only.");
    }
    if (request.projectId() != null && request.roles().isEmpty()) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: at least one role should be"
              + " specified.");
    }
    if (!caller.user().id().equals(request.trustorUserId())) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: the authenticated user should"
              + " match the trustor.");
    }
    directory.user(request.trusteeUserId());
    Instant now = clock.instant();
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      throw invalid(
          "ValidationExpirationError",
          "The 'expires_at' must not be before now. The server could not comply with the request"
              + " since it is either malformed or otherwise incorrect.");
    }
    if (request.remainingUses() != null && request.remainingUses() < 1) {
      throw invalid("ValidationError", "remaining_uses must be a positive integer or null.");
    }
    if (request.redelegationCount() != null && request.redelegationCount() < 0) {
      throw invalid("ValidationError", "redelegation_count must be a whole number, 0 or more, or null.");
    }
    List<Role> roles = resolveRoles(request);
    return db.inTransaction(
        sql -> {
          TrustStore store = new TrustStore(sql);
          List<Trust> pedigree = List.of();
          if (caller.trustScoped()) {
            // The parent is locked before it is read, and while the child is written: a delete of
            // it racing this create either came first (then there is no parent here) or waits and
            // deletes the child too. Read without the lock, a parent deleted between the read of
            // its row and of its roles looked like one that gives no roles (a 403, not the 404).
            String parentId = caller.trust().id();
            if (!store.lock(parentId)) {
              throw notFound("TrustNotFound", "Could not find trust: " + parentId + ".");
            }
            pedigree = TrustScopes.pedigree(store, parentId, now);
          }
          Redelegation.Outcome outcome = Redelegation.plan(request, roles, pedigree, maxRedelegationCount);
          Trust trust =
              new Trust(
                  ids.hex(),
                  request.trustorUserId(),
                  request.trusteeUserId(),
                  request.projectId(),
                  request.impersonation(),
                  outcome.expiresAt() == null ? null : outcome.expiresAt().truncatedTo(ChronoUnit.MICROS),
                  request.remainingUses(),
                  outcome.redelegationCount() > 0,
                  outcome.redelegationCount(),
                  pedigree.isEmpty() ? null : pedigree.getFirst().id(),
                  roles,
                  now.truncatedTo(ChronoUnit.MICROS));
          store.insert(trust);
          return trust;
        });
  }

  /** A trust its trustor, its trustee or an admin may see; 404 when gone, expired or spent. */
  public Trust show(String callerUserId, boolean admin, String id) {
    Trust trust = usable(id);
    if (!admin
        && !callerUserId.equals(trust.trustorUserId())
        && !callerUserId.equals(trust.trusteeUserId())) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: identity:get_trust (requested"
              + " user has no relation to this trust).");
    }
    return trust;
  }

  /**
   * Trusts, filtered by trustor or trustee. Unfiltered lists are for admins; a user may list the
   * trusts it gave or was given.
   */
  public List<Trust> list(String callerUserId, boolean admin, String trustorUserId, String trusteeUserId) {
    if (!admin) {
      if (trustorUserId == null && trusteeUserId == null) {
        throw forbidden(
            "ForbiddenAction", "You are not authorized to perform the requested action: identity:list_trusts.");
      }
      if ((trustorUserId != null && !trustorUserId.equals(callerUserId))
          || (trusteeUserId != null && !trusteeUserId.equals(callerUserId))) {
        throw forbidden(
            "ForbiddenAction",
            "You are not authorized to perform the requested action: "
                + (trustorUserId != null ? "identity:list_trusts_for_trustor." : "identity:list_trusts_for_trustee."));
      }
    }
    Instant now = clock.instant();
    return new TrustStore(db.sql())
        .list(trustorUserId, trusteeUserId).stream()
        .filter(t -> !t.spentAt(now))
        .toList();
  }

  /** One of the roles a trust delegates; 404 when it delegates no such role. */
  public Role role(String callerUserId, boolean admin, String trustId, String roleId) {
    return show(callerUserId, admin, trustId).roles().stream()
        .filter(r -> r.id().equals(roleId))
        .findFirst()
        .orElseThrow(() -> notFound("RoleNotFound", "Could not find role: " + roleId + "."));
  }

  /** Deletes a trust (its trustor or an admin); the tokens it scoped stop working at once. */
  public void delete(TokenInfo caller, boolean admin, String id) {
    checkUnrestricted(caller);
    Trust trust = usable(id);
    if (!admin && !caller.user().id().equals(trust.trustorUserId())) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: only admin or trustor can"
              + " delete a trust.");
    }
    boolean deleted = db.inTransaction(sql -> new TrustStore(sql).delete(id));
    if (!deleted) {
      throw notFound("TrustNotFound", "Could not find trust: " + id + ".");
    }
  }

  private Trust usable(String id) {
    return TrustScopes.usable(new TrustStore(db.sql()), id, clock.instant());
  }

  private static void checkUnrestricted(TokenInfo caller) {
    if (!caller.mayDelegate()) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: using method"
              + " 'application_credential' is not allowed for managing trusts.");
    }
  }

  /** The roles asked for, each one the trustor holds (directly, by group or implied) on the project. */
  private List<Role> resolveRoles(Request request) {
    List<Role> resolved = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RoleRef ref : request.roles()) {
      Role role =
          ref.id() != null
              ? directory.role(ref.id())
              : directory.roles(ListFilter.none().eq("name", ref.name())).stream()
                  .findFirst()
                  .orElseThrow(
                      () -> notFound("RoleNotFound", "Could not find role: " + ref.name() + "."));
      if (seen.add(role.id())) {
        resolved.add(role);
      }
    }
    if (request.projectId() == null) {
      return resolved;
    }
    directory.project(request.projectId());
    IdentityStore store = new IdentityStore(db.sql());
    Set<String> held = new HashSet<>();
    ImpliedRoles.expand(
            store, new ImpliedRoleStore(db.sql()),
            store.effectiveRolesOn(request.trustorUserId(), new Target(TargetType.PROJECT, request.projectId())))
        .forEach(r -> held.add(r.name()));
    for (Role role : resolved) {
      if (!held.contains(role.name())) {
        throw notFound("RoleNotFound", "Could not find role: " + role.id() + ".");
      }
    }
    return resolved;
  }
}
