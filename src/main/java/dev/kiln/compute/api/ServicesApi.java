package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostService;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code /os-services} (admin only): nova-compute on each host, nova-scheduler and nova-conductor
 * on the control host. A compute service can be disabled (the scheduler then skips its host) and
 * forced down: before 2.53 through the enable/disable/disable-log-reason/force-down actions, from
 * 2.53 with {@code PUT /os-services/{uuid}}.
 */
final class ServicesApi {
  private static final String SERVICES = "/v2.1/os-services";

  private final Fleet fleet;

  ServicesApi(Fleet fleet) {
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  void register(ApiRoutes routes) {
    routes.get(SERVICES, Access.ADMIN, this::list).put(SERVICES + "/{id}", Access.ADMIN, this::update);
  }

  private ApiResponse list(ApiRequest request) {
    Nova.onlyQuery(request, 75, "host", "binary");
    String host = request.query("host").orElse("");
    String binary = request.query("binary").orElse("");
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("services");
    for (HostService s : fleet.services()) {
      if ((host.isEmpty() || s.host().equals(host)) && (binary.isEmpty() || s.binary().equals(binary))) {
        items.add(view(request, s));
      }
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse update(ApiRequest request) {
    return Nova.atLeast(request, 53) ? updateByUuid(request) : updateByAction(request);
  }

  /** {@code PUT /os-services/{uuid}} with status, disabled_reason and forced_down (2.53). */
  private ApiResponse updateByUuid(ApiRequest request) {
    String id = request.pathParam("id");
    if (!Nova.isUuidLike(id)) {
      throw ApiError.badRequest("Invalid uuid " + id);
    }
    ObjectNode in = object(request.body());
    allowOnly(in, Set.of("status", "disabled_reason", "forced_down"));
    Boolean disabled = null;
    JsonNode status = in.get("status");
    if (status != null) {
      if (!status.isTextual() || !Set.of("enabled", "disabled").contains(status.textValue())) {
        throw Nova.invalid("status", status, "expected 'enabled' or 'disabled'");
      }
      disabled = status.textValue().equals("disabled");
    }
    String reason = reason(in);
    if (Boolean.FALSE.equals(disabled) && reason != null) {
      throw ApiError.badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
    }
    Boolean forcedDown = in.has("forced_down") ? Nova.bool("forced_down", in.get("forced_down")) : null;
    if (disabled == null && forcedDown == null) {
      throw ApiError.badRequest("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
    }
    HostService updated =
        fleet.updateService(id, new Fleet.ServiceChange(disabled, disabled == null ? null : reason, forcedDown));
    return ApiResponse.ok(Json.wrap("service", view(request, updated)));
  }

  /** The actions before 2.53: {@code PUT /os-services/enable} and so on, naming host and binary. */
  private ApiResponse updateByAction(ApiRequest request) {
    String action = request.pathParam("id");
    boolean forceDownKnown = Nova.atLeast(request, 11);
    if (!Set.of("enable", "disable", "disable-log-reason").contains(action)
        && !(forceDownKnown && action.equals("force-down"))) {
      throw ApiError.notFound("HTTPNotFound", "Unknown action");
    }
    ObjectNode in = object(request.body());
    allowOnly(
        in,
        forceDownKnown
            ? Set.of("host", "binary", "disabled_reason", "forced_down")
            : Set.of("host", "binary", "disabled_reason"));
    String host = text(in, "host");
    if (!host.matches("^[a-zA-Z0-9-._]*$")) {
      throw Nova.invalid("host", in.get("host"), "a host name is letters, digits, '-', '.' and '_'");
    }
    String binary = text(in, "binary");
    String reason = reason(in);
    ObjectNode answer = Json.object();
    answer.put("host", host);
    answer.put("binary", binary);
    switch (action) {
      case "enable" -> {
        fleet.updateService(host, binary, new Fleet.ServiceChange(false, null, null));
        answer.put("status", "enabled");
      }
      case "disable" -> {
        fleet.updateService(host, binary, new Fleet.ServiceChange(true, null, null));
        answer.put("status", "disabled");
      }
      case "disable-log-reason" -> {
        if (reason == null) {
          throw ApiError.badRequest("Missing disabled reason field");
        }
        fleet.updateService(host, binary, new Fleet.ServiceChange(true, reason, null));
        answer.put("status", "disabled");
        answer.put("disabled_reason", reason);
      }
      default -> {
        if (!in.has("forced_down")) {
          throw ApiError.badRequest("Missing forced_down field");
        }
        boolean forcedDown = Nova.bool("forced_down", in.get("forced_down"));
        fleet.updateService(host, binary, new Fleet.ServiceChange(null, null, forcedDown));
        answer.put("forced_down", forcedDown);
      }
    }
    return ApiResponse.ok(Json.wrap("service", answer));
  }

  static ObjectNode view(ApiRequest request, HostService s) {
    ObjectNode o = Json.object();
    o.put("binary", s.binary());
    o.put("host", s.host());
    if (Nova.atLeast(request, 53)) {
      o.put("id", s.uuid());
    } else {
      o.put("id", s.id());
    }
    o.put("zone", s.zone());
    o.put("status", s.disabled() ? "disabled" : "enabled");
    o.put("state", s.isUp() ? "up" : "down");
    o.put("updated_at", Nova.time(s.updatedAt()));
    o.put("disabled_reason", s.disabledReason());
    if (Nova.atLeast(request, 11)) {
      o.put("forced_down", s.forcedDown());
    }
    return o;
  }

  private static ObjectNode object(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.badRequest("SchemaValidationError", "Invalid input: the body must be a JSON object.");
    }
    return (ObjectNode) body;
  }

  private static void allowOnly(ObjectNode in, Set<String> allowed) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("body", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
  }

  private static String text(ObjectNode in, String field) {
    JsonNode value = in.get(field);
    if (value == null) {
      throw Nova.invalid("body", in, "'" + field + "' is a required property");
    }
    if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > 255) {
      throw Nova.invalid(field, value, "expected a string of 1 to 255 characters");
    }
    return value.textValue();
  }

  private static String reason(ObjectNode in) {
    return in.has("disabled_reason") ? text(in, "disabled_reason") : null;
  }
}
