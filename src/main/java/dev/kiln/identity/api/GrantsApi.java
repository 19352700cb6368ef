package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Groups;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;

/**
 * Role grants: {@code /v3/{projects|domains}/{id}/{users|groups}/{actor_id}/roles[/{role_id}]}
 * and the system's; the {@code /v3/role_assignments} report is {@link RoleAssignmentsApi}.
 */
final class GrantsApi {
  private final Directory directory;
  private final Groups groups;

  GrantsApi(Directory directory, Groups groups) {
    this.directory = requireNonNull(directory, "directory is null");
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    for (String kind : new String[] {"projects", "domains"}) {
      TargetType type = kind.equals("projects") ? TargetType.PROJECT : TargetType.DOMAIN;
      String base = "/v3/" + kind + "/{target_id}/users/{user_id}/roles";
      routes
          .get(base, Access.ADMIN, request -> list(request, type))
          .put(base + "/{role_id}", Access.ADMIN, request -> grant(request, type))
          .head(base + "/{role_id}", Access.ADMIN, request -> check(request, type))
          .get(base + "/{role_id}", Access.ADMIN, request -> check(request, type))
          .delete(base + "/{role_id}", Access.ADMIN, request -> revoke(request, type));
    }
    for (String kind : new String[] {"projects", "domains"}) {
      TargetType type = kind.equals("projects") ? TargetType.PROJECT : TargetType.DOMAIN;
      String base = "/v3/" + kind + "/{target_id}/groups/{group_id}/roles";
      routes
          .get(base, Access.ADMIN, request -> listOfGroup(request, type))
          .put(base + "/{role_id}", Access.ADMIN, request -> grantToGroup(request, type))
          .head(base + "/{role_id}", Access.ADMIN, request -> checkOfGroup(request, type))
          .get(base + "/{role_id}", Access.ADMIN, request -> checkOfGroup(request, type))
          .delete(base + "/{role_id}", Access.ADMIN, request -> revokeFromGroup(request, type));
    }
    // The system has no id in its paths; the one target is Target.system().
    routes
        .get("/v3/system/users/{user_id}/roles", Access.ADMIN, request -> list(request, TargetType.SYSTEM))
        .put("/v3/system/users/{user_id}/roles/{role_id}", Access.ADMIN, request -> grant(request, TargetType.SYSTEM))
        .head("/v3/system/users/{user_id}/roles/{role_id}", Access.ADMIN, request -> check(request, TargetType.SYSTEM))
        .get("/v3/system/users/{user_id}/roles/{role_id}", Access.ADMIN, request -> check(request, TargetType.SYSTEM))
        .delete("/v3/system/users/{user_id}/roles/{role_id}", Access.ADMIN, request -> revoke(request, TargetType.SYSTEM))
        .get("/v3/system/groups/{group_id}/roles", Access.ADMIN, request -> listOfGroup(request, TargetType.SYSTEM))
        .put("/v3/system/groups/{group_id}/roles/{role_id}", Access.ADMIN, request -> grantToGroup(request, TargetType.SYSTEM))
        .head("/v3/system/groups/{group_id}/roles/{role_id}", Access.ADMIN, request -> checkOfGroup(request, TargetType.SYSTEM))
        .get("/v3/system/groups/{group_id}/roles/{role_id}", Access.ADMIN, request -> checkOfGroup(request, TargetType.SYSTEM))
        .delete("/v3/system/groups/{group_id}/roles/{role_id}", Access.ADMIN, request -> revokeFromGroup(request, TargetType.SYSTEM));
  }

  private static Target target(ApiRequest request, TargetType type) {
    return type == TargetType.SYSTEM ? Target.system() : new Target(type, request.pathParam("target_id"));
  }

  private ApiResponse list(ApiRequest request, TargetType type) {
    return ApiResponse.ok(
        views(request).collection(
            "roles",
            directory.rolesOn(request.pathParam("user_id"), target(request, type)),
            views(request)::role));
  }

  private ApiResponse grant(ApiRequest request, TargetType type) {
    directory.grant(request.pathParam("user_id"), request.pathParam("role_id"), target(request, type));
    return ApiResponse.noContent();
  }

  private ApiResponse check(ApiRequest request, TargetType type) {
    if (!directory.holds(request.pathParam("user_id"), request.pathParam("role_id"), target(request, type))) {
      throw ApiError.notFound(
          "RoleAssignmentNotFound",
          "Could not find role assignment: user "
              + request.pathParam("user_id")
              + " does not hold role "
              + request.pathParam("role_id")
              + " there.");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse listOfGroup(ApiRequest request, TargetType type) {
    return ApiResponse.ok(
        views(request).collection(
            "roles",
            groups.rolesOn(request.pathParam("group_id"), target(request, type)),
            views(request)::role));
  }

  private ApiResponse grantToGroup(ApiRequest request, TargetType type) {
    groups.grant(request.pathParam("group_id"), request.pathParam("role_id"), target(request, type));
    return ApiResponse.noContent();
  }

  private ApiResponse checkOfGroup(ApiRequest request, TargetType type) {
    if (!groups.holds(request.pathParam("group_id"), request.pathParam("role_id"), target(request, type))) {
      throw ApiError.notFound(
          "RoleAssignmentNotFound",
          "Could not find role assignment: group "
              + request.pathParam("group_id")
              + " does not hold role "
              + request.pathParam("role_id")
              + " there.");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse revokeFromGroup(ApiRequest request, TargetType type) {
    groups.revoke(request.pathParam("group_id"), request.pathParam("role_id"), target(request, type));
    return ApiResponse.noContent();
  }

  private ApiResponse revoke(ApiRequest request, TargetType type) {
    directory.revoke(request.pathParam("user_id"), request.pathParam("role_id"), target(request, type));
    return ApiResponse.noContent();
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
