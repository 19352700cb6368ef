package dev.kiln.identity;

import dev.kiln.identity.RoleAssignment.Target;

/**
 * One line of Keystone's role assignment report.
 *
 * @param group whether the holder is a group (else a user)
 * @param inheritedToProjects a listed OS-INHERIT grant, held on the projects below the target
 * @param from the grant behind this line: the line itself, or for an effective line the grant
 *     (to a group the user is in, inherited from above, or of a role implying this one) that gives it
 * @param priorRoleId the role that implies this one, when the line comes from an inference rule
 */
public record AssignmentEntry(
    boolean group, String actorId, String roleId, Target target, boolean inheritedToProjects, Grant from, String priorRoleId) {

  /** A stored grant. */
  public record Grant(boolean group, String actorId, String roleId, Target target, boolean inherited) {}

  /** What the report was asked for; null fields do not filter. */
  public record Query(
      String userId, String groupId, String roleId, String projectId, String domainId, boolean system, boolean effective) {}
}
