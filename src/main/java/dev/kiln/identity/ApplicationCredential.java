package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * A Keystone application credential: a secret with which a program authenticates as {@code userId}
 * on {@code projectId}, carrying at most {@code roles}, until {@code expiresAt} (null: never) or
 * until it is deleted. A restricted one ({@code unrestricted} false) cannot be used to make more
 * application credentials or trusts. Access rules, when it has any, name the only calls its tokens
 * may make.
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
    Instant createdAt,
    List<AccessRule> accessRules) {

  public ApplicationCredential {
    roles = List.copyOf(roles);
    accessRules = accessRules == null ? List.of() : List.copyOf(accessRules);
  }

  /** A credential without access rules. */
  public ApplicationCredential(
      String id,
      String userId,
      String projectId,
      String name,
      String description,
      Instant expiresAt,
      boolean unrestricted,
      List<Role> roles,
      Instant createdAt) {
    this(id, userId, projectId, name, description, expiresAt, unrestricted, roles, createdAt, List.of());
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
