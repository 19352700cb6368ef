package dev.kiln.common;

/**
 * Who asks a service for something, as the services need to know it: the project the request is
 * scoped to and whether the caller is an admin. Built by the API layer from the token.
 */
public record Actor(String projectId, String userId, boolean admin) {
  /** Whether this actor may see or change what belongs to {@code project}. */
  public boolean owns(String project) {
    return admin || (projectId != null && projectId.equals(project));
  }
}
