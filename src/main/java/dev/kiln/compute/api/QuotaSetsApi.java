package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Map;
import java.util.Set;

/**
 * {@code /os-quota-sets/{project_id}}: show, detail (with usage), defaults, update (admins) and
 * delete (admins, back to the defaults). nova-network's quotas leave at 2.36, personality files'
 * at 2.57. Kiln keeps no per-user quotas: {@code user_id} is ignored when reading and refused
 * when writing.
 */
final class QuotaSetsApi {
  private static final String QUOTA_SET = "/v2.1/os-quota-sets/{project_id}";

  private final ComputeQuotas quotas;

  QuotaSetsApi(ComputeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(QUOTA_SET, Access.AUTHENTICATED, this::show)
        .get(QUOTA_SET + "/detail", Access.AUTHENTICATED, this::detail)
        .get(QUOTA_SET + "/defaults", Access.AUTHENTICATED, this::defaults)
        .put(QUOTA_SET, Access.AUTHENTICATED, this::update)
        .delete(QUOTA_SET, Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse show(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    String project = request.pathParam("project_id");
    Map<String, Long> limits = quotas.limits(request.caller().actor(), project);
    return ApiResponse.ok(Json.wrap("quota_set", QuotaInput.view(project, limits, QuotaInput.hiddenFromSets(request))));
  }

  private ApiResponse detail(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    String project = request.pathParam("project_id");
    Set<String> hidden = QuotaInput.hiddenFromSets(request);
    ObjectNode set = Json.object();
    set.put("id", project);
    quotas
        .detail(request.caller().actor(), project)
        .forEach(
            (resource, quota) -> {
              if (!hidden.contains(resource)) {
                set.putObject(resource)
                    .put("in_use", quota.inUse())
                    .put("limit", quota.limit())
                    .put("reserved", quota.reserved());
              }
            });
    return ApiResponse.ok(Json.wrap("quota_set", set));
  }

  private ApiResponse defaults(ApiRequest request) {
    String project = request.pathParam("project_id");
    Map<String, Long> limits = quotas.defaults(request.caller().actor(), project);
    return ApiResponse.ok(Json.wrap("quota_set", QuotaInput.view(project, limits, QuotaInput.hiddenFromSets(request))));
  }

  /** Nova answers an update with every limit and no {@code id}. */
  private ApiResponse update(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    noUserQuotas(request);
    Set<String> hidden = QuotaInput.hiddenFromSets(request);
    JsonNode body = request.body();
    Map<String, Long> changes = QuotaInput.limits(body, "quota_set", hidden, Set.of("force"));
    JsonNode force = body.get("quota_set").get("force");
    boolean forced = force != null && Nova.bool("quota_set/force", force);
    Map<String, Long> limits = quotas.update(request.caller().actor(), request.pathParam("project_id"), changes, forced);
    return ApiResponse.ok(Json.wrap("quota_set", QuotaInput.view(null, limits, hidden)));
  }

  private ApiResponse delete(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    noUserQuotas(request);
    quotas.reset(request.caller().actor(), request.pathParam("project_id"));
    return ApiResponse.status(202, null);
  }

  private static void noUserQuotas(ApiRequest request) {
    if (request.query("user_id").isPresent()) {
      throw ApiError.badRequest(
          "Kiln keeps quotas per project only: per-user quotas (user_id) cannot be set or deleted.");
    }
  }
}
