package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Group;
import dev.kiln.identity.Groups;
import dev.kiln.identity.ListFilter;
import java.util.Set;

/** {@code /v3/groups}, their members, and {@code /v3/users/{id}/groups}. */
final class GroupsApi {
  static final int NAME_MAX = 64;
  private static final Set<String> KNOWN = Set.of("id", "name", "domain_id", "description", "links");

  private final Groups groups;

  GroupsApi(Groups groups) {
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/groups", Access.ADMIN, this::list)
        .post("/v3/groups", Access.ADMIN, this::create)
        .get("/v3/groups/{group_id}", Access.ADMIN, this::show)
        .patch("/v3/groups/{group_id}", Access.ADMIN, this::update)
        .delete("/v3/groups/{group_id}", Access.ADMIN, this::delete)
        .get("/v3/groups/{group_id}/users", Access.ADMIN, this::members)
        .put("/v3/groups/{group_id}/users/{user_id}", Access.ADMIN, this::addMember)
        .head("/v3/groups/{group_id}/users/{user_id}", Access.ADMIN, this::checkMember)
        .delete("/v3/groups/{group_id}/users/{user_id}", Access.ADMIN, this::removeMember)
        .get("/v3/users/{user_id}/groups", Access.AUTHENTICATED, this::groupsOfUser);
  }

  private ApiResponse list(ApiRequest request) {
    ListFilter filter = QueryFilters.strings(request, ListFilter.none(), "name", "domain_id");
    return ApiResponse.ok(views(request).collection("groups", groups.groups(filter), views(request)::group));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "group");
    Group group =
        groups.create(
            in.nonBlankString("name", NAME_MAX),
            in.optionalString("domain_id").orElse(null),
            in.optionalString("description").orElse(""),
            ExtraAttributes.of(request.body().get("group"), KNOWN));
    return ApiResponse.created(views(request).wrap("group", views(request).group(group)));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(
        views(request).wrap("group", views(request).group(groups.group(request.pathParam("group_id")))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "group");
    String id = request.pathParam("group_id");
    if (in.has("domain_id") && !in.string("domain_id").equals(groups.group(id).domainId())) {
      throw in.invalid("domain_id", "a group cannot move to another domain");
    }
    String name = in.has("name") ? in.nonBlankString("name", NAME_MAX) : null;
    Group group =
        groups.update(
            id,
            name,
            in.optionalString("description").orElse(null),
            ExtraAttributes.merged(groups.group(id).extra(), request.body().get("group"), KNOWN));
    return ApiResponse.ok(views(request).wrap("group", views(request).group(group)));
  }

  private ApiResponse delete(ApiRequest request) {
    groups.delete(request.pathParam("group_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse members(ApiRequest request) {
    return ApiResponse.ok(
        views(request)
            .collection("users", groups.members(request.pathParam("group_id")), views(request)::user));
  }

  private ApiResponse addMember(ApiRequest request) {
    groups.addMember(request.pathParam("group_id"), request.pathParam("user_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse checkMember(ApiRequest request) {
    String groupId = request.pathParam("group_id");
    String userId = request.pathParam("user_id");
    if (!groups.isMember(groupId, userId)) {
      throw Groups.notMember(groupId, userId);
    }
    return ApiResponse.noContent();
  }

  private ApiResponse removeMember(ApiRequest request) {
    groups.removeMember(request.pathParam("group_id"), request.pathParam("user_id"));
    return ApiResponse.noContent();
  }

  /** A user's groups, each with {@code membership_expires_at} (null: Kiln's memberships last). */
  private ApiResponse groupsOfUser(ApiRequest request) {
    String id = AccessChecks.selfOrAdmin(request, "identity:list_groups_for_user");
    IdentityViews views = views(request);
    return ApiResponse.ok(
        views.collection(
            "groups",
            groups.groupsOfUser(id),
            g -> {
              var view = views.group(g);
              view.putNull("membership_expires_at");
              return view;
            }));
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
