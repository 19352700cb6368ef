package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * A Keystone application credential: a secret with which a program authenticates as {@code userId}
 * on {@code projectId}, carrying at most {@code roles}, until {@code expiresAt} (null: never) or
 * until it is deleted. A restricted one ({@code unrestricted} false) cannot be used to make more
 * application credentials or trusts.
 */
public record ApplicationCredential(
    String id,
    String userId,
    String projectId,
    String name,
    String description,
    Instant expiresAt,
    boolean unrestricted,
    List<Role> roles,
    Instant createdAt) {

  public ApplicationCredential {
    roles = List.copyOf(roles);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
