package dev.kiln.volume.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Caller;

/**
 * The project in a Cinder URL ({@code /v3/{project_id}/...}). A caller may use only its own
 * project's URLs; an admin may use any, as Cinder's policy allows.
 */
final class CinderProject {
  private CinderProject() {}

  static String of(ApiRequest request) {
    String project = request.pathParam("project_id");
    Caller caller = request.caller();
    if (!caller.isAdmin() && !project.equals(caller.projectId())) {
      throw ApiError.forbidden(
          "Policy doesn't allow this request: the URL names project "
              + project
              + " but the token is scoped to "
              + caller.projectId()
              + ".");
    }
    return project;
  }
}
