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
import dev.kiln.identity.ProjectTags;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import java.util.List;

/** {@code /v3/projects}. */
final class ProjectsApi {
  static final int NAME_MAX = 64;

  private final Directory directory;
  private final ProjectTags tags;

  ProjectsApi(Directory directory, ProjectTags tags) {
    this.directory = requireNonNull(directory, "directory is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/projects", Access.ADMIN, this::list)
        .post("/v3/projects", Access.ADMIN, this::create)
        .get("/v3/projects/{project_id}", Access.AUTHENTICATED, this::show)
        .patch("/v3/projects/{project_id}", Access.ADMIN, this::update)
        .delete("/v3/projects/{project_id}", Access.ADMIN, this::delete)
        .get("/v3/projects/{project_id}/tags", Access.AUTHENTICATED, this::listTags)
        .put("/v3/projects/{project_id}/tags", Access.ADMIN, this::replaceTags)
        .delete("/v3/projects/{project_id}/tags", Access.ADMIN, this::clearTags)
        .get("/v3/projects/{project_id}/tags/{tag}", Access.AUTHENTICATED, this::checkTag)
        .head("/v3/projects/{project_id}/tags/{tag}", Access.AUTHENTICATED, this::checkTag)
        .put("/v3/projects/{project_id}/tags/{tag}", Access.ADMIN, this::addTag)
        .delete("/v3/projects/{project_id}/tags/{tag}", Access.ADMIN, this::removeTag);
  }

  private ApiResponse list(ApiRequest request) {
    boolean domains = request.query("is_domain").map(v -> QueryFilters.parseBoolean("is_domain", v)).orElse(false);
    if (domains) {
      return ApiResponse.ok(
          views(request).collection(
              "projects",
              directory.domains(QueryFilters.enabled(request, QueryFilters.strings(request, ListFilter.none(), "name"))),
              d -> DomainProjects.view(d, views(request))));
    }
    ListFilter filter =
        QueryFilters.enabled(
            request, QueryFilters.strings(request, ListFilter.none(), "name", "domain_id", "parent_id"));
    List<Project> found = directory.projects(filter);
    return ApiResponse.ok(
        views(request).collection("projects", found, views(request).projects(tags.tagsOf(found))));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "project");
    in.allowOnly("name", "domain_id", "parent_id", "description", "enabled", "is_domain", "tags", "options");
    if (in.optionalBoolean("is_domain").orElse(false)) {
      return ApiResponse.created(views(request).wrap("project", DomainProjects.create(directory, in, views(request))));
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
    List<String> kept = in.has("tags") ? tags.replace(project.id(), tagList(in)) : List.of();
    return ApiResponse.created(views(request).wrap("project", views(request).project(project, kept)));
  }

  private ApiResponse show(ApiRequest request) {
    String id = request.pathParam("project_id");
    Caller caller = request.caller();
    // Members may read the project their token is scoped to, nothing else.
    if (!caller.isAdmin() && !id.equals(caller.projectId())) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:get_project.");
    }
    if (DomainProjects.isDomain(directory, id)) {
      return ApiResponse.ok(views(request).wrap("project", DomainProjects.view(directory.domain(id), views(request))));
    }
    return ApiResponse.ok(
        views(request).wrap("project", views(request).project(directory.project(id), tags.tags(id))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "project");
    in.allowOnly("name", "description", "enabled", "tags", "options");
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    if (DomainProjects.isDomain(directory, request.pathParam("project_id"))) {
      return ApiResponse.ok(
          views(request).wrap(
              "project",
              DomainProjects.view(
                  directory.updateDomain(
                      request.pathParam("project_id"),
                      name,
                      in.optionalString("description").orElse(null),
                      in.optionalBoolean("enabled").orElse(null)),
                  views(request))));
    }
    Project project =
        directory.updateProject(
            request.pathParam("project_id"),
            name,
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(null));
    List<String> kept = in.has("tags") ? tags.replace(project.id(), tagList(in)) : tags.tags(project.id());
    return ApiResponse.ok(views(request).wrap("project", views(request).project(project, kept)));
  }

  private ApiResponse delete(ApiRequest request) {
    if (DomainProjects.isDomain(directory, request.pathParam("project_id"))) {
      directory.deleteDomain(request.pathParam("project_id"));
      return ApiResponse.noContent();
    }
    directory.deleteProject(request.pathParam("project_id"));
    return ApiResponse.noContent();
  }

  // Tags

  private ApiResponse listTags(ApiRequest request) {
    String id = readable(request);
    return ApiResponse.ok(tagsBody(tags.tags(id)));
  }

  private ApiResponse replaceTags(ApiRequest request) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("tags");
    return ApiResponse.ok(tagsBody(tags.replace(request.pathParam("project_id"), tagList(in))));
  }

  private ApiResponse clearTags(ApiRequest request) {
    tags.replace(request.pathParam("project_id"), List.of());
    return ApiResponse.noContent();
  }

  private ApiResponse checkTag(ApiRequest request) {
    String id = readable(request);
    String tag = request.pathParam("tag");
    if (!tags.has(id, tag)) {
      throw ApiError.notFound("NotFound", "Project " + id + " has no tag " + tag + ".");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse addTag(ApiRequest request) {
    tags.add(request.pathParam("project_id"), request.pathParam("tag"));
    return ApiResponse.status(201, null);
  }

  private ApiResponse removeTag(ApiRequest request) {
    tags.remove(request.pathParam("project_id"), request.pathParam("tag"));
    return ApiResponse.noContent();
  }

  /** The project's id when the caller may read it: an admin, or a token scoped to it. */
  private static String readable(ApiRequest request) {
    String id = request.pathParam("project_id");
    Caller caller = request.caller();
    if (!caller.isAdmin() && !id.equals(caller.projectId())) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:get_project_tag.");
    }
    return id;
  }

  private static List<String> tagList(JsonInput in) {
    List<String> list = in.optionalStringList("tags").orElse(List.of());
    ProjectTags.check(list);
    return list;
  }

  private static ObjectNode tagsBody(List<String> tags) {
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray("tags");
    tags.forEach(array::add);
    return body;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
