package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * A Keystone trust (OS-TRUST): {@code trustorUserId} delegates {@code roles} on {@code projectId}
 * to {@code trusteeUserId}, who may then get tokens scoped by the trust. With {@code
 * impersonation} those tokens name the trustor as their user, otherwise the trustee.
 *
 * @param expiresAt when the trust stops working, or null for never
 * @param remainingUses how many more tokens it may issue, or null for no limit
 * @param redelegatedTrustId the trust this one was made from, or null
 */
public record Trust(
    String id,
    String trustorUserId,
    String trusteeUserId,
    String projectId,
    boolean impersonation,
    Instant expiresAt,
    Integer remainingUses,
    boolean allowRedelegation,
    int redelegationCount,
    String redelegatedTrustId,
    List<Role> roles,
    Instant createdAt) {

  public Trust {
    roles = List.copyOf(roles);
  }

  /** Whether it no longer works at {@code now}: expired, or every use spent. */
  public boolean spentAt(Instant now) {
    return (expiresAt != null && !now.isBefore(expiresAt))
        || (remainingUses != null && remainingUses <= 0);
  }
}
