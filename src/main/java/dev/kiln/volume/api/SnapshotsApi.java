package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.VolumeService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /v3/{project_id}/snapshots}: snapshots, their metadata and the snapshot actions. */
final class SnapshotsApi {
  private final VolumeService service;

  SnapshotsApi(VolumeService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/{project_id}/snapshots";
    routes
        .get(base, Access.AUTHENTICATED, r -> list(r, false))
        .get(base + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .post(base, Access.AUTHENTICATED, this::create)
        .get(base + "/{snapshot_id}", Access.AUTHENTICATED, this::show)
        .put(base + "/{snapshot_id}", Access.AUTHENTICATED, this::update)
        .delete(base + "/{snapshot_id}", Access.AUTHENTICATED, this::delete)
        .post(base + "/{snapshot_id}/action", Access.AUTHENTICATED, this::act)
        .get(base + "/{snapshot_id}/metadata", Access.AUTHENTICATED, this::metadata)
        .post(base + "/{snapshot_id}/metadata", Access.AUTHENTICATED, r -> setMetadata(r, false))
        .put(base + "/{snapshot_id}/metadata", Access.AUTHENTICATED, r -> setMetadata(r, true))
        .get(base + "/{snapshot_id}/metadata/{key}", Access.AUTHENTICATED, this::metadataItem)
        .put(base + "/{snapshot_id}/metadata/{key}", Access.AUTHENTICATED, this::setMetadataItem)
        .delete(base + "/{snapshot_id}/metadata/{key}", Access.AUTHENTICATED, this::deleteMetadataItem);
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    String project = CinderProject.of(request);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<ObjectNode> items = new ArrayList<>();
    for (Snapshot s : service.snapshots().list(request.caller().actor(), all)) {
      items.add(VolumeViews.snapshotWithExtensions(s, request.microversion()));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "snapshots", VolumesApi.url(request, project) + "/snapshots" + (detail ? "/detail" : ""), items,
        VolumeViews.SNAPSHOT_FILTERS, VolumeViews.SNAPSHOT_SORT_KEYS, detail ? null : VolumeViews::snapshotSummary));
  }

  private ApiResponse create(ApiRequest request) {
    String project = CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "snapshot");
    in.allowOnly("volume_id", "name", "description", "force", "metadata", "display_name", "display_description");
    boolean force = false;
    if (in.has("force") && !in.isNull("force")) {
      var raw = in.raw("force");
      force = raw.isBoolean() ? raw.booleanValue() : raw.asText().equalsIgnoreCase("true");
    }
    // Cinder's schema lets volume_id be null; the create then finds no such volume (404).
    String volumeId = in.isNull("volume_id") ? null : in.string("volume_id");
    Snapshot snapshot = service.snapshots().create(
        request.caller().actor(),
        volumeId,
        in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
        in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null),
        force,
        VolumesApi.metadata(in, "metadata"));
    return ApiResponse.accepted(Json.wrap("snapshot", VolumeViews.snapshot(snapshot, request.microversion())));
  }

  private ApiResponse show(ApiRequest request) {
    CinderProject.of(request);
    Snapshot s = service.snapshots().visible(request.caller().actor(), request.pathParam("snapshot_id"));
    return ApiResponse.ok(Json.wrap("snapshot", VolumeViews.snapshotWithExtensions(s, request.microversion())));
  }

  private ApiResponse update(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "snapshot");
    in.allowOnly("name", "description", "display_name", "display_description");
    Snapshot s = service.snapshots().update(
        request.caller().actor(), request.pathParam("snapshot_id"),
        in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
        in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null));
    return ApiResponse.ok(Json.wrap("snapshot", VolumeViews.snapshot(s, request.microversion())));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    service.snapshots().delete(request.caller().actor(), request.pathParam("snapshot_id"), false);
    return ApiResponse.accepted(null);
  }

  /** os-reset_status and os-force_delete (admins), os-update_snapshot_status (the owner's driver). */
  private ApiResponse act(ApiRequest request) {
    CinderProject.of(request);
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest("Name exactly one action per request, e.g. {\"os-reset_status\": {\"status\": \"available\"}}.");
    }
    String action = body.fieldNames().next();
    Actor actor = request.caller().actor();
    String id = request.pathParam("snapshot_id");
    if ((action.equals("os-reset_status") || action.equals("os-force_delete")) && !request.caller().isAdmin()) {
      throw ApiError.forbidden(
          "Policy doesn't allow volume_extension:snapshot_admin_actions:" + action.substring(3) + " to be performed.");
    }
    JsonInput root = JsonInput.root(body);
    switch (action) {
      case "os-reset_status" -> {
        JsonInput in = root.object(action);
        in.allowOnly("status");
        service.snapshots().resetStatus(actor, id, in.string("status"));
      }
      case "os-force_delete" -> service.snapshots().delete(actor, id, true);
      case "os-update_snapshot_status" -> {
        JsonInput in = root.object(action);
        in.allowOnly("status", "progress");
        String progress = in.optionalString("progress").orElse(null);
        if (progress != null && !progress.matches("\\d{1,3}%")) {
          throw in.invalid("progress", "expected a percentage such as 80%");
        }
        service.snapshots().updateStatus(actor, id, in.string("status"), progress);
      }
      default -> throw ApiError.badRequest("There is no such action: " + action);
    }
    return ApiResponse.accepted(null);
  }

  private ApiResponse metadata(ApiRequest request) {
    CinderProject.of(request);
    Snapshot s = service.snapshots().visible(request.caller().actor(), request.pathParam("snapshot_id"));
    return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(s.metadata())));
  }

  private ApiResponse setMetadata(ApiRequest request, boolean replace) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("metadata");
    Map<String, String> metadata = VolumesApi.metadata(in, "metadata");
    if (metadata == null) {
      throw in.invalid("metadata", "this field is required");
    }
    Map<String, String> result = service.snapshots().setMetadata(
        request.caller().actor(), request.pathParam("snapshot_id"), metadata, replace);
    return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(result)));
  }

  private ApiResponse metadataItem(ApiRequest request) {
    CinderProject.of(request);
    String key = request.pathParam("key");
    Snapshot s = service.snapshots().visible(request.caller().actor(), request.pathParam("snapshot_id"));
    String value = s.metadata().get(key);
    if (value == null) {
      throw ApiError.notFound(
          "SnapshotMetadataNotFound", "Snapshot " + s.id() + " has no metadata with key " + key + ".");
    }
    return ApiResponse.ok(Json.wrap("meta", Json.MAPPER.valueToTree(Map.of(key, value))));
  }

  /** {@code PUT .../metadata/{key}} with {@code {"meta": {key: value}}}: one item, named twice. */
  private ApiResponse setMetadataItem(ApiRequest request) {
    CinderProject.of(request);
    String key = request.pathParam("key");
    Map<String, String> item = VolumesApi.metadataItem(request, key);
    service.snapshots().setMetadata(request.caller().actor(), request.pathParam("snapshot_id"), item, false);
    return ApiResponse.ok(Json.wrap("meta", Json.MAPPER.valueToTree(item)));
  }

  private ApiResponse deleteMetadataItem(ApiRequest request) {
    CinderProject.of(request);
    service.snapshots().deleteMetadataKey(request.caller().actor(), request.pathParam("snapshot_id"), request.pathParam("key"));
    return ApiResponse.ok(null);
  }
}
