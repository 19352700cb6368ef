package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * An OS-OAUTH1 request token: consumer {@code consumerId} asks for access to {@code
 * requestedProjectId}; a user of that project authorizes it with some of their roles, which sets
 * {@code authorizingUserId}, {@code roles} and the {@code verifier} the consumer trades, with the
 * token, for an access token. Used once.
 */
public record OAuthRequestToken(
    String id,
    String secret,
    String consumerId,
    String requestedProjectId,
    String verifier,
    String authorizingUserId,
    List<Role> roles,
    Instant expiresAt) {

  public OAuthRequestToken {
    roles = List.copyOf(roles);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "OAuthRequestToken[id=" + id + ", consumerId=" + consumerId + ", requestedProjectId="
        + requestedProjectId + ", authorizingUserId=" + authorizingUserId + "]";
  }
}
