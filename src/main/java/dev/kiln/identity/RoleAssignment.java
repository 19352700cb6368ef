package dev.kiln.identity;

/** One grant: {@code userId} holds {@code roleId} on a project or a domain. */
public record RoleAssignment(String userId, String roleId, Target target) {

  /** What a role is held on. */
  public record Target(TargetType type, String id) {}

  /** Keystone grants roles on projects and on domains. */
  public enum TargetType {
    PROJECT,
    DOMAIN
  }
}
