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
import dev.kiln.volume.Backup;
import dev.kiln.volume.BackupRecords;
import dev.kiln.volume.BackupRestores;
import dev.kiln.volume.Backups;
import dev.kiln.volume.VolumeBackups;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /v3/{project_id}/backups}: volume backups, their restore, export and import of their
 * records, and the admin actions (reset status, force delete). Update is from microversion 3.9,
 * backup metadata from 3.43, a backup's availability zone from 3.51.
 */
final class BackupsApi {
  private final VolumeBackups service;

  BackupsApi(VolumeBackups service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/{project_id}/backups";
    routes
        .get(base, Access.AUTHENTICATED, r -> list(r, false))
        .get(base + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .post(base, Access.AUTHENTICATED, this::create)
        .post(base + "/import_record", Access.AUTHENTICATED, this::importRecord)
        .get(base + "/{backup_id}", Access.AUTHENTICATED, this::show)
        .put(base + "/{backup_id}", Access.AUTHENTICATED, this::update)
        .delete(base + "/{backup_id}", Access.AUTHENTICATED, this::delete)
        .post(base + "/{backup_id}/restore", Access.AUTHENTICATED, this::restore)
        .get(base + "/{backup_id}/export_record", Access.AUTHENTICATED, this::exportRecord)
        .post(base + "/{backup_id}/action", Access.AUTHENTICATED, this::act);
  }

  private Backups backups() {
    return service.backups();
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    String project = CinderProject.of(request);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<ObjectNode> items = new ArrayList<>();
    for (Backup b : backups().list(request.caller().actor(), all)) {
      items.add(BackupViews.detail(request, b));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "backups", VolumesApi.url(request, project) + "/backups" + (detail ? "/detail" : ""), items,
        BackupViews.FILTERS, BackupViews.SORT_KEYS, detail ? null : BackupViews::summary));
  }

