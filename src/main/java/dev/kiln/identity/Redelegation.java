package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keystone's rules for a trust's depth of redelegation ({@code redelegation_count}) and for a trust
 * made from another one with a token that trust scopes. A trust that may be redelegated carries
 * how many more links its chain may grow (at most the configured maximum); each trust made from it
 * carries one less, and none at all once it reaches 0 or its maker said {@code
 * allow_redelegation: false}. A redelegated trust never gives more than any trust above it: its
 * roles are among theirs, it expires no later, it impersonates only if they do, it has no use
 * limit, and it is on the same project.
 */
final class Redelegation {
  private Redelegation() {}

  /** What a new trust is given: its depth of redelegation and its expiry. */
  record Outcome(int redelegationCount, Instant expiresAt) {}

  /**
   * Works out a new trust's depth and expiry, or throws Keystone's refusal.
   *
   * @param pedigree the trust the caller's token is scoped by, then each trust above it; empty
   *     when the caller's token is not trust-scoped
   */
  static Outcome plan(Trusts.Request request, List<Role> roles, List<Trust> pedigree, int max) {
    Integer requested = request.redelegationCount();
    boolean redelegatable = request.allowRedelegation() && (requested == null || requested != 0);
    Integer count = null;
    if (!redelegatable) {
      count = 0;
    } else {
      if (requested != null && requested > max) {
        throw forbidden(
            "Forbidden",
            "Requested redelegation depth of " + requested + " is greater than allowed " + max + ".");
      }
      if (request.remainingUses() != null) {
        throw invalid("ValidationError", "remaining_uses must not be set if redelegation is allowed.");
      }
    }
    Instant expiresAt = request.expiresAt();
    if (!pedigree.isEmpty()) {
      Trust parent = pedigree.getFirst();
      int remaining = parent.redelegationCount() - 1;
      if (redelegatable && requested != null && requested != remaining) {
        throw forbidden(
            "Forbidden",
            "Modifying \"redelegation_count\" upon redelegation is forbidden. Omitting this parameter"
                + " is advised.");
      }
      if (count == null) {
        count = remaining;
      }
      for (Trust above : pedigree) {
        expiresAt = checkWithin(above, request, roles, expiresAt, max);
      }
    }
    if (count == null) {
      count = requested == null ? max : requested;
    }
    return new Outcome(Math.max(count, 0), expiresAt);
  }

  /** Checks a new trust against one trust above it; answers its expiry (the parent's if it has none). */
  private static Instant checkWithin(
      Trust above, Trusts.Request request, List<Role> roles, Instant expiresAt, int max) {
    int depth = above.redelegationCount();
    if (depth <= 0 || depth > max) {
      throw forbidden(
          "Forbidden",
          "Remaining redelegation depth of " + depth + " out of allowed range of [0.." + max + "]: trust "
              + above.id() + " may not be redelegated.");
    }
    if (request.remainingUses() != null) {
      throw forbidden(
          "Forbidden",
          "Field \"remaining_uses\" is set to " + request.remainingUses()
              + " while it must not be set in order to redelegate a trust.");
    }
    if (expiresAt == null) {
      expiresAt = above.expiresAt();
    } else if (above.expiresAt() != null && expiresAt.isAfter(above.expiresAt())) {
      throw forbidden("Forbidden", "Requested expiration time is more than redelegated trust can provide.");
    }
    Set<String> allowed = new HashSet<>();
    above.roles().forEach(r -> allowed.add(r.id()));
    for (Role role : roles) {
      if (!allowed.contains(role.id())) {
        throw forbidden("Forbidden", "Some of requested roles are not in redelegated trust: " + role.id() + ".");
      }
    }
    if (!above.impersonation() && request.impersonation()) {
      throw forbidden(
          "Forbidden",
          "Impersonation is not allowed because redelegated trust does not specify impersonation."
              + " Redelegated trust id: " + above.id() + ".");
    }
    if (above.projectId() == null ? request.projectId() != null : !above.projectId().equals(request.projectId())) {
      throw forbidden(
          "Forbidden",
          "A redelegated trust is on the project of the trust it is made from, " + above.projectId() + ".");
    }
    return expiresAt;
  }
}
