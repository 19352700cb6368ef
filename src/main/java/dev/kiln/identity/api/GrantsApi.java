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
import dev.kiln.identity.Group;
import dev.kiln.identity.Groups;
import dev.kiln.identity.GroupGrant;
import dev.kiln.identity.Project;
import dev.kiln.identity.User;
import dev.kiln.identity.RoleAssignment;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.ListFilter;
import java.util.Locale;

/**
 * Role grants: {@code /v3/{projects|domains}/{id}/{users|groups}/{actor_id}/roles[/{role_id}]}
 * and the {@code /v3/role_assignments} report.
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
    routes.get("/v3/role_assignments", Access.AUTHENTICATED, this::report);
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

  /**
   * {@code GET /v3/role_assignments}. Admins see all; others only their own, and must say so with
   * {@code user.id}, as Keystone's policy asks. Grants to groups are listed as such, or with
   * {@code effective} as one assignment per member, linked to the membership that gives it.
   */
  private ApiResponse report(ApiRequest request) {
    Caller caller = request.caller();
    String userId = request.query("user.id").orElse(null);
    String groupId = request.query("group.id").orElse(null);
    if (!caller.isAdmin() && !caller.userId().equals(userId)) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:list_role_assignments."
              + " Non-admins may list only their own, with user.id=<your user id>.");
    }
    String projectId = request.query("scope.project.id").orElse(null);
    String domainId = request.query("scope.domain.id").orElse(null);
    boolean system = request.query("scope.system").isPresent();
    if ((projectId != null ? 1 : 0) + (domainId != null ? 1 : 0) + (system ? 1 : 0) > 1) {
      throw ApiError.badRequest("Specify at most one of scope.project.id, scope.domain.id and scope.system.");
    }
    if (system) {
      domainId = null;
    }
    boolean effective = false;
    for (String name : request.queryNames()) {
      effective |= name.equals("effective"); // a flag: present, with or without a value
    }
    if (effective && groupId != null) {
      throw ApiError.badRequest("The effective and group.id filters cannot be combined.");
    }
    if (userId != null && groupId != null) {
      throw ApiError.badRequest("Specify at most one of user.id and group.id.");
    }
    String roleId = request.query("role.id").orElse(null);
    boolean names =
        request.query("include_names").map(v -> QueryFilters.parseBoolean("include_names", v)).orElse(false);
    IdentityViews views = views(request);
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("role_assignments");
    if (groupId == null) {
      ListFilter users = scoped(ListFilter.none().eq("user_id", userId).eq("role_id", roleId), projectId, domainId, system);
      for (RoleAssignment a : directory.assignments(users)) {
        list.add(assignment(Actor.USER, a.userId(), a.roleId(), a.target(), names, views.v3Url()));
      }
    }
    ListFilter groupGrants =
        scoped(ListFilter.none().eq("group_id", groupId).eq("role_id", roleId), projectId, domainId, system);
    if (effective) {
      for (GroupGrant g : groups.grants(groupGrants)) {
        for (User member : groups.members(g.groupId())) {
          if (userId == null || userId.equals(member.id())) {
            ObjectNode n = assignment(Actor.USER, member.id(), g.roleId(), g.target(), names, views.v3Url());
            ((ObjectNode) n.get("links"))
                .put("assignment", link(Actor.GROUP, g.groupId(), g.roleId(), g.target(), views.v3Url()))
                .put("membership", views.v3Url() + "/groups/" + g.groupId() + "/users/" + member.id());
            list.add(n);
          }
        }
      }
    } else if (userId == null) {
      for (GroupGrant g : groups.grants(groupGrants)) {
        list.add(assignment(Actor.GROUP, g.groupId(), g.roleId(), g.target(), names, views.v3Url()));
      }
    }
    ObjectNode links = body.putObject("links");
    links.put("self", views.v3Url() + "/role_assignments");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private static ListFilter scoped(ListFilter filter, String projectId, String domainId, boolean system) {
    if (system) {
      filter.eq("target_type", TargetType.SYSTEM);
    } else if (projectId != null) {
      filter.eq("target_type", TargetType.PROJECT).eq("target_id", projectId);
    } else if (domainId != null) {
      filter.eq("target_type", TargetType.DOMAIN).eq("target_id", domainId);
    }
    return filter;
  }

  /** Who holds a grant. */
  private enum Actor {
    USER,
    GROUP;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private ObjectNode assignment(
      Actor actor, String actorId, String roleId, Target target, boolean names, String v3Url) {
    ObjectNode n = Json.object();
    ObjectNode role = n.putObject("role");
    role.put("id", roleId);
    ObjectNode holder = n.putObject(actor.key());
    holder.put("id", actorId);
    String kind = target.type().name().toLowerCase(Locale.ROOT);
    ObjectNode scopeTarget = n.putObject("scope").putObject(kind);
    if (target.type() == TargetType.SYSTEM) {
      scopeTarget.put("all", true); // Keystone's shape for the system
    } else {
      scopeTarget.put("id", target.id());
    }
    if (names) {
      role.put("name", directory.role(roleId).name());
      if (actor == Actor.USER) {
        User u = directory.user(actorId);
        holder.put("name", u.name());
        holder.set("domain", domainRef(u.domainId()));
      } else {
        Group g = groups.group(actorId);
        holder.put("name", g.name());
        holder.set("domain", domainRef(g.domainId()));
      }
      if (target.type() == TargetType.PROJECT) {
        Project p = directory.project(target.id());
        scopeTarget.put("name", p.name());
        scopeTarget.set("domain", domainRef(p.domainId()));
      } else if (target.type() == TargetType.DOMAIN) {
        scopeTarget.put("name", directory.domain(target.id()).name());
      }
    }
    n.putObject("links").put("assignment", link(actor, actorId, roleId, target, v3Url));
    return n;
  }

  private static String link(Actor actor, String actorId, String roleId, Target target, String v3Url) {
    String where =
        target.type() == TargetType.SYSTEM
            ? "/system"
            : "/" + target.type().name().toLowerCase(Locale.ROOT) + "s/" + target.id();
    return v3Url + where + "/" + actor.key() + "s/" + actorId + "/roles/" + roleId;
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
