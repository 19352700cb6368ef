package dev.kiln.http;

import java.time.Instant;
import java.util.Set;

/**
 * Who made a request, as established from a valid token: the user, the project (or domain) the
 * token is scoped to, and the role names held on that scope. Every service scopes its work to
 * this.
 *
 * @param projectId the project the token is scoped to, or null for domain-scoped and unscoped
 * @param domainId the domain a domain-scoped token is scoped to, or null
 * @param allowed the requests the token may make (an application credential's access rules)
 */
public record Caller(
    String userId,
    String userName,
    String userDomainId,
    String projectId,
    String projectName,
    String domainId,
    Set<String> roles,
    Instant expiresAt,
    AllowedRequests allowed) {

  public Caller {
    roles = Set.copyOf(roles);
    allowed = allowed == null ? AllowedRequests.ANY : allowed;
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }

  /** The caller as services see it. */
  public dev.kiln.common.Actor actor() {
    return new dev.kiln.common.Actor(projectId, userId, isAdmin());
  }
}
