package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * An OS-OAUTH1 access token: consumer {@code consumerId} may get Keystone tokens acting as {@code
 * authorizingUserId} on {@code projectId}, with at most {@code roles}, until {@code expiresAt}
 * (null: never) or until the token, its consumer, user or project is deleted. Its secret is
 * handed to the consumer once and shown nowhere else.
 */
public record OAuthAccessToken(
    String id,
    String consumerId,
    String authorizingUserId,
    String projectId,
    List<Role> roles,
    Instant expiresAt) {

  public OAuthAccessToken {
    roles = List.copyOf(roles);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
