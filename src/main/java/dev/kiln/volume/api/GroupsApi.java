package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.Group;
import dev.kiln.volume.Groups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /v3/{project_id}/groups}: generic volume groups from microversion 3.13 (before it Cinder
 * has no such resource: 404), with the group actions: {@code delete}, {@code create-from-src}
 * (3.14) and an admin's {@code reset_status} (3.20).
 */
final class GroupsApi {
  private static final String GROUPS = "/v3/{project_id}/groups";
  private static final String GROUP = GROUPS + "/{group_id}";

  private final Groups groups;

  GroupsApi(Groups groups) {
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(GROUPS, Access.AUTHENTICATED, r -> list(r, false))
        .get(GROUPS + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .post(GROUPS, Access.AUTHENTICATED, this::create)
        .post(GROUPS + "/action", Access.AUTHENTICATED, this::createFromSource)
        .get(GROUP, Access.AUTHENTICATED, this::show)
        .put(GROUP, Access.AUTHENTICATED, this::update)
        .post(GROUP + "/action", Access.AUTHENTICATED, this::act);
  }

  /** The project of the URL, once the request is known to be at {@code minor} (3.x) or later. */
  static String project(ApiRequest request, int minor) {
    if (!request.microversion().atLeast(3, minor)) {
      throw ApiError.notFound(
          "VersionNotFoundForAPIMethod", "API version " + request.microversion() + " is not supported on this method.");
    }
    return CinderProject.of(request);
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    project(request, 13);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("groups");
    for (Group g : groups.list(request.caller().actor(), all)) {
      items.add(detail ? view(request, g) : summary(g));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    project(request, 13);
    JsonInput.root(request.body()).allowOnly("group");
    JsonInput in = JsonInput.wrapped(request.body(), "group");
    in.allowOnly("name", "description", "group_type", "volume_types", "availability_zone");
    String name = in.optionalString("name", 255).orElse(null);
    String groupType = in.optionalString("group_type").orElse(null);
    if (groupType == null || groupType.isBlank()) {
      throw ApiError.badRequest("group_type must be provided to create group " + name + ".");
    }
    List<String> volumeTypes = in.optionalStringList("volume_types").orElse(List.of());
    if (volumeTypes.isEmpty()) {
      throw ApiError.badRequest("volume_types must be provided to create group " + name + ".");
    }
    Group made = groups.create(
        request.caller().actor(), name, in.optionalString("description", 255).orElse(null), groupType, volumeTypes,
        in.optionalString("availability_zone").orElse(null));
    return ApiResponse.accepted(Json.wrap("group", summary(made)));
  }

  /** {@code {"create-from-src": {...}}}: exactly one of group_snapshot_id and source_group_id. */
  private ApiResponse createFromSource(ApiRequest request) {
    project(request, 14);
    JsonInput.root(request.body()).allowOnly("create-from-src");
    JsonInput in = JsonInput.wrapped(request.body(), "create-from-src");
    in.allowOnly("name", "description", "group_snapshot_id", "source_group_id");
    String groupSnapshotId = in.optionalString("group_snapshot_id").orElse(null);
    String sourceGroupId = in.optionalString("source_group_id").orElse(null);
    if ((groupSnapshotId == null) == (sourceGroupId == null)) {
      throw ApiError.badRequest(
          "Either 'group_snapshot_id' or 'source_group_id' must be provided to create group from source, not both.");
    }
    Group made = groups.createFromSource(
        request.caller().actor(), in.optionalString("name", 255).orElse(null),
        in.optionalString("description", 255).orElse(null), groupSnapshotId, sourceGroupId);
    return ApiResponse.accepted(Json.wrap("group", summary(made)));
  }

  private ApiResponse show(ApiRequest request) {
    project(request, 13);
    Group g = groups.visible(request.caller().actor(), request.pathParam("group_id"));
    return ApiResponse.ok(Json.wrap("group", view(request, g)));
  }

  /** Name, description, and volumes to add or remove (comma-separated ids); 202 without a body. */
  private ApiResponse update(ApiRequest request) {
    project(request, 13);
    JsonInput.root(request.body()).allowOnly("group");
    JsonInput in = JsonInput.wrapped(request.body(), "group");
    in.allowOnly("name", "description", "add_volumes", "remove_volumes");
    String name = in.optionalString("name", 255).orElse(null);
    String description = in.optionalString("description", 255).orElse(null);
    List<String> add = ids(in.optionalString("add_volumes").orElse(null));
    List<String> remove = ids(in.optionalString("remove_volumes").orElse(null));
    if (name == null && description == null && add.isEmpty() && remove.isEmpty()) {
      throw ApiError.badRequest(
          "Name, description, add_volumes, and remove_volumes can not be all empty in the request body.");
    }
    for (String id : add) {
      if (remove.contains(id)) {
        throw ApiError.badRequest("Volume " + id + " cannot be both added to and removed from the group.");
      }
    }
    groups.update(request.caller().actor(), request.pathParam("group_id"), name, description, add, remove);
    return ApiResponse.accepted(null);
  }

  private static List<String> ids(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
  }

  /** {@code delete} (with {@code delete-volumes}) and an admin's {@code reset_status}. */
  private ApiResponse act(ApiRequest request) {
    project(request, 13);
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest("Name exactly one action per request, e.g. {\"delete\": {\"delete-volumes\": true}}.");
    }
    String action = body.fieldNames().next();
    Actor actor = request.caller().actor();
    String id = request.pathParam("group_id");
    JsonInput root = JsonInput.root(body);
    switch (action) {
      case "delete" -> {
        JsonInput in = root.object(action);
        in.allowOnly("delete-volumes");
        boolean deleteVolumes = TypeInput.bool(in, "delete-volumes").orElse(false);
        groups.delete(actor, id, deleteVolumes);
      }
      case "reset_status" -> {
        project(request, 20);
        if (!request.caller().isAdmin()) {
          throw ApiError.forbidden("Policy doesn't allow group:reset_status to be performed.");
        }
        JsonInput in = root.object(action);
        in.allowOnly("status");
        groups.resetStatus(actor, id, in.string("status"));
      }
      default -> throw ApiError.badRequest("There is no such action: " + action);
    }
    return ApiResponse.accepted(null);
  }

  private static ObjectNode summary(Group g) {
    ObjectNode o = Json.object();
    o.put("id", g.id());
    o.put("name", g.name());
    return o;
  }

  private ObjectNode view(ApiRequest request, Group g) {
    ObjectNode o = summary(g);
    o.put("status", g.status());
    o.put("description", g.description());
    o.put("availability_zone", g.availabilityZone());
    o.put("created_at", VolumeViews.time(g.createdAt()));
    o.put("group_type", g.groupTypeId());
    ArrayNode types = o.putArray("volume_types");
    g.volumeTypeIds().forEach(types::add);
    if (request.microversion().atLeast(3, 14)) {
      o.put("group_snapshot_id", g.groupSnapshotId());
      o.put("source_group_id", g.sourceGroupId());
    }
    if (request.microversion().atLeast(3, 25) && request.query("list_volume").map(Boolean::parseBoolean).orElse(false)) {
      ArrayNode volumes = o.putArray("volumes");
      groups.volumeIds(request.caller().actor(), g.id()).forEach(volumes::add);
    }
    if (request.microversion().atLeast(3, 38)) {
      o.put("replication_status", "disabled");
    }
    return o;
  }
}
