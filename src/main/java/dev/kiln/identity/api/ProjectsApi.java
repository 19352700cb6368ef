package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Project;
import dev.kiln.identity.ListFilter;

/** {@code /v3/projects}. */
final class ProjectsApi {
  static final int NAME_MAX = 64;

  private final Directory directory;

  ProjectsApi(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/projects", Access.ADMIN, this::list)
        .post("/v3/projects", Access.ADMIN, this::create)
        .get("/v3/projects/{project_id}", Access.AUTHENTICATED, this::show)
        .patch("/v3/projects/{project_id}", Access.ADMIN, this::update)
        .delete("/v3/projects/{project_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ListFilter filter =
        QueryFilters.enabled(
            request, QueryFilters.strings(request, ListFilter.none(), "name", "domain_id", "parent_id"));
    return ApiResponse.ok(views(request).collection("projects", directory.projects(filter), views(request)::project));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "project");
    in.allowOnly("name", "domain_id", "parent_id", "description", "enabled", "is_domain", "tags", "options");
    if (in.optionalBoolean("is_domain").orElse(false)) {
      throw in.invalid("is_domain", "projects acting as domains are not supported by Kiln; create a domain instead");
    }
    String domainId = in.optionalString("domain_id").orElse(null);
    String parentId = in.optionalString("parent_id").orElse(null);
    if (parentId != null && parentId.equals(domainId)) {
      parentId = null; // Keystone accepts the domain as parent of a top-level project.
    }
    Project project =
        directory.createProject(
            in.nonBlankString("name", NAME_MAX),
            domainId,
            parentId,
            in.optionalString("description").orElse(""),
            in.optionalBoolean("enabled").orElse(true));
    return ApiResponse.created(views(request).wrap("project", views(request).project(project)));
  }

  private ApiResponse show(ApiRequest request) {
    String id = request.pathParam("project_id");
    Caller caller = request.caller();
    // Members may read the project their token is scoped to, nothing else.
    if (!caller.isAdmin() && !id.equals(caller.projectId())) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:get_project.");
    }
    return ApiResponse.ok(views(request).wrap("project", views(request).project(directory.project(id))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "project");
    in.allowOnly("name", "description", "enabled", "tags", "options");
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    Project project =
        directory.updateProject(
            request.pathParam("project_id"),
            name,
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(null));
    return ApiResponse.ok(views(request).wrap("project", views(request).project(project)));
  }

  private ApiResponse delete(ApiRequest request) {
    directory.deleteProject(request.pathParam("project_id"));
    return ApiResponse.noContent();
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
