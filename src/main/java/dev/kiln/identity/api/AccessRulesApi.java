package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.identity.AccessRule;
import dev.kiln.identity.AccessRules;

/** {@code /v3/users/{user_id}/access_rules}: a user's application credential access rules. */
final class AccessRulesApi {
  private final AccessRules rules;

  AccessRulesApi(AccessRules rules) {
    this.rules = requireNonNull(rules, "rules is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/users/{user_id}/access_rules";
    routes
        .get(base, Access.AUTHENTICATED, this::list)
        .get(base + "/{access_rule_id}", Access.AUTHENTICATED, this::show)
        .delete(base + "/{access_rule_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:list_access_rules");
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body =
        views.collection("access_rules", rules.list(userId), r -> withLinks(views, r));
    body.with("links").put("self", views.v3Url() + "/users/" + userId + "/access_rules");
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:get_access_rule");
    IdentityViews views = new IdentityViews(request.baseUrl());
    return ApiResponse.ok(
        Json.wrap("access_rule", withLinks(views, rules.show(userId, request.pathParam("access_rule_id")))));
  }

  private ApiResponse delete(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:delete_access_rule");
    rules.delete(userId, request.pathParam("access_rule_id"));
    return ApiResponse.noContent();
  }

  /** A rule as the credential's answer shows it: id, path, method and service. */
  static ObjectNode rule(AccessRule r) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("path", r.path());
    n.put("method", r.method());
    n.put("service", r.service());
    return n;
  }

  private static ObjectNode withLinks(IdentityViews views, AccessRule r) {
    ObjectNode n = rule(r);
    n.putObject("links").put("self", views.v3Url() + "/users/" + r.userId() + "/access_rules/" + r.id());
    return n;
  }
}
