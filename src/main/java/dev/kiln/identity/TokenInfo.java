package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * Everything a token stands for, as Keystone's token body shows it. Roles are worked out when the
 * token is validated, so a role removed from a user stops working at once.
 *
 * @param appCredential the application credential the token was issued with, or null
 * @param trust the trust that scopes the token (OS-TRUST), or null
 * @param oauth the OS-OAUTH1 access token the token was issued with (method {@code oauth1}), or null
 */
public record TokenInfo(
    User user,
    Domain userDomain,
    Scope scope,
    Project project,
    Domain scopeDomain,
    List<Role> roles,
    List<String> methods,
    String auditId,
    Instant issuedAt,
    Instant expiresAt,
    ApplicationCredential appCredential,
    Trust trust,
    OAuthAccessToken oauth) {

  public TokenInfo {
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
  }

  /** Whether this token may make application credentials (and trusts): not if a restricted one made it. */
  public boolean mayDelegate() {
    return appCredential == null || appCredential.unrestricted();
  }

  /** Whether a trust scopes this token. */
  public boolean trustScoped() {
    return trust != null;
  }

  /** Whether an OS-OAUTH1 access token scopes this token. */
  public boolean oauthScoped() {
    return oauth != null;
  }

  /**
   * Whether the token acts for someone by delegation (a trust or an OAuth access token): such a
   * token may not authorize OAuth request tokens, manage access tokens or make credentials.
   */
  public boolean delegated() {
    return trust != null || oauth != null;
  }
}
