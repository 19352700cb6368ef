package dev.kiln.network.api;

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
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.NetworkQuotas;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Neutron's {@code /v2.0/quotas}: the projects with limits of their own (admins), one project's
 * limits, its defaults, its usage ({@code details}), update and reset (admins).
 */
public final class QuotasApi {
  private static final String QUOTAS = "/v2.0/quotas";
  private static final String QUOTA = QUOTAS + "/{project_id}";
  private static final Pattern WHOLE_NUMBER = Pattern.compile("^[+-]?[0-9]+$");

  private final NetworkQuotas quotas;

  public QuotasApi(NetworkQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  public void register(ApiRoutes routes) {
    routes
        .get(QUOTAS, Access.AUTHENTICATED, this::list)
        .get(QUOTA, Access.AUTHENTICATED, this::show)
        .get(QUOTA + "/default", Access.AUTHENTICATED, this::defaults)
        .get(QUOTA + "/details", Access.AUTHENTICATED, this::details)
        .put(QUOTA, Access.AUTHENTICATED, this::update)
        .delete(QUOTA, Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ArrayNode list = Json.array();
    for (NetworkQuotas.ProjectQuotas project : quotas.list(actor(request))) {
      ObjectNode q = list.addObject();
      project.limits().forEach(q::put);
      q.put("project_id", project.projectId());
      q.put("tenant_id", project.projectId());
    }
    return ApiResponse.ok(Json.wrap("quotas", list));
  }

  private ApiResponse show(ApiRequest request) {
    String project = request.pathParam("project_id");
    return ApiResponse.ok(Json.wrap("quota", limits(quotas.limits(actor(request), project))));
  }

  private ApiResponse defaults(ApiRequest request) {
    ObjectNode quota = Json.object();
    quotas.defaults(actor(request), request.pathParam("project_id")).forEach(quota::put);
    return ApiResponse.ok(Json.wrap("quota", quota));
  }

  private ApiResponse details(ApiRequest request) {
    ObjectNode quota = Json.object();
    quotas
        .details(actor(request), request.pathParam("project_id"))
        .forEach(
            (resource, q) ->
                quota.putObject(resource).put("limit", q.limit()).put("used", q.used()).put("reserved", q.reserved()));
    return ApiResponse.ok(Json.wrap("quota", quota));
  }

  /**
   * Each member a quota name with a whole number from -1 up (a string of one will do), besides
   * {@code force} (only {@code true} forces a limit below usage) and {@code check_limit}, which
   * Neutron now ignores since it always checks.
   */
  private ApiResponse update(ApiRequest request) {
    String project = request.pathParam("project_id");
    JsonInput.wrapped(request.body(), "quota"); // the envelope: exactly one object member
    JsonNode body = request.body().get("quota");
    boolean force = false;
    Map<String, Long> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("force")) {
        force = field.getValue().isBoolean() && field.getValue().booleanValue();
      } else if (!name.equals("check_limit") && !NetworkQuotas.DEFAULTS.containsKey(name)) {
        throw ApiError.badRequest("HTTPBadRequest", "Unrecognized attribute(s) '" + name + "'");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (NetworkQuotas.DEFAULTS.containsKey(field.getKey())) {
        changes.put(field.getKey(), limit(field.getKey(), field.getValue()));
      }
    }
    return ApiResponse.ok(Json.wrap("quota", limits(quotas.update(actor(request), project, changes, force))));
  }

  private ApiResponse delete(ApiRequest request) {
    quotas.reset(actor(request), request.pathParam("project_id"));
    return ApiResponse.noContent();
  }

  /** Neutron's convert_to_int, then its range check from -1 to the database's largest integer. */
  private static long limit(String resource, JsonNode value) {
    BigInteger number;
    if (value.isIntegralNumber()) {
      number = value.bigIntegerValue();
    } else if (value.isTextual() && WHOLE_NUMBER.matcher(value.textValue().strip()).matches()) {
      number = new BigInteger(value.textValue().strip());
    } else {
      String shown = value.isTextual() ? value.textValue() : value.toString();
      throw ApiError.badRequest("InvalidInput", "Invalid input for operation: '" + shown + "' is not an integer.");
    }
    if (number.compareTo(BigInteger.valueOf(-1)) < 0) {
      throw outOfRange(resource, "'" + number + "' is too small - must be at least '-1'");
    }
    if (number.compareTo(BigInteger.valueOf(NetworkQuotas.MAX_LIMIT)) > 0) {
      throw outOfRange(resource, "'" + number + "' is too large - must be no larger than '" + NetworkQuotas.MAX_LIMIT + "'");
    }
    return number.longValue();
  }

  private static ApiError outOfRange(String resource, String reason) {
    return ApiError.badRequest(
        "InvalidInput", "Invalid input for operation: Invalid input for " + resource + ". Reason: " + reason + ".");
  }

  /** One project's limits as Neutron shows them: the resources alone (only the list names projects). */
  private static ObjectNode limits(Map<String, Long> limits) {
    ObjectNode quota = Json.object();
    limits.forEach(quota::put);
    return quota;
  }

  private static Actor actor(ApiRequest request) {
    Caller caller = request.caller();
    return new Actor(caller.projectId(), caller.userId(), caller.isAdmin());
  }
}
