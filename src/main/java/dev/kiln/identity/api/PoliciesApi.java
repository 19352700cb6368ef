package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Policies;
import dev.kiln.identity.Policy;
import java.util.Set;

/** {@code /v3/policies}, for admins. Unknown attributes are kept, as Keystone keeps them. */
final class PoliciesApi {
  private static final Set<String> KNOWN = Set.of("id", "type", "blob", "links");
  /** Keystone's limit on a policy blob is the request size; Kiln's is this many characters. */
  private static final int BLOB_MAX = 65_536;

  private final Policies policies;

  PoliciesApi(Policies policies) {
    this.policies = requireNonNull(policies, "policies is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/policies", Access.ADMIN, this::list)
        .post("/v3/policies", Access.ADMIN, this::create)
        .get("/v3/policies/{policy_id}", Access.ADMIN, this::show)
        .patch("/v3/policies/{policy_id}", Access.ADMIN, this::update)
        .delete("/v3/policies/{policy_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    ListFilter filter = QueryFilters.strings(request, ListFilter.none(), "type");
    return ApiResponse.ok(CatalogApi.listBody("policies", policies.policies(filter), p -> view(p, views), views));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "policy");
    Policy p =
        policies.create(
            in.nonBlankString("type", 255),
            in.string("blob", BLOB_MAX),
            ExtraAttributes.of(request.body().get("policy"), KNOWN));
    return ApiResponse.created(wrap(p, request));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(wrap(policies.policy(request.pathParam("policy_id")), request));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "policy");
    String id = request.pathParam("policy_id");
    Policy old = policies.policy(id);
    Policy p =
        policies.update(
            id,
            in.has("type") ? in.nonBlankString("type", 255) : null,
            in.has("blob") ? in.string("blob", BLOB_MAX) : null,
            ExtraAttributes.merged(old.extra(), request.body().get("policy"), KNOWN));
    return ApiResponse.ok(wrap(p, request));
  }

  private ApiResponse delete(ApiRequest request) {
    policies.delete(request.pathParam("policy_id"));
    return ApiResponse.noContent();
  }

  private static ObjectNode wrap(Policy p, ApiRequest request) {
    ObjectNode body = Json.object();
    body.set("policy", view(p, new IdentityViews(request.baseUrl())));
    return body;
  }

  private static ObjectNode view(Policy p, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", p.id());
    n.put("type", p.type());
    n.put("blob", p.blob());
    n.putObject("links").put("self", views.v3Url() + "/policies/" + p.id());
    ExtraAttributes.addTo(n, p.extra());
    return n;
  }
}
