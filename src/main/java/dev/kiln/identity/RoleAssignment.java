package dev.kiln.identity;

/** One grant: {@code userId} holds {@code roleId} on a project, a domain or the system. */
public record RoleAssignment(String userId, String roleId, Target target) {

  /** What a role is held on. */
  public record Target(TargetType type, String id) {
    /** The whole deployment, Keystone's system target; its one id is {@value #SYSTEM_ID}. */
    public static final String SYSTEM_ID = "all";

    public static Target system() {
      return new Target(TargetType.SYSTEM, SYSTEM_ID);
    }
  }

  /**
   * Keystone grants roles on projects, on domains and on the system. Kiln keeps and lists system
   * grants but issues no system-scoped tokens, so they give no access yet.
   */
  public enum TargetType {
    PROJECT,
    DOMAIN,
    SYSTEM
  }
}
