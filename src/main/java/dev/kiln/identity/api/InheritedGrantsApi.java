package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.identity.InheritedGrant;
import dev.kiln.identity.InheritedGrants;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;

/**
 * OS-INHERIT: {@code /v3/OS-INHERIT/{domains|projects}/{id}/{users|groups}/{actor_id}/roles/{role_id}/inherited_to_projects}
 * (grant, check, revoke) and, on domains, the list {@code .../roles/inherited_to_projects}.
 */
final class InheritedGrantsApi {
  private final InheritedGrants inherited;

  InheritedGrantsApi(InheritedGrants inherited) {
    this.inherited = requireNonNull(inherited, "inherited is null");
  }

  void register(ApiRoutes routes) {
    for (String kind : new String[] {"domains", "projects"}) {
      TargetType type = kind.equals("domains") ? TargetType.DOMAIN : TargetType.PROJECT;
      for (String actors : new String[] {"users", "groups"}) {
        boolean group = actors.equals("groups");
        String base = "/v3/OS-INHERIT/" + kind + "/{target_id}/" + actors + "/{actor_id}/roles";
        String one = base + "/{role_id}/inherited_to_projects";
        routes
            .put(one, Access.ADMIN, request -> grant(request, type, group))
            .head(one, Access.ADMIN, request -> check(request, type, group))
            .get(one, Access.ADMIN, request -> check(request, type, group))
            .delete(one, Access.ADMIN, request -> revoke(request, type, group));
        if (type == TargetType.DOMAIN) {
          routes.get(base + "/inherited_to_projects", Access.ADMIN, request -> list(request, type, group));
        }
      }
    }
  }

  private static InheritedGrant grantOf(ApiRequest request, TargetType type, boolean group) {
    return new InheritedGrant(
        group,
        request.pathParam("actor_id"),
        request.pathParam("role_id"),
        new Target(type, request.pathParam("target_id")));
  }

  private ApiResponse grant(ApiRequest request, TargetType type, boolean group) {
    inherited.grant(grantOf(request, type, group));
    return ApiResponse.noContent();
  }

  private ApiResponse check(ApiRequest request, TargetType type, boolean group) {
    InheritedGrant g = grantOf(request, type, group);
    if (!inherited.holds(g)) {
      throw ApiError.notFound(
          "RoleAssignmentNotFound",
          "Could not find inherited role assignment: " + (group ? "group " : "user ") + g.actorId()
              + " does not hold role " + g.roleId() + " for the projects there.");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse revoke(ApiRequest request, TargetType type, boolean group) {
    inherited.revoke(grantOf(request, type, group));
    return ApiResponse.noContent();
  }

  private ApiResponse list(ApiRequest request, TargetType type, boolean group) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    return ApiResponse.ok(
        views.collection(
            "roles",
            inherited.rolesOn(group, request.pathParam("actor_id"), new Target(type, request.pathParam("target_id"))),
            views::role));
  }
}
