package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.RbacPolicies;
import dev.kiln.network.RbacPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /v2.0/rbac-policies}: who else may use a network, as shared or as external. */
final class RbacPoliciesApi {
  private static final String POLICIES = "/v2.0/rbac-policies";

  static final Set<String> ATTRIBUTES =
      Set.of("id", "tenant_id", "project_id", "object_type", "object_id", "action", "target_tenant");

  private final RbacPolicies policies;

  RbacPoliciesApi(RbacPolicies policies) {
    this.policies = requireNonNull(policies, "policies is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(POLICIES, Access.AUTHENTICATED, this::list)
        .post(POLICIES, Access.AUTHENTICATED, this::create)
        .get(POLICIES + "/{rbac_policy_id}", Access.AUTHENTICATED, this::show)
        .put(POLICIES + "/{rbac_policy_id}", Access.AUTHENTICATED, this::update)
        .delete(POLICIES + "/{rbac_policy_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    List<ObjectNode> all = new ArrayList<>();
    policies.list(request.caller().actor()).forEach(p -> all.add(render(p)));
    return ApiResponse.ok(
        NeutronListQuery.answer(
            request, "rbac_policies", request.baseUrl() + NetworkApi.PREFIX + POLICIES, all, ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "rbac_policy");
    in.allowOnly("object_type", "object_id", "action", "target_tenant", "target_project_id", "project_id", "tenant_id");
    RbacPolicy policy =
        policies.create(
            request.caller().actor(),
            new RbacPolicies.Spec(
                NeutronInput.projectId(in), in.optionalString("object_type").orElse(null),
                in.optionalString("object_id").orElse(null), in.optionalString("action").orElse(null), target(in)));
    return ApiResponse.created(Json.wrap("rbac_policy", render(policy)));
  }

  private ApiResponse show(ApiRequest request) {
    RbacPolicy policy = policies.visible(request.caller().actor(), request.pathParam("rbac_policy_id"));
    return ApiResponse.ok(Json.wrap("rbac_policy", NeutronListQuery.fields(request, render(policy))));
  }

  /** Only the target can change, as in Neutron. */
  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "rbac_policy");
    in.allowOnly("target_tenant", "target_project_id");
    RbacPolicy policy = policies.retarget(request.caller().actor(), request.pathParam("rbac_policy_id"), target(in));
    return ApiResponse.ok(Json.wrap("rbac_policy", render(policy)));
  }

  private ApiResponse delete(ApiRequest request) {
    policies.delete(request.caller().actor(), request.pathParam("rbac_policy_id"));
    return ApiResponse.noContent();
  }

  /** {@code target_tenant}, or its newer name {@code target_project_id}. */
  private static String target(JsonInput in) {
    return in.optionalString("target_tenant").or(() -> in.optionalString("target_project_id")).orElse(null);
  }

  static ObjectNode render(RbacPolicy p) {
    ObjectNode o = Json.object();
    o.put("id", p.id());
    o.put("tenant_id", p.projectId());
    o.put("project_id", p.projectId());
    o.put("object_type", p.objectType());
    o.put("object_id", p.objectId());
    o.put("action", p.action().wire());
    o.put("target_tenant", p.targetProject());
    return o;
  }
}
