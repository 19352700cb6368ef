package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Directory;
import dev.kiln.identity.User;
import dev.kiln.identity.ListFilter;
import java.util.List;
import java.util.Set;
import dev.kiln.identity.Project;
import dev.kiln.identity.ProjectTags;

/** {@code /v3/users}. */
final class UsersApi {
  static final int NAME_MAX = 255;
  static final int PASSWORD_MAX = 4096;

  /**
   * The user attributes Kiln keeps in columns (or refuses to keep, like a password in the clear);
   * any other is an extra attribute, kept and shown as given, as Keystone does.
   */
  private static final Set<String> KNOWN =
      Set.of(
          "id", "name", "domain_id", "password", "default_project_id", "enabled", "description",
          "email", "options", "links", "password_expires_at");

  private final Directory directory;
  private final ProjectTags tags;

  UsersApi(Directory directory, ProjectTags tags) {
    this.directory = requireNonNull(directory, "directory is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/users", Access.ADMIN, this::list)
        .post("/v3/users", Access.ADMIN, this::create)
        .get("/v3/users/{user_id}", Access.AUTHENTICATED, this::show)
        .patch("/v3/users/{user_id}", Access.ADMIN, this::update)
        .delete("/v3/users/{user_id}", Access.ADMIN, this::delete)
        .get("/v3/users/{user_id}/projects", Access.AUTHENTICATED, this::projects)
        .post("/v3/users/{user_id}/password", Access.PUBLIC, this::changePassword);
  }

  private ApiResponse list(ApiRequest request) {
    ListFilter filter =
        QueryFilters.enabled(request, QueryFilters.strings(request, ListFilter.none(), "name", "domain_id"));
    return ApiResponse.ok(views(request).collection("users", directory.users(filter), views(request)::user));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "user");
    User user =
        directory.createUser(
            null,
            in.nonBlankString("name", NAME_MAX),
            in.optionalString("domain_id").orElse(null),
            password(in),
            in.optionalString("default_project_id").orElse(null),
            in.optionalString("email", 255).orElse(null),
            in.optionalString("description").orElse(""),
            in.optionalBoolean("enabled").orElse(true),
            ExtraAttributes.of(request.body().get("user"), KNOWN));
    return ApiResponse.created(views(request).wrap("user", views(request).user(user)));
  }

  private ApiResponse show(ApiRequest request) {
    String id = AccessChecks.selfOrAdmin(request, "identity:get_user");
    return ApiResponse.ok(views(request).wrap("user", views(request).user(directory.user(id))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "user");
    String id = request.pathParam("user_id");
    User old = directory.user(id);
    if (in.has("domain_id") && !in.string("domain_id").equals(old.domainId())) {
      throw in.invalid("domain_id", "a user cannot move to another domain");
    }
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    User user =
        directory.updateUser(
            id,
            name,
            password(in),
            in.optionalString("default_project_id").orElse(null),
            in.optionalString("email", 255).orElse(null),
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(null),
            ExtraAttributes.merged(old.extra(), request.body().get("user"), KNOWN));
    return ApiResponse.ok(views(request).wrap("user", views(request).user(user)));
  }

  private ApiResponse delete(ApiRequest request) {
    directory.deleteUser(request.pathParam("user_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse projects(ApiRequest request) {
    String id = AccessChecks.selfOrAdmin(request, "identity:list_user_projects");
    List<Project> projects = directory.projectsOfUser(id);
    return ApiResponse.ok(
        views(request).collection("projects", projects, views(request).projects(tags.tagsOf(projects))));
  }

  /**
   * Self-service password change: not policy-checked (no token needed), as in Keystone; knowing
   * the current password is the proof.
   */
  private ApiResponse changePassword(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "user");
    in.allowOnly("password", "original_password");
    String original = in.string("original_password");
    String replacement = password(in);
    if (replacement == null) {
      throw in.invalid("password", "this field is required");
    }
    directory.changePassword(request.pathParam("user_id"), original, replacement);
    return ApiResponse.noContent();
  }

  private static String password(JsonInput in) {
    if (!in.has("password")) {
      return null;
    }
    String password = in.string("password");
    if (password.isEmpty() || password.length() > PASSWORD_MAX) {
      throw in.invalid("password", "must be 1 to " + PASSWORD_MAX + " characters long");
    }
    return password;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
