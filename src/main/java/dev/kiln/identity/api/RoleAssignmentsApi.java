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
import dev.kiln.identity.AssignmentEntry;
import dev.kiln.identity.AssignmentEntry.Grant;
import dev.kiln.identity.AssignmentEntry.Query;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Group;
import dev.kiln.identity.Groups;
import dev.kiln.identity.Project;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.RoleAssignments;
import dev.kiln.identity.User;
import java.util.Locale;

/** {@code GET /v3/role_assignments}: Keystone's report of who holds which role where. */
final class RoleAssignmentsApi {
  private final RoleAssignments assignments;
  private final Directory directory;
  private final Groups groups;

  RoleAssignmentsApi(RoleAssignments assignments, Directory directory, Groups groups) {
    this.assignments = requireNonNull(assignments, "assignments is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes.get("/v3/role_assignments", Access.AUTHENTICATED, this::report);
  }

  /**
   * Admins see all; others only their own, and must say so with {@code user.id}, as Keystone's
   * policy asks.
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
    boolean names =
        request.query("include_names").map(v -> QueryFilters.parseBoolean("include_names", v)).orElse(false);
    Query query =
        new Query(userId, groupId, request.query("role.id").orElse(null), projectId, domainId, system, effective);
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("role_assignments");
    for (AssignmentEntry e : assignments.list(query)) {
      list.add(view(e, names, views.v3Url()));
    }
    ObjectNode links = body.putObject("links");
    links.put("self", views.v3Url() + "/role_assignments");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private ObjectNode view(AssignmentEntry e, boolean names, String v3Url) {
    ObjectNode n = Json.object();
    ObjectNode role = n.putObject("role");
    role.put("id", e.roleId());
    ObjectNode holder = n.putObject(e.group() ? "group" : "user");
    holder.put("id", e.actorId());
    Target target = e.target();
    ObjectNode scope = n.putObject("scope");
    ObjectNode scopeTarget = scope.putObject(target.type().name().toLowerCase(Locale.ROOT));
    if (target.type() == TargetType.SYSTEM) {
      scopeTarget.put("all", true); // Keystone's shape for the system
    } else {
      scopeTarget.put("id", target.id());
    }
    if (e.inheritedToProjects()) {
      scope.put("OS-INHERIT:inherited_to", "projects");
    }
    if (names) {
      role.put("name", directory.role(e.roleId()).name());
      if (e.group()) {
        Group g = groups.group(e.actorId());
        holder.put("name", g.name());
        holder.set("domain", domainRef(g.domainId()));
      } else {
        User u = directory.user(e.actorId());
        holder.put("name", u.name());
        holder.set("domain", domainRef(u.domainId()));
      }
      if (target.type() == TargetType.PROJECT) {
        Project p = directory.project(target.id());
        scopeTarget.put("name", p.name());
        scopeTarget.set("domain", domainRef(p.domainId()));
      } else if (target.type() == TargetType.DOMAIN) {
        scopeTarget.put("name", directory.domain(target.id()).name());
      }
    }
    ObjectNode links = n.putObject("links");
    links.put("assignment", link(e.from(), v3Url));
    if (e.from().group() && !e.group()) {
      links.put("membership", v3Url + "/groups/" + e.from().actorId() + "/users/" + e.actorId());
    }
    if (e.priorRoleId() != null) {
      links.put("prior_role", v3Url + "/roles/" + e.priorRoleId());
    }
    return n;
  }

  /** The URL of the grant itself, as Keystone links it. */
  static String link(Grant g, String v3Url) {
    String actor = (g.group() ? "/groups/" : "/users/") + g.actorId();
    if (g.target().type() == TargetType.SYSTEM) {
      return v3Url + "/system" + actor + "/roles/" + g.roleId();
    }
    String where = "/" + g.target().type().name().toLowerCase(Locale.ROOT) + "s/" + g.target().id();
    return g.inherited()
        ? v3Url + "/OS-INHERIT" + where + actor + "/roles/" + g.roleId() + "/inherited_to_projects"
        : v3Url + where + actor + "/roles/" + g.roleId();
  }

  private ObjectNode domainRef(String domainId) {
    ObjectNode ref = Json.object();
    ref.put("id", domainId);
    ref.put("name", directory.domain(domainId).name());
    return ref;
  }
}
