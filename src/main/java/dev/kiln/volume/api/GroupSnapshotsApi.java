package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.GroupSnapshot;
import dev.kiln.volume.GroupSnapshots;

/**
 * {@code /v3/{project_id}/group_snapshots}: group snapshots from microversion 3.14, with an
 * admin's {@code reset_status} action (3.19).
 */
final class GroupSnapshotsApi {
  private static final String SNAPSHOTS = "/v3/{project_id}/group_snapshots";
  private static final String SNAPSHOT = SNAPSHOTS + "/{group_snapshot_id}";

  private final GroupSnapshots snapshots;

  GroupSnapshotsApi(GroupSnapshots snapshots) {
    this.snapshots = requireNonNull(snapshots, "snapshots is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(SNAPSHOTS, Access.AUTHENTICATED, r -> list(r, false))
        .get(SNAPSHOTS + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .post(SNAPSHOTS, Access.AUTHENTICATED, this::create)
        .get(SNAPSHOT, Access.AUTHENTICATED, this::show)
        .delete(SNAPSHOT, Access.AUTHENTICATED, this::delete)
        .post(SNAPSHOT + "/action", Access.AUTHENTICATED, this::act);
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    GroupsApi.project(request, 14);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("group_snapshots");
    for (GroupSnapshot s : snapshots.list(request.caller().actor(), all)) {
      items.add(detail ? view(s) : summary(s));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    GroupsApi.project(request, 14);
    JsonInput.root(request.body()).allowOnly("group_snapshot");
    JsonInput in = JsonInput.wrapped(request.body(), "group_snapshot");
    in.allowOnly("group_id", "name", "description");
    String groupId = in.optionalString("group_id").orElse(null);
    if (groupId == null || groupId.isBlank()) {
      throw ApiError.badRequest("Group id must be provided to create a group snapshot.");
    }
    GroupSnapshot made = snapshots.create(
        request.caller().actor(), groupId, in.optionalString("name", 255).orElse(null),
        in.optionalString("description", 255).orElse(null));
    ObjectNode o = summary(made);
    o.put("group_type_id", made.groupTypeId());
    return ApiResponse.accepted(Json.wrap("group_snapshot", o));
  }

  private ApiResponse show(ApiRequest request) {
    GroupsApi.project(request, 14);
    GroupSnapshot s = snapshots.visible(request.caller().actor(), request.pathParam("group_snapshot_id"));
    return ApiResponse.ok(Json.wrap("group_snapshot", view(s)));
  }

  private ApiResponse delete(ApiRequest request) {
    GroupsApi.project(request, 14);
    snapshots.delete(request.caller().actor(), request.pathParam("group_snapshot_id"));
    return ApiResponse.accepted(null);
  }

  private ApiResponse act(ApiRequest request) {
    GroupsApi.project(request, 14);
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest("Name exactly one action per request, e.g. {\"reset_status\": {\"status\": \"available\"}}.");
    }
    String action = body.fieldNames().next();
    if (!action.equals("reset_status")) {
      throw ApiError.badRequest("There is no such action: " + action);
    }
    GroupsApi.project(request, 19);
    if (!request.caller().isAdmin()) {
      throw ApiError.forbidden("Policy doesn't allow group:reset_group_snapshot_status to be performed.");
    }
    JsonInput in = JsonInput.root(body).object(action);
    in.allowOnly("status");
    snapshots.resetStatus(request.caller().actor(), request.pathParam("group_snapshot_id"), in.string("status"));
    return ApiResponse.accepted(null);
  }

  private static ObjectNode summary(GroupSnapshot s) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("name", s.name());
    return o;
  }

  private static ObjectNode view(GroupSnapshot s) {
    ObjectNode o = summary(s);
    o.put("group_id", s.groupId());
    o.put("status", s.status());
    o.put("description", s.description());
    o.put("created_at", VolumeViews.time(s.createdAt()));
    o.put("group_type_id", s.groupTypeId());
    return o;
  }
}
