package dev.kiln.identity;

/**
 * A role that can be granted to a user on a project or a domain. {@code domainId} is null for
 * Keystone's global roles; a domain-specific role belongs to that domain and is never itself in a
 * token (only the global roles it implies are).
 */
public record Role(String id, String name, String description, String domainId) {
  /** A global role. */
  public Role(String id, String name, String description) {
    this(id, name, description, null);
  }

  public boolean domainSpecific() {
    return domainId != null;
  }
}
