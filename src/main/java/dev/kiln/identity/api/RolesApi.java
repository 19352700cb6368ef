package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Role;
import dev.kiln.identity.ListFilter;

/** {@code /v3/roles}. */
final class RolesApi {
  static final int NAME_MAX = 255;

  private final Directory directory;

  RolesApi(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/roles", Access.ADMIN, this::list)
        .post("/v3/roles", Access.ADMIN, this::create)
        .get("/v3/roles/{role_id}", Access.ADMIN, this::show)
        .patch("/v3/roles/{role_id}", Access.ADMIN, this::update)
        .delete("/v3/roles/{role_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ListFilter filter = QueryFilters.strings(request, ListFilter.none(), "name", "domain_id");
    if (request.query("domain_id").isEmpty()) {
      filter.isNull("domain_id"); // Keystone lists the global roles unless a domain is asked for
    }
    return ApiResponse.ok(views(request).collection("roles", directory.roles(filter), views(request)::role));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "role");
    in.allowOnly("name", "description", "options", "domain_id");
    Role role =
        directory.createRole(
            directory.newId(),
            in.nonBlankString("name", NAME_MAX),
            in.optionalString("description").orElse(""),
            in.optionalString("domain_id", 64).orElse(null));
    return ApiResponse.created(views(request).wrap("role", views(request).role(role)));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(views(request).wrap("role", views(request).role(directory.role(request.pathParam("role_id")))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "role");
    in.allowOnly("name", "description", "options", "domain_id");
    if (in.has("domain_id")
        && !java.util.Objects.equals(
            in.optionalString("domain_id").orElse(null),
            directory.role(request.pathParam("role_id")).domainId())) {
      throw in.invalid("domain_id", "a role's domain cannot be changed");
    }
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    Role role =
        directory.updateRole(
            request.pathParam("role_id"), name, in.optionalString("description").orElse(null));
    return ApiResponse.ok(views(request).wrap("role", views(request).role(role)));
  }

  private ApiResponse delete(ApiRequest request) {
    directory.deleteRole(request.pathParam("role_id"));
    return ApiResponse.noContent();
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
