package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.identity.OAuthAccessToken;
import dev.kiln.identity.OAuthTokens;
import dev.kiln.identity.Role;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;

/**
 * {@code /v3/users/{user_id}/OS-OAUTH1/access_tokens}: the OAuth access tokens a user authorized,
 * and the roles each gives, for that user and admins. A token issued via delegation (a trust, an
 * OAuth access token, an application credential) may not list, show or delete them, as Keystone.
 */
final class OAuthAccessTokensApi {
  private static final String BASE = "/v3/users/{user_id}/OS-OAUTH1/access_tokens";
  private static final String TOKEN_HEADER = "X-Auth-Token";

  private final OAuthTokens oauth;
  private final TokenService tokens;

  OAuthAccessTokensApi(OAuthTokens oauth, TokenService tokens) {
    this.oauth = requireNonNull(oauth, "oauth is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(BASE, Access.AUTHENTICATED, this::list)
        .get(BASE + "/{access_token_id}", Access.AUTHENTICATED, this::show)
        .delete(BASE + "/{access_token_id}", Access.AUTHENTICATED, this::delete)
        .get(BASE + "/{access_token_id}/roles", Access.AUTHENTICATED, this::roles)
        .get(BASE + "/{access_token_id}/roles/{role_id}", Access.AUTHENTICATED, this::role);
  }

  private ApiResponse list(ApiRequest request) {
    String userId = managed(request, "identity:list_access_tokens");
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("access_tokens");
    oauth.accessTokens(userId).forEach(t -> list.add(view(views, t)));
    body.set("links", links(views.v3Url() + "/users/" + userId + "/OS-OAUTH1/access_tokens"));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    String userId = managed(request, "identity:get_access_token");
    OAuthAccessToken token = oauth.accessToken(userId, request.pathParam("access_token_id"));
    return ApiResponse.ok(Json.wrap("access_token", view(new IdentityViews(request.baseUrl()), token)));
  }

  private ApiResponse delete(ApiRequest request) {
    String userId = managed(request, "identity:delete_access_token");
    oauth.deleteAccessToken(userId, request.pathParam("access_token_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse roles(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:list_access_token_roles");
    OAuthAccessToken token = oauth.accessToken(userId, request.pathParam("access_token_id"));
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("roles");
    token.roles().forEach(r -> list.add(role(views, r)));
    body.set("links", links(views.v3Url() + "/users/" + userId + "/OS-OAUTH1/access_tokens/" + token.id() + "/roles"));
    return ApiResponse.ok(body);
  }

  private ApiResponse role(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:get_access_token_role");
    Role role = oauth.accessTokenRole(userId, request.pathParam("access_token_id"), request.pathParam("role_id"));
    return ApiResponse.ok(Json.wrap("role", role(new IdentityViews(request.baseUrl()), role)));
  }

  /** The path's user, when the caller is that user or an admin, with a token not issued via delegation. */
  private String managed(ApiRequest request, String policy) {
    String userId = AccessChecks.selfOrAdmin(request, policy);
    TokenInfo caller =
        tokens.validate(request.header(TOKEN_HEADER).orElse(null))
            .orElseThrow(() -> ApiError.unauthorized("The request you have made requires authentication."));
    if (caller.delegated() || caller.appCredential() != null) {
      throw ApiError.forbidden("Cannot manage OAuth access tokens with a token issued via delegation.");
    }
    return userId;
  }

  /** An access token as Keystone shows it: never its secret, nor its roles (they have their own link). */
  private static ObjectNode view(IdentityViews views, OAuthAccessToken t) {
    String self = views.v3Url() + "/users/" + t.authorizingUserId() + "/OS-OAUTH1/access_tokens/" + t.id();
    ObjectNode n = Json.object();
    n.put("id", t.id());
    n.put("consumer_id", t.consumerId());
    n.put("project_id", t.projectId());
    n.put("authorizing_user_id", t.authorizingUserId());
    if (t.expiresAt() == null) {
      n.putNull("expires_at");
    } else {
      n.put("expires_at", IdentityViews.time(t.expiresAt()));
    }
    ObjectNode links = n.putObject("links");
    links.put("self", self);
    links.put("roles", self + "/roles");
    return n;
  }

  /** A role as Keystone shows an access token's: without its description. */
  private static ObjectNode role(IdentityViews views, Role r) {
    ObjectNode n = views.role(r);
    n.remove("description");
    return n;
  }

  private static ObjectNode links(String self) {
    ObjectNode links = Json.object();
    links.put("self", self);
    links.putNull("previous");
    links.putNull("next");
    return links;
  }
}
