package dev.kiln.identity;

import dev.kiln.identity.RoleAssignment.Target;

/**
 * An OS-INHERIT grant: {@code actorId} (a user, or a group when {@code group}) holds {@code roleId}
 * on every project of the target domain, or on every project below the target project, but not
 * on the target itself.
 */
public record InheritedGrant(boolean group, String actorId, String roleId, Target target) {}
