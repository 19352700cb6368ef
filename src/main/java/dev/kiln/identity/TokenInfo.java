package dev.kiln.identity;

import java.time.Instant;
import java.util.List;

/**
 * Everything a token stands for, as Keystone's token body shows it. Roles are worked out when the
 * token is validated, so a role removed from a user stops working at once.
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
    Instant expiresAt) {

  public TokenInfo {
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
  }
}
