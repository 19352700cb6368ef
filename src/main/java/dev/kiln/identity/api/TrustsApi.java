package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Role;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;
import dev.kiln.identity.Trust;
import dev.kiln.identity.Trusts;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/OS-TRUST/trusts}: Keystone's trusts and the roles they delegate. */
final class TrustsApi {
  private static final String BASE = "/v3/OS-TRUST/trusts";
  private static final String TOKEN_HEADER = "X-Auth-Token";

  private final Trusts trusts;
  private final TokenService tokens;

  TrustsApi(Trusts trusts, TokenService tokens) {
    this.trusts = requireNonNull(trusts, "trusts is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  void register(ApiRoutes routes) {
    routes
        .post(BASE, Access.AUTHENTICATED, this::create)
        .get(BASE, Access.AUTHENTICATED, this::list)
        .get(BASE + "/{trust_id}", Access.AUTHENTICATED, this::show)
        .delete(BASE + "/{trust_id}", Access.AUTHENTICATED, this::delete)
        .get(BASE + "/{trust_id}/roles", Access.AUTHENTICATED, this::roles)
        .get(BASE + "/{trust_id}/roles/{role_id}", Access.AUTHENTICATED, this::role)
        .head(BASE + "/{trust_id}/roles/{role_id}", Access.AUTHENTICATED, this::checkRole);
  }

  private ApiResponse create(ApiRequest request) {
    // Keystone's trust schema takes further members and ignores them: no allowOnly here.
    JsonInput in = JsonInput.wrapped(request.body(), "trust");
    List<Trusts.RoleRef> roles = new ArrayList<>();
    for (JsonInput role : in.optionalObjectList("roles").orElse(List.of())) {
      if (role.has("id")) {
        roles.add(new Trusts.RoleRef(role.string("id"), null));
      } else if (role.has("name")) {
        roles.add(new Trusts.RoleRef(null, role.string("name")));
      } else {
        throw role.invalid("id", "a role is named by its id or its name");
      }
    }
    Trusts.Request asked =
        new Trusts.Request(
            in.string("trustor_user_id"),
            in.string("trustee_user_id"),
            in.isNull("project_id") ? null : in.optionalString("project_id").orElse(null),
            in.optionalBoolean("impersonation")
                .orElseThrow(() -> in.invalid("impersonation", "this field is required")),
            roles,
            expiresAt(in),
            in.optionalInt("remaining_uses").orElse(null),
            in.optionalBoolean("allow_redelegation").orElse(false),
            in.optionalInt("redelegation_count").orElse(null));
    Trust trust = trusts.create(callerToken(request), asked);
    return ApiResponse.created(Json.wrap("trust", trust(request, trust, true)));
  }

  private ApiResponse list(ApiRequest request) {
    Caller caller = request.caller();
    List<Trust> found =
        trusts.list(
            caller.userId(),
            caller.isAdmin(),
            request.query("trustor_user_id").orElse(null),
            request.query("trustee_user_id").orElse(null));
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray("trusts");
    found.forEach(t -> array.add(trust(request, t, false)));
    body.set("links", listLinks(new IdentityViews(request.baseUrl()).v3Url() + "/OS-TRUST/trusts"));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Caller caller = request.caller();
    Trust trust = trusts.show(caller.userId(), caller.isAdmin(), request.pathParam("trust_id"));
    return ApiResponse.ok(Json.wrap("trust", trust(request, trust, true)));
  }

  private ApiResponse delete(ApiRequest request) {
    trusts.delete(callerToken(request), request.caller().isAdmin(), request.pathParam("trust_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse roles(ApiRequest request) {
    Caller caller = request.caller();
    Trust trust = trusts.show(caller.userId(), caller.isAdmin(), request.pathParam("trust_id"));
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = Json.object();
    ArrayNode array = body.putArray("roles");
    trust.roles().forEach(r -> array.add(views.role(r)));
    body.set("links", listLinks(views.v3Url() + "/OS-TRUST/trusts/" + trust.id() + "/roles"));
    return ApiResponse.ok(body);
  }

  private ApiResponse role(ApiRequest request) {
    return ApiResponse.ok(
        Json.wrap("role", new IdentityViews(request.baseUrl()).role(delegatedRole(request))));
  }

  private ApiResponse checkRole(ApiRequest request) {
    delegatedRole(request);
    return ApiResponse.status(200, null);
  }

  private Role delegatedRole(ApiRequest request) {
    Caller caller = request.caller();
    return trusts.role(
        caller.userId(), caller.isAdmin(), request.pathParam("trust_id"), request.pathParam("role_id"));
  }

  /** A trust as Keystone shows it; lists leave its roles out. */
  private static ObjectNode trust(ApiRequest request, Trust t, boolean withRoles) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    String self = views.v3Url() + "/OS-TRUST/trusts/" + t.id();
    ObjectNode n = Json.object();
    n.put("id", t.id());
    n.put("trustor_user_id", t.trustorUserId());
    n.put("trustee_user_id", t.trusteeUserId());
    n.put("project_id", t.projectId());
    n.put("impersonation", t.impersonation());
    if (t.expiresAt() == null) {
      n.putNull("expires_at");
    } else {
      n.put("expires_at", IdentityViews.time(t.expiresAt()));
    }
    if (t.remainingUses() == null) {
      n.putNull("remaining_uses");
    } else {
      n.put("remaining_uses", t.remainingUses());
    }
    n.put("allow_redelegation", t.allowRedelegation());
    n.put("redelegation_count", t.redelegationCount());
    n.put("redelegated_trust_id", t.redelegatedTrustId());
    n.putNull("deleted_at");
    n.putObject("links").put("self", self);
    if (withRoles) {
      ArrayNode roles = n.putArray("roles");
      t.roles().forEach(r -> roles.add(views.role(r)));
      n.set("roles_links", listLinks(self + "/roles"));
    }
    return n;
  }

  private static ObjectNode listLinks(String self) {
    ObjectNode links = Json.object();
    links.put("self", self);
    links.putNull("previous");
    links.putNull("next");
    return links;
  }

  /** Keystone reads an expiry with or without a zone (one without is UTC); else its 400. */
  private static Instant expiresAt(JsonInput in) {
    if (!in.has("expires_at") || in.isNull("expires_at")) {
      return null;
    }
    String text = in.string("expires_at");
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException withoutZone) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw ApiError.badRequest(
            "ValidationTimeStampError",
            "Timestamp not in expected format: expires_at '"
                + text
                + "' is not an ISO 8601 time such as 2030-01-31T12:00:00Z. The server could not"
                + " comply with the request since it is either malformed or otherwise incorrect."
                + " The client is assumed to be in error.");
      }
    }
  }

  private TokenInfo callerToken(ApiRequest request) {
    return tokens
        .validate(request.header(TOKEN_HEADER).orElse(null))
        .orElseThrow(() -> ApiError.unauthorized("The request you have made requires authentication."));
  }
}
