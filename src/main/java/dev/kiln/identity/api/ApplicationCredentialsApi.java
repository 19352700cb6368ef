package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.ApplicationCredentials;
import dev.kiln.identity.ApplicationCredentials.Created;
import dev.kiln.identity.ApplicationCredentials.RoleRef;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/users/{user_id}/application_credentials}. */
final class ApplicationCredentialsApi {
  static final int NAME_MAX = 255;
  private static final String TOKEN_HEADER = "X-Auth-Token";

  private final ApplicationCredentials credentials;
  private final TokenService tokens;

  ApplicationCredentialsApi(ApplicationCredentials credentials, TokenService tokens) {
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/users/{user_id}/application_credentials";
    routes
        .post(base, Access.AUTHENTICATED, this::create)
        .get(base, Access.AUTHENTICATED, this::list)
        .get(base + "/{credential_id}", Access.AUTHENTICATED, this::show)
        .delete(base + "/{credential_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "application_credential");
    in.allowOnly("name", "description", "secret", "expires_at", "roles", "unrestricted", "access_rules");
    List<ApplicationCredentials.AccessRuleRef> accessRules = new ArrayList<>();
    for (JsonInput rule : in.optionalObjectList("access_rules").orElse(List.of())) {
      rule.allowOnly("id", "service", "path", "method");
      if (rule.has("id")) {
        accessRules.add(new ApplicationCredentials.AccessRuleRef(rule.string("id"), null, null, null));
        continue;
      }
      String path = rule.string("path", 512);
      if (!path.startsWith("/")) {
        throw rule.invalid("path", "a path starts with /");
      }
      String method = rule.string("method");
      if (!dev.kiln.identity.AccessRule.METHODS.contains(method)) {
        throw rule.invalid("method", "expected one of GET, HEAD, POST, PUT, PATCH, DELETE");
      }
      accessRules.add(new ApplicationCredentials.AccessRuleRef(null, rule.nonBlankString("service", 64), path, method));
    }
    List<RoleRef> roles = new ArrayList<>();
    for (JsonInput role : in.optionalObjectList("roles").orElse(List.of())) {
      role.allowOnly("id", "name", "domain_id");
      if (role.has("id")) {
        roles.add(new RoleRef(role.string("id"), null));
      } else {
        roles.add(new RoleRef(null, role.string("name")));
      }
    }
    Created created =
        credentials.create(
            callerToken(request),
            request.pathParam("user_id"),
            in.nonBlankString("name", NAME_MAX),
            in.isNull("description") ? null : in.optionalString("description").orElse(null),
            in.isNull("secret") ? null : in.optionalString("secret", 4096).orElse(null),
            expiresAt(in),
            roles,
            in.optionalBoolean("unrestricted").orElse(false),
            accessRules);
    return ApiResponse.created(
        views(request)
            .wrap(
                "application_credential",
                views(request).appCredential(created.credential(), created.secret())));
  }

  private ApiResponse list(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:list_application_credentials");
    return ApiResponse.ok(
        views(request)
            .collection(
                "application_credentials",
                credentials.list(userId, request.query("name").orElse(null)),
                c -> views(request).appCredential(c, null)));
  }

  private ApiResponse show(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:get_application_credential");
    return ApiResponse.ok(
        views(request)
            .wrap(
                "application_credential",
                views(request)
                    .appCredential(credentials.show(userId, request.pathParam("credential_id")), null)));
  }

  private ApiResponse delete(ApiRequest request) {
    String userId = AccessChecks.selfOrAdmin(request, "identity:delete_application_credential");
    TokenInfo caller = callerToken(request);
    if (!caller.mayDelegate()) {
      throw ApiError.forbidden(
          "A token made with a restricted application credential cannot delete application credentials.");
    }
    credentials.delete(userId, request.pathParam("credential_id"));
    return ApiResponse.noContent();
  }

  /** Keystone reads an expiry with or without a zone; one without is UTC. */
  private static Instant expiresAt(JsonInput in) {
    if (!in.has("expires_at") || in.isNull("expires_at")) {
      return null;
    }
    String text = in.string("expires_at");
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException withoutZone) {
      try {
        return LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text)
            .toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw in.invalid("expires_at", "expected an ISO 8601 time such as 2030-01-31T12:00:00Z");
      }
    }
  }

  private TokenInfo callerToken(ApiRequest request) {
    return tokens
        .validate(request.header(TOKEN_HEADER).orElse(null))
        .orElseThrow(() -> ApiError.unauthorized("The request you have made requires authentication."));
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
