package dev.kiln.orchestration.api;

import dev.kiln.common.Actor;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Caller;

/**
 * Heat's default policy, checked before each operation: the project in the URL must be the token's
 * (an admin may name any, as Heat lets admins follow its redirects into other projects), and the
 * caller needs the role Heat's policy names for the operation — reader to look, member to change.
 * Keystone's implied roles put reader in every member's token and both in every admin's.
 */
final class HeatPolicy {
  /** The weakest role an operation needs, as Heat's policy-in-code names it. */
  enum Role {
    READER("reader"),
    MEMBER("member");

    private final String keystoneName;

    Role(String keystoneName) {
      this.keystoneName = keystoneName;
    }
  }

  private HeatPolicy() {}

  /**
   * Checks the URL's project and the caller's role for {@code action} (Heat's policy name, as in
   * {@code stacks:create}), and answers the caller as the services see it.
   */
  static Actor enforce(ApiRequest request, String action, Role needed) {
    Caller caller = request.caller();
    String project = request.pathParam("project_id");
    if (!caller.isAdmin() && !project.equals(caller.projectId())) {
      throw new ApiError(
          403,
          "HTTPForbidden",
          "Access was denied to this resource: the URL names project "
              + project
              + " but the token is scoped to "
              + (caller.projectId() == null ? "no project" : caller.projectId())
              + ".");
    }
    if (!caller.isAdmin() && !caller.roles().contains(needed.keystoneName)) {
      throw forbidden(action);
    }
    return caller.actor();
  }

  /** Heat's refusal of an operation its policy denies. */
  static ApiError forbidden(String action) {
    return new ApiError(403, "Forbidden", "You are not authorized to use " + action + ".");
  }
}
