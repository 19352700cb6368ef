package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.identity.Role;
import dev.kiln.identity.RoleInferences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Role inference rules: {@code /v3/roles/{prior}/implies[/{implied}]} and {@code /v3/role_inferences}. */
final class RoleInferencesApi {
  private final RoleInferences inferences;

  RoleInferencesApi(RoleInferences inferences) {
    this.inferences = requireNonNull(inferences, "inferences is null");
  }

  void register(ApiRoutes routes) {
    String one = "/v3/roles/{prior_role_id}/implies/{implied_role_id}";
    routes
        .put(one, Access.ADMIN, this::create)
        .get(one, Access.ADMIN, this::show)
        .head(one, Access.ADMIN, this::check)
        .delete(one, Access.ADMIN, this::delete)
        .get("/v3/roles/{prior_role_id}/implies", Access.ADMIN, this::listOfPrior)
        .get("/v3/role_inferences", Access.ADMIN, this::listAll);
  }

  private ApiResponse create(ApiRequest request) {
    Role[] pair = inferences.add(request.pathParam("prior_role_id"), request.pathParam("implied_role_id"));
    return ApiResponse.created(rule(pair, new IdentityViews(request.baseUrl())));
  }

  private ApiResponse show(ApiRequest request) {
    Role[] pair = inferences.rule(request.pathParam("prior_role_id"), request.pathParam("implied_role_id"));
    return ApiResponse.ok(rule(pair, new IdentityViews(request.baseUrl())));
  }

  private ApiResponse check(ApiRequest request) {
    inferences.rule(request.pathParam("prior_role_id"), request.pathParam("implied_role_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse delete(ApiRequest request) {
    inferences.remove(request.pathParam("prior_role_id"), request.pathParam("implied_role_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse listOfPrior(ApiRequest request) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    String priorId = request.pathParam("prior_role_id");
    List<Role> implied = inferences.impliedBy(priorId);
    ObjectNode body = Json.object();
    ObjectNode inference = body.putObject("role_inference");
    inference.set("prior_role", ref(inferencesRole(priorId), views));
    ArrayNode list = inference.putArray("implies");
    implied.forEach(r -> list.add(ref(r, views)));
    body.putObject("links").put("self", views.v3Url() + "/roles/" + priorId + "/implies");
    return ApiResponse.ok(body);
  }

  private ApiResponse listAll(ApiRequest request) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    Map<String, Role> roles = new HashMap<>();
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("role_inferences");
    inferences
        .all()
        .forEach(
            (prior, implied) -> {
              ObjectNode n = list.addObject();
              n.set("prior_role", ref(roles.computeIfAbsent(prior, this::inferencesRole), views));
              ArrayNode implies = n.putArray("implies");
              implied.forEach(id -> implies.add(ref(roles.computeIfAbsent(id, this::inferencesRole), views)));
            });
    body.putObject("links").put("self", views.v3Url() + "/role_inferences");
    return ApiResponse.ok(body);
  }

  private Role inferencesRole(String id) {
    return inferences.role(id);
  }

  private static ObjectNode rule(Role[] pair, IdentityViews views) {
    ObjectNode body = Json.object();
    ObjectNode inference = body.putObject("role_inference");
    inference.set("prior_role", ref(pair[0], views));
    inference.set("implies", ref(pair[1], views));
    body.putObject("links").put("self", views.v3Url() + "/roles/" + pair[0].id() + "/implies/" + pair[1].id());
    return body;
  }

  private static ObjectNode ref(Role r, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("name", r.name());
    n.putObject("links").put("self", views.v3Url() + "/roles/" + r.id());
    return n;
  }
}
