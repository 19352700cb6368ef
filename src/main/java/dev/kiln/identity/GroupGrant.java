package dev.kiln.identity;

import dev.kiln.identity.RoleAssignment.Target;

/** One grant to a group: every member of {@code groupId} holds {@code roleId} on the target. */
public record GroupGrant(String groupId, String roleId, Target target) {}
