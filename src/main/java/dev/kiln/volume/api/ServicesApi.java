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
import dev.kiln.volume.VolumeServices;
import java.time.Instant;

/**
 * {@code /v3/{project_id}/os-services} and {@code /os-hosts}: Cinder's services and hosts, for
 * admins, as Cinder's extended services show them.
 */
final class ServicesApi {
  private final VolumeServices services;

  ServicesApi(VolumeServices services) {
    this.services = requireNonNull(services, "services is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/{project_id}/os-services";
    routes
        .get(base, Access.AUTHENTICATED, this::list)
        .put(base + "/enable", Access.AUTHENTICATED, r -> setDisabled(r, false, false))
        .put(base + "/disable", Access.AUTHENTICATED, r -> setDisabled(r, true, false))
        .put(base + "/disable-log-reason", Access.AUTHENTICATED, r -> setDisabled(r, true, true))
        .put(base + "/freeze", Access.AUTHENTICATED, r -> setFrozen(r, true))
        .put(base + "/thaw", Access.AUTHENTICATED, r -> setFrozen(r, false))
        .get("/v3/{project_id}/os-hosts", Access.AUTHENTICATED, this::hosts)
        .get("/v3/{project_id}/os-hosts/{host}", Access.AUTHENTICATED, this::host);
  }

  private ApiResponse list(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode list = Json.array();
    // The services run in this process: they are up, and were heard from just now.
    String now = VolumeViews.time(Instant.now());
    for (VolumeServices.Service s :
        services.list(request.caller().actor(), request.query("host").orElse(null), request.query("binary").orElse(null))) {
      ObjectNode o = list.addObject();
      o.put("binary", s.binary());
      o.put("host", s.host());
      o.put("zone", s.zone());
      o.put("status", s.disabled() ? "disabled" : "enabled");
      o.put("state", "up");
      o.put("updated_at", now);
      o.put("disabled_reason", s.disabledReason());
      if (s.binary().equals(VolumeServices.VOLUME)) {
        o.put("replication_status", "disabled");
        o.putNull("active_backend_id");
        o.put("frozen", s.frozen());
      }
    }
    return ApiResponse.ok(Json.wrap("services", list));
  }

  /** enable, disable and disable-log-reason: the service is named by host and binary. */
  private ApiResponse setDisabled(ApiRequest request, boolean disabled, boolean withReason) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body());
    if (withReason) {
      in.allowOnly("host", "binary", "service", "cluster", "disabled_reason");
    } else {
      in.allowOnly("host", "binary", "service", "cluster");
    }
    String host = in.string("host");
    String binary = in.optionalString("binary").or(() -> in.optionalString("service"))
        .orElseThrow(() -> in.invalid("binary", "name the service's binary (or service)"));
    String reason = null;
    if (withReason) {
      JsonNode raw = in.has("disabled_reason") ? in.raw("disabled_reason") : null;
      if (raw == null || !raw.isTextual() || raw.textValue().isBlank() || raw.textValue().length() > 255) {
        throw ApiError.badRequest("Invalid input for field/attribute disabled_reason: a reason of 1 to 255 characters is required.");
      }
      reason = raw.textValue();
    }
    VolumeServices.Service s = services.setDisabled(request.caller().actor(), host, binary, disabled, reason);
    ObjectNode body = Json.object();
    body.put("host", host);
    body.put("service", in.optionalString("service").orElse(""));
    body.put("binary", in.optionalString("binary").orElse(""));
    body.put("status", s.disabled() ? "disabled" : "enabled");
    body.put("disabled", s.disabled());
    if (withReason || !disabled) {
      body.put("disabled_reason", reason);
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse setFrozen(ApiRequest request, boolean frozen) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("host", "cluster");
    services.setFrozen(request.caller().actor(), in.optionalString("host").orElse(null), frozen);
    return ApiResponse.ok(null);
  }

  private ApiResponse hosts(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode list = Json.array();
    String now = VolumeViews.time(Instant.now());
    for (VolumeServices.Service s : services.list(request.caller().actor(), null, null)) {
      ObjectNode o = list.addObject();
      o.put("host_name", s.host());
      o.put("service", s.binary());
      o.put("zone", s.zone());
      o.put("service-status", "available");
      o.put("service-state", s.disabled() ? "disabled" : "enabled");
      o.put("last-update", now);
    }
    return ApiResponse.ok(Json.wrap("hosts", list));
  }

  private ApiResponse host(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode list = Json.array();
    for (VolumeServices.HostUsage u : services.hostUsage(request.caller().actor(), request.pathParam("host"))) {
      ObjectNode r = list.addObject().putObject("resource");
      r.put("host", u.host());
      r.put("project", u.project());
      r.put("volume_count", String.valueOf(u.volumeCount()));
      r.put("total_volume_gb", String.valueOf(u.volumeGb()));
      r.put("snapshot_count", String.valueOf(u.snapshotCount()));
      r.put("total_snapshot_gb", String.valueOf(u.snapshotGb()));
    }
    return ApiResponse.ok(Json.wrap("host", list));
  }
}
