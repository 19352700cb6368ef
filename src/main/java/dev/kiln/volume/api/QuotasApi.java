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
 * Members see their own project's; only admins see other projects' and change any.
 */
final class QuotasApi {
  private static final String QUOTA_SET = "/v3/{project_id}/os-quota-sets/{target_project_id}";

  private final VolumeQuotas quotas;

  QuotasApi(VolumeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(QUOTA_SET + "/defaults", Access.AUTHENTICATED, this::defaults)
        .get(QUOTA_SET, Access.AUTHENTICATED, this::show)
        .put(QUOTA_SET, Access.AUTHENTICATED, this::update)
        .delete(QUOTA_SET, Access.AUTHENTICATED, this::reset);
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
