package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.OAuthSignatures;
import dev.kiln.identity.OAuthTokens;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /v3/OS-OAUTH1}'s token exchange: a consumer's signed request for a request token, a
 * user's authorization of it, and the consumer's signed trade of it for an access token. The two
 * token answers are form-encoded, as OAuth 1.0a has them.
 */
final class OAuthTokensApi {
  private static final String BASE = "/v3/OS-OAUTH1";
  private static final String TOKEN_HEADER = "X-Auth-Token";

  private final OAuthTokens oauth;
  private final TokenService tokens;

  OAuthTokensApi(OAuthTokens oauth, TokenService tokens) {
    this.oauth = requireNonNull(oauth, "oauth is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  void register(ApiRoutes routes) {
    routes
        .post(BASE + "/request_token", Access.PUBLIC, this::requestToken)
        .put(BASE + "/authorize/{request_token_id}", Access.AUTHENTICATED, this::authorize)
        .post(BASE + "/access_token", Access.PUBLIC, this::accessToken);
  }

  private ApiResponse requestToken(ApiRequest request) {
    OAuthTokens.Issued issued =
        oauth.createRequestToken(
            OAuthSigned.of(request, "POST"), request.header("Requested-Project-Id").orElse(null));
    return form(issued);
  }

  private ApiResponse accessToken(ApiRequest request) {
    return form(oauth.createAccessToken(OAuthSigned.of(request, "POST")));
  }

  private ApiResponse authorize(ApiRequest request) {
    JsonNode body = request.hasBody() ? request.body() : Json.object();
    JsonInput in = JsonInput.root(body);
    List<OAuthTokens.RoleRef> roles = new ArrayList<>();
    for (JsonInput role : in.optionalObjectList("roles").orElse(List.of())) {
      role.allowOnly("id", "name");
      if (role.has("id")) {
        roles.add(new OAuthTokens.RoleRef(role.string("id"), null));
      } else if (role.has("name")) {
        roles.add(new OAuthTokens.RoleRef(null, role.string("name")));
      } else {
        throw role.invalid("id", "a role is named by its id or its name");
      }
    }
    String verifier = oauth.authorize(callerToken(request), request.pathParam("request_token_id"), roles);
    return ApiResponse.ok(Json.wrap("token", Json.object().put("oauth_verifier", verifier)));
  }

  /** {@code oauth_token=...&oauth_token_secret=...&oauth_expires_at=...}, form-encoded, 201. */
  private static ApiResponse form(OAuthTokens.Issued issued) {
    String text =
        "oauth_token=" + OAuthSignatures.encode(issued.key())
            + "&oauth_token_secret=" + OAuthSignatures.encode(issued.secret())
            + (issued.expiresAt() == null
                ? ""
                : "&oauth_expires_at=" + IdentityViews.time(issued.expiresAt()));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new ApiResponse(
        201,
        Map.of(),
        null,
        new ApiResponse.RawBody("application/x-www-form-urlencoded", bytes.length, new ByteArrayInputStream(bytes)));
  }

  private TokenInfo callerToken(ApiRequest request) {
    return tokens
        .validate(request.header(TOKEN_HEADER).orElse(null))
        .orElseThrow(() -> ApiError.unauthorized("The request you have made requires authentication."));
  }
}