  private ApiResponse create(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "backup");
    List<String> allowed = new ArrayList<>(
        List.of("volume_id", "container", "description", "incremental", "force", "name", "snapshot_id"));
    if (request.microversion().atLeast(3, 43)) {
      allowed.add("metadata");
    }
    if (request.microversion().atLeast(3, 51)) {
      allowed.add("availability_zone");
    }
    in.allowOnly(allowed.toArray(String[]::new));
    String volumeId = in.optionalUuid("volume_id").orElseThrow(() -> in.invalid("volume_id", "this field is required"));
    // Cinder strips the container and takes a blank one for none.
    String container = in.optionalString("container", 255).map(String::strip).filter(c -> !c.isEmpty()).orElse(null);
    Backup backup = backups().create(request.caller().actor(), new Backups.Spec(
        volumeId,
        in.optionalUuid("snapshot_id").orElse(null),
        in.optionalString("name", 255).orElse(null),
        in.optionalString("description", 255).orElse(null),
        container,
        flag(in, "incremental"),
        flag(in, "force"),
        VolumesApi.metadata(in, "metadata"),
        in.optionalString("availability_zone", 255).orElse(null)));
    return ApiResponse.accepted(Json.wrap("backup", BackupViews.summary(request, backup)));
  }

  private ApiResponse show(ApiRequest request) {
    CinderProject.of(request);
    Backup b = backups().visible(request.caller().actor(), request.pathParam("backup_id"));
    return ApiResponse.ok(Json.wrap("backup", BackupViews.detail(request, b)));
  }

  private ApiResponse update(ApiRequest request) {
    GroupsApi.project(request, 9);
    JsonInput in = JsonInput.wrapped(request.body(), "backup");
    if (request.microversion().atLeast(3, 43)) {
      in.allowOnly("name", "description", "metadata");
    } else {
      in.allowOnly("name", "description");
    }
    Backup b = backups().update(
        request.caller().actor(), request.pathParam("backup_id"),
        in.optionalString("name", 255).orElse(null),
        in.optionalString("description", 255).orElse(null),
        VolumesApi.metadata(in, "metadata"));
    return ApiResponse.ok(Json.wrap("backup", BackupViews.summary(request, b)));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    backups().delete(request.caller().actor(), request.pathParam("backup_id"), false);
    return ApiResponse.accepted(null);
  }

  /** {@code {"restore": {"volume_id": ..., "name": ...}}}; both optional, the body may be null. */
  private ApiResponse restore(ApiRequest request) {
    CinderProject.of(request);
    JsonNode body = request.body();
    if (body == null || !body.isObject() || !body.has("restore")) {
      throw ApiError.badRequest("Invalid input for field/attribute restore: 'restore' is a required property.");
    }
    String volumeId = null;
    String name = null;
    if (!body.get("restore").isNull()) {
      JsonInput in = JsonInput.wrapped(body, "restore");
      in.allowOnly("volume_id", "name");
      volumeId = in.optionalUuid("volume_id").orElse(null);
      name = in.optionalString("name", 255).orElse(null);
    }
    BackupRestores.Restore restore =
        service.restores().restore(request.caller().actor(), request.pathParam("backup_id"), volumeId, name);
    ObjectNode out = Json.object();
    out.put("backup_id", restore.backupId());
    out.put("volume_id", restore.volumeId());
    out.put("volume_name", restore.volumeName());
    return ApiResponse.accepted(Json.wrap("restore", out));
  }

  private ApiResponse exportRecord(ApiRequest request) {
    CinderProject.of(request);
    BackupRecords.Exported record = service.records().export(request.caller().actor(), request.pathParam("backup_id"));
    ObjectNode out = Json.object();
    out.put("backup_service", record.backupService());
    out.put("backup_url", record.backupUrl());
    return ApiResponse.ok(Json.wrap("backup-record", out));
  }

  private ApiResponse importRecord(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "backup-record");
    in.allowOnly("backup_service", "backup_url");
    Backup b = service.records().importRecord(
        request.caller().actor(), in.string("backup_service", 255), in.string("backup_url"));
    return ApiResponse.created(Json.wrap("backup", BackupViews.summary(request, b)));
  }

  /** os-reset_status and os-force_delete, both for admins. */
  private ApiResponse act(ApiRequest request) {
    CinderProject.of(request);
    JsonNode body = request.body();
    if (body == null || !body.isObject() || body.size() != 1) {
      throw ApiError.badRequest("Name exactly one action per request, e.g. {\"os-reset_status\": {\"status\": \"error\"}}.");
    }
    String action = body.fieldNames().next();
    Actor actor = request.caller().actor();
    String id = request.pathParam("backup_id");
    if (!Set.of("os-reset_status", "os-force_delete").contains(action)) {
      throw ApiError.badRequest("There is no such action: " + action);
    }
    if (!request.caller().isAdmin()) {
      throw ApiError.forbidden(
          "Policy doesn't allow volume_extension:backup_admin_actions:" + action.substring(3) + " to be performed.");
    }
    if (action.equals("os-reset_status")) {
      JsonInput in = JsonInput.root(body).object(action);
      in.allowOnly("status");
      backups().resetStatus(actor, id, in.string("status").toLowerCase(Locale.ROOT));
    } else {
      backups().delete(actor, id, true);
    }
    return ApiResponse.accepted(null);
  }

  /** Cinder's boolean parameter: a JSON boolean, or a string such as "true", "False", "yes", "0". */
  private static boolean flag(JsonInput in, String field) {
    if (!in.has(field) || in.isNull(field)) {
      return false;
    }
    JsonNode raw = in.raw(field);
    if (raw.isBoolean()) {
      return raw.booleanValue();
    }
    String text = raw.asText().toLowerCase(Locale.ROOT);
    if (raw.isTextual() && Set.of("true", "t", "yes", "y", "on", "1").contains(text)) {
      return true;
    }
    if (raw.isTextual() && Set.of("false", "f", "no", "n", "off", "0").contains(text)) {
      return false;
    }
    throw in.invalid(field, "expected a boolean");
  }
}
