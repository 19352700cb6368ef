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
import dev.kiln.volume.VolumeQuotas;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v3/{project_id}/os-quota-sets/{target_project_id}}: a project's Block Storage quotas.
 * Members see their own project's; only admins see other projects' and change any. {@code
 * /v3/{project_id}/os-quota-class-sets/{class}}: quota classes (admins), whose class {@code
 * default} holds every project's defaults.
 */
final class QuotasApi {
  private static final String QUOTA_SET = "/v3/{project_id}/os-quota-sets/{target_project_id}";
  private static final String QUOTA_CLASS_SET = "/v3/{project_id}/os-quota-class-sets/{quota_class_name}";

  private final VolumeQuotas quotas;

  QuotasApi(VolumeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(QUOTA_SET + "/defaults", Access.AUTHENTICATED, this::defaults)
        .get(QUOTA_SET, Access.AUTHENTICATED, this::show)
        .put(QUOTA_SET, Access.AUTHENTICATED, this::update)
        .delete(QUOTA_SET, Access.AUTHENTICATED, this::reset)
        .get(QUOTA_CLASS_SET, Access.AUTHENTICATED, this::showClass)
        .put(QUOTA_CLASS_SET, Access.AUTHENTICATED, this::updateClass);
  }

  private ApiResponse showClass(ApiRequest request) {
    CinderProject.of(request);
    String className = request.pathParam("quota_class_name");
    ObjectNode set = Json.object();
    quotas.classLimits(request.caller().actor(), className).forEach(set::put);
    set.put("id", className);
    return ApiResponse.ok(Json.wrap("quota_class_set", set));
  }

  /**
   * Cinder answers a class update with the class's limits and no {@code id}; members that are not
   * quotas are ignored whatever they hold, so a value that is no whole number is only refused
   * (by the service) for a quota.
   */
  private ApiResponse updateClass(ApiRequest request) {
    CinderProject.of(request);
    JsonInput.wrapped(request.body(), "quota_class_set");
    Map<String, Long> changes = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = request.body().get("quota_class_set").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      Long value;
      try {
        value = integer(field.getKey(), field.getValue());
      } catch (ApiError e) {
        value = null;
      }
      changes.put(field.getKey(), value);
    }
    ObjectNode set = Json.object();
    quotas.updateClass(request.caller().actor(), request.pathParam("quota_class_name"), changes).forEach(set::put);
    return ApiResponse.ok(Json.wrap("quota_class_set", set));
  }

  private ApiResponse show(ApiRequest request) {
    CinderProject.of(request);
    Actor actor = request.caller().actor();
    String target = request.pathParam("target_project_id");
    ObjectNode set = Json.object();
    set.put("id", target);
    if (usage(request)) {
      quotas
          .usage(actor, target)
          .forEach(
              (resource, quota) -> {
                ObjectNode q = set.putObject(resource);
                q.put("limit", quota.limit());
                q.put("in_use", quota.inUse());
                q.put("reserved", quota.reserved());
              });
    } else {
      quotas.limits(actor, target).forEach(set::put);
    }
    return ApiResponse.ok(Json.wrap("quota_set", set));
  }

  private ApiResponse defaults(ApiRequest request) {
    CinderProject.of(request);
    String target = request.pathParam("target_project_id");
    ObjectNode set = Json.object();
    set.put("id", target);
    quotas.defaults(request.caller().actor(), target).forEach(set::put);
    return ApiResponse.ok(Json.wrap("quota_set", set));
  }

  /** Cinder answers an update with the quota set and no {@code id}. */
  private ApiResponse update(ApiRequest request) {
    CinderProject.of(request);
    JsonInput.wrapped(request.body(), "quota_set"); // the envelope: exactly one object member
    JsonNode body = request.body().get("quota_set");
    if (body.isEmpty()) {
      throw ApiError.badRequest(
          "SchemaValidationError", "Invalid input for field 'quota_set': name at least one quota to set.");
    }
    Map<String, Long> changes = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      changes.put(field.getKey(), integer(field.getKey(), field.getValue()));
    }
    ObjectNode set = Json.object();
    quotas.update(request.caller().actor(), request.pathParam("target_project_id"), changes).forEach(set::put);
    return ApiResponse.ok(Json.wrap("quota_set", set));
  }

  private ApiResponse reset(ApiRequest request) {
    CinderProject.of(request);
    quotas.reset(request.caller().actor(), request.pathParam("target_project_id"));
    return ApiResponse.status(200, null);
  }

  /**
   * A quota value as Cinder reads one: a JSON integer or a string of one ({@code "5"}). The
   * members {@code id} and {@code tenant_id}, which Cinder ignores, may hold anything.
   */
  private static long integer(String key, JsonNode value) {
    if (key.equals("id") || key.equals("tenant_id")) {
      return 0;
    }
    if (value.isIntegralNumber()) {
      if (!value.canConvertToLong()) {
        throw ApiError.badRequest(key + " must be <= " + VolumeQuotas.MAX_LIMIT);
      }
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().strip());
      } catch (NumberFormatException e) {
        // answered below
      }
    }
    throw ApiError.badRequest(key + " must be an integer");
  }

  /** {@code ?usage=True}: Cinder's strict boolean; absent is false. */
  private static boolean usage(ApiRequest request) {
    Optional<String> raw = request.query("usage");
    if (raw.isEmpty()) {
      return false;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "1", "t", "true", "on", "y", "yes" -> true;
      case "0", "f", "false", "off", "n", "no" -> false;
      default -> throw ApiError.badRequest("Value '" + raw.get() + "' for 'usage' is not a boolean.");
    };
  }
}
