package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.quotas.UserComputeQuotas;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /os-quota-sets/{project_id}}: show, detail (with usage), defaults, update (admins) and
 * delete (admins, back to the defaults). nova-network's quotas leave at 2.36, personality files'
 * at 2.57. With {@code ?user_id=} each of show, detail, update and delete is about that user's
 * limits inside the project ({@link UserComputeQuotas}), as Nova keeps them.
 */
final class QuotaSetsApi {
  private static final String QUOTA_SET = "/v2.1/os-quota-sets/{project_id}";

  private final ComputeQuotas quotas;
  private final UserComputeQuotas userQuotas;

  QuotaSetsApi(ComputeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.userQuotas = quotas.users();
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
    Optional<String> user = userId(request);
    Map<String, Long> limits =
        user.isPresent()
            ? userQuotas.limits(request.caller().actor(), project, user.get())
            : quotas.limits(request.caller().actor(), project);
    return ApiResponse.ok(Json.wrap("quota_set", QuotaInput.view(project, limits, QuotaInput.hiddenFromSets(request))));
  }

  private ApiResponse detail(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    String project = request.pathParam("project_id");
    Set<String> hidden = QuotaInput.hiddenFromSets(request);
    ObjectNode set = Json.object();
    set.put("id", project);
    Optional<String> user = userId(request);
    (user.isPresent()
            ? userQuotas.detail(request.caller().actor(), project, user.get())
            : quotas.detail(request.caller().actor(), project))
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
    Optional<String> user = userId(request);
    Set<String> hidden = QuotaInput.hiddenFromSets(request);
    JsonNode body = request.body();
    Map<String, Long> changes = QuotaInput.limits(body, "quota_set", hidden, Set.of("force"));
    JsonNode force = body.get("quota_set").get("force");
    boolean forced = force != null && Nova.bool("quota_set/force", force);
    String project = request.pathParam("project_id");
    Map<String, Long> limits =
        user.isPresent()
            ? userQuotas.update(request.caller().actor(), project, user.get(), changes, forced)
            : quotas.update(request.caller().actor(), project, changes, forced);
    return ApiResponse.ok(Json.wrap("quota_set", QuotaInput.view(null, limits, hidden)));
  }

  private ApiResponse delete(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    Optional<String> user = userId(request);
    if (user.isPresent()) {
      userQuotas.reset(request.caller().actor(), request.pathParam("project_id"), user.get());
    } else {
      quotas.reset(request.caller().actor(), request.pathParam("project_id"));
    }
    return ApiResponse.status(202, null);
  }

  /** The {@code user_id} query parameter; an empty one reads as absent, as Nova reads it. */
  private static Optional<String> userId(ApiRequest request) {
    return request.query("user_id").filter(id -> !id.isEmpty());
  }
}
