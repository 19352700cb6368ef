package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Project;
import dev.kiln.identity.User;
import dev.kiln.identity.RoleAssignment;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.ListFilter;
import java.util.Locale;

/**
 * Role grants: {@code /v3/{projects|domains}/{id}/users/{user_id}/roles[/{role_id}]} and the
 * {@code /v3/role_assignments} report.
 */
final class GrantsApi {
  private final Directory directory;

  GrantsApi(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
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
    routes.get("/v3/role_assignments", Access.AUTHENTICATED, this::report);
  }

  private static Target target(ApiRequest request, TargetType type) {
    return new Target(type, request.pathParam("target_id"));
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

  private ApiResponse revoke(ApiRequest request, TargetType type) {
    directory.revoke(request.pathParam("user_id"), request.pathParam("role_id"), target(request, type));
    return ApiResponse.noContent();
  }

  /**
   * {@code GET /v3/role_assignments}. Admins see all; others only their own, and must say so with
   * {@code user.id}, as Keystone's policy asks.
   */
  private ApiResponse report(ApiRequest request) {
    Caller caller = request.caller();
    String userId = request.query("user.id").orElse(null);
    if (!caller.isAdmin() && !caller.userId().equals(userId)) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:list_role_assignments."
              + " Non-admins may list only their own, with user.id=<your user id>.");
    }
    String projectId = request.query("scope.project.id").orElse(null);
    String domainId = request.query("scope.domain.id").orElse(null);
    if (projectId != null && domainId != null) {
      throw ApiError.badRequest("Specify at most one of scope.project.id and scope.domain.id.");
    }
    ListFilter filter =
        ListFilter.none().eq("user_id", userId).eq("role_id", request.query("role.id").orElse(null));
    if (projectId != null) {
      filter.eq("target_type", TargetType.PROJECT).eq("target_id", projectId);
    } else if (domainId != null) {
      filter.eq("target_type", TargetType.DOMAIN).eq("target_id", domainId);
    }
    boolean names =
        request.query("include_names").map(v -> QueryFilters.parseBoolean("include_names", v)).orElse(false);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("role_assignments");
    for (RoleAssignment a : directory.assignments(filter)) {
      list.add(assignment(a, names, views(request).v3Url()));
    }
    ObjectNode links = body.putObject("links");
    links.put("self", views(request).v3Url() + "/role_assignments");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private ObjectNode assignment(RoleAssignment a, boolean names, String v3Url) {
    ObjectNode n = Json.object();
    ObjectNode role = n.putObject("role");
    role.put("id", a.roleId());
    ObjectNode user = n.putObject("user");
    user.put("id", a.userId());
    String kind = a.target().type().name().toLowerCase(Locale.ROOT);
    ObjectNode scopeTarget = n.putObject("scope").putObject(kind);
    scopeTarget.put("id", a.target().id());
    if (names) {
      role.put("name", directory.role(a.roleId()).name());
      User u = directory.user(a.userId());
      user.put("name", u.name());
      user.set("domain", domainRef(u.domainId()));
      if (a.target().type() == TargetType.PROJECT) {
        Project p = directory.project(a.target().id());
        scopeTarget.put("name", p.name());
        scopeTarget.set("domain", domainRef(p.domainId()));
      } else {
        scopeTarget.put("name", directory.domain(a.target().id()).name());
      }
    }
    n.putObject("links")
        .put(
            "assignment",
            v3Url + "/" + kind + "s/" + a.target().id() + "/users/" + a.userId() + "/roles/" + a.roleId());
    return n;
  }

  private ObjectNode domainRef(String domainId) {
    ObjectNode ref = Json.object();
    ref.put("id", domainId);
    ref.put("name", directory.domain(domainId).name());
    return ref;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
