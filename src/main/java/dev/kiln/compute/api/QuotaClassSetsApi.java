package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code /os-quota-class-sets/{id}} (admins): show and update a quota class; the class {@code
 * default} holds every project's defaults. server_groups and server_group_members are shown from
 * 2.50, when nova-network's quotas leave; personality files' quotas leave at 2.57.
 */
final class QuotaClassSetsApi {
  private static final String CLASS_SET = "/v2.1/os-quota-class-sets/{id}";
  private static final Set<String> SERVER_GROUP_QUOTAS = Set.of("server_groups", "server_group_members");

  private final ComputeQuotas quotas;

  QuotaClassSetsApi(ComputeQuotas quotas) {
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(CLASS_SET, Access.AUTHENTICATED, this::show)
        .put(CLASS_SET, Access.AUTHENTICATED, this::update);
  }

  private ApiResponse show(ApiRequest request) {
    String id = request.pathParam("id");
    Map<String, Long> limits = quotas.classLimits(request.caller().actor(), id);
    return ApiResponse.ok(Json.wrap("quota_class_set", QuotaInput.view(id, limits, hidden(request))));
  }

  /** Nova answers an update with every limit of the class and no {@code id}. */
  private ApiResponse update(ApiRequest request) {
    Map<String, Long> changes =
        QuotaInput.limits(request.body(), "quota_class_set", QuotaInput.refusedByClasses(request), Set.of());
    Map<String, Long> limits = quotas.updateClass(request.caller().actor(), request.pathParam("id"), changes);
    return ApiResponse.ok(Json.wrap("quota_class_set", QuotaInput.view(null, limits, hidden(request))));
  }

  /** Before 2.50 the v2.1 API left the server group quotas out of its answers (Nova bug 1693168). */
  private static Set<String> hidden(ApiRequest request) {
    Set<String> hidden = new HashSet<>(QuotaInput.refusedByClasses(request));
    if (!Nova.atLeast(request, 50)) {
      hidden.addAll(SERVER_GROUP_QUOTAS);
    }
    return hidden;
  }
}
