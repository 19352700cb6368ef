package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.VolumeService;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/{project_id}/snapshots}. */
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
        .delete(base + "/{snapshot_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    String project = CinderProject.of(request);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<ObjectNode> items = new ArrayList<>();
    for (Snapshot s : service.snapshots().list(request.caller().actor(), all)) {
      items.add(VolumeViews.snapshot(s, VolumesApi.url(request, project)));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "snapshots", VolumesApi.url(request, project) + "/snapshots", items, VolumeViews.SNAPSHOT_FILTERS, null));
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
    Snapshot snapshot = service.snapshots().create(
        request.caller().actor(),
        in.string("volume_id"),
        in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
        in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null),
        force);
    return ApiResponse.accepted(Json.wrap("snapshot", VolumeViews.snapshot(snapshot, VolumesApi.url(request, project))));
  }

  private ApiResponse show(ApiRequest request) {
    String project = CinderProject.of(request);
    Snapshot s = service.snapshots().visible(request.caller().actor(), request.pathParam("snapshot_id"));
    return ApiResponse.ok(Json.wrap("snapshot", VolumeViews.snapshot(s, VolumesApi.url(request, project))));
  }

  private ApiResponse update(ApiRequest request) {
    String project = CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "snapshot");
    in.allowOnly("name", "description", "display_name", "display_description");
    Snapshot s = service.snapshots().update(
        request.caller().actor(), request.pathParam("snapshot_id"),
        in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
        in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null));
    return ApiResponse.ok(Json.wrap("snapshot", VolumeViews.snapshot(s, VolumesApi.url(request, project))));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    service.snapshots().delete(request.caller().actor(), request.pathParam("snapshot_id"));
    return ApiResponse.accepted(null);
  }
}
