package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Caller;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.AppCredentialLogin;
import dev.kiln.identity.Credentials;
import dev.kiln.identity.CatalogEntry;
import dev.kiln.identity.Directory;
import dev.kiln.identity.IssuedToken;
import dev.kiln.identity.OAuthTokens;
import dev.kiln.identity.ProjectTags;
import dev.kiln.identity.ScopeRequest;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/auth}: issuing, validating and revoking tokens, and what a token gives access to. */
final class AuthApi {
  private static final String SUBJECT_TOKEN = "X-Subject-Token";
  /** The header with which a validating service says which access rules version it enforces. */
  private static final String ACCESS_RULES_HEADER = "OpenStack-Identity-Access-Rules";
  private static final double ACCESS_RULES_VERSION = 1.0;

  private final TokenService tokens;
  private final Directory directory;
  private final ProjectTags tags;
  private final OAuthTokens oauth;

  AuthApi(TokenService tokens, Directory directory, ProjectTags tags, OAuthTokens oauth) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.tags = requireNonNull(tags, "tags is null");
    this.oauth = requireNonNull(oauth, "oauth is null");
  }

  void register(ApiRoutes routes) {
    routes
        .post("/v3/auth/tokens", Access.PUBLIC, this::issue)
        .get("/v3/auth/tokens", Access.AUTHENTICATED, this::validate)
        .head("/v3/auth/tokens", Access.AUTHENTICATED, this::check)
        .delete("/v3/auth/tokens", Access.AUTHENTICATED, this::revoke)
        .get("/v3/auth/projects", Access.AUTHENTICATED, this::projects)
        .get("/v3/auth/domains", Access.AUTHENTICATED, this::domains)
        .get("/v3/auth/catalog", Access.AUTHENTICATED, this::catalog);
  }

  private ApiResponse issue(ApiRequest request) {
    JsonInput auth = JsonInput.wrapped(request.body(), "auth");
    auth.allowOnly("identity", "scope");
    JsonInput identity = auth.object("identity");
    identity.allowOnly("methods", "password", "token", "application_credential", "oauth1");
    List<String> methods = new ArrayList<>();
    for (JsonNode m : identity.array("methods")) {
      if (!m.isTextual()) {
        throw identity.invalid("methods", "expected a list of method names");
      }
      methods.add(m.textValue());
    }
    ScopeRequest scope = scope(auth);
    IssuedToken issued;
    if (methods.equals(List.of("password"))) {
      issued = tokens.issueWithPassword(credentials(identity.object("password")), scope);
    } else if (methods.equals(List.of("token"))) {
      JsonInput token = identity.object("token");
      token.allowOnly("id");
      issued = tokens.issueWithToken(token.string("id"), scope);
    } else if (methods.equals(List.of("application_credential"))) {
      issued =
          tokens.issueWithApplicationCredential(
              appCredential(identity.object("application_credential")), scope);
    } else if (methods.equals(List.of("oauth1"))) {
      // The credentials are the request's OAuth signature (Authorization header), not the body.
      issued = tokens.issueWithOAuth(oauth.authenticate(OAuthSigned.of(request, "POST")), scope);
    } else {
      throw ApiError.unauthorized(
          "Unsupported authentication method(s) "
              + methods
              + ": Kiln accepts exactly one of 'password', 'token', 'application_credential' or"
              + " 'oauth1'.");
    }
    boolean withCatalog = request.query("nocatalog").isEmpty();
    return ApiResponse.created(views(request).token(issued.info(), catalogOf(request, issued.info(), withCatalog)))
        .withHeader(SUBJECT_TOKEN, issued.value());
  }

  private static Credentials credentials(JsonInput password) {
    password.allowOnly("user");
    JsonInput user = password.object("user");
    user.allowOnly("id", "name", "domain", "password");
    String secret = user.string("password");
    if (user.has("id")) {
      return new Credentials(user.string("id"), null, null, null, secret);
    }
    String name = user.string("name");
    JsonInput domain = user.object("domain");
    domain.allowOnly("id", "name");
    return new Credentials(
        null,
        name,
        domain.optionalString("id").orElse(null),
        requireIdOrName(domain),
        secret);
  }

  /** An application credential by id, or by name with its user (by id, or name and domain). */
  private static AppCredentialLogin appCredential(JsonInput credential) {
    credential.allowOnly("id", "name", "secret", "user");
    String secret = credential.string("secret");
    if (credential.has("id")) {
      return new AppCredentialLogin(credential.string("id"), null, null, secret);
    }
    String name = credential.string("name");
    JsonInput user = credential.object("user");
    user.allowOnly("id", "name", "domain");
    if (user.has("id")) {
      return new AppCredentialLogin(
          null, name, new Credentials(user.string("id"), null, null, null, null), secret);
    }
    JsonInput domain = user.object("domain");
    domain.allowOnly("id", "name");
    return new AppCredentialLogin(
        null,
        name,
        new Credentials(
            null, user.string("name"), domain.optionalString("id").orElse(null), requireIdOrName(domain), null),
        secret);
  }

  private static ScopeRequest scope(JsonInput auth) {
    if (!auth.has("scope")) {
      return new ScopeRequest.Default();
    }
    if (auth.raw("scope").isTextual() && auth.raw("scope").textValue().equals("unscoped")) {
      return new ScopeRequest.Default();
    }
    JsonInput scope = auth.object("scope");
    scope.allowOnly("project", "domain", "system", "OS-TRUST:trust");
    if (scope.has("system")) {
      throw scope.invalid("system", "system-scoped tokens are not supported by Kiln; scope to a project or domain");
    }
    if (scope.has("OS-TRUST:trust")) {
      JsonInput trust = scope.object("OS-TRUST:trust");
      trust.allowOnly("id");
      return new ScopeRequest.TrustRequest(trust.string("id"));
    }
    if (scope.has("project")) {
      JsonInput project = scope.object("project");
      project.allowOnly("id", "name", "domain");
      if (project.has("id")) {
        return new ScopeRequest.ProjectRequest(project.string("id"), null, null, null);
      }
      String name = project.string("name");
      JsonInput domain = project.object("domain");
      domain.allowOnly("id", "name");
      return new ScopeRequest.ProjectRequest(
          null, name, domain.optionalString("id").orElse(null), requireIdOrName(domain));
    }
    JsonInput domain = scope.object("domain");
    domain.allowOnly("id", "name");
    return new ScopeRequest.DomainRequest(
        domain.optionalString("id").orElse(null), requireIdOrName(domain));
  }

  /** Checks that a domain reference has an id or a name; answers the name, if that is used. */
  private static String requireIdOrName(JsonInput domain) {
    if (domain.has("id")) {
      domain.string("id");
      return null;
    }
    return domain.string("name");
  }

  private TokenInfo subject(ApiRequest request) {
    Caller caller = request.caller();
    String subject =
        request
            .header(SUBJECT_TOKEN)
            .orElseThrow(
                () -> ApiError.badRequest("The X-Subject-Token header names the token to act on; it is missing."));
    TokenInfo info =
        tokens
            .validate(subject)
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "TokenNotFound", "Could not find token: it is unknown, revoked or expired."));
    if (hasAccessRules(info) && !understandsAccessRules(request)) {
      // Keystone's rule: a token limited by access rules is shown only to a validator that says
      // (in OpenStack-Identity-Access-Rules) it enforces them, so no old middleware lets it do more.
      throw ApiError.notFound(
          "TokenNotFound",
          "Failed to validate token: it carries application credential access rules, and the request"
              + " does not say it enforces them (send " + ACCESS_RULES_HEADER + ": 1.0).");
    }
    // Anyone may look at their own tokens; only admins at other users'.
    if (!caller.isAdmin() && !caller.userId().equals(info.user().id())) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: identity:validate_token.");
    }
    return info;
  }

  private static boolean hasAccessRules(TokenInfo info) {
    return info.appCredential() != null && !info.appCredential().accessRules().isEmpty();
  }

  /** Whether the request names an access rules version Kiln enforces (1.0 or later). */
  private static boolean understandsAccessRules(ApiRequest request) {
    String version = request.header(ACCESS_RULES_HEADER).orElse("").strip();
    try {
      return !version.isEmpty() && Double.parseDouble(version) >= ACCESS_RULES_VERSION;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private ApiResponse validate(ApiRequest request) {
    TokenInfo info = subject(request);
    boolean withCatalog = request.query("nocatalog").isEmpty();
    return ApiResponse.ok(views(request).token(info, catalogOf(request, info, withCatalog)))
        .withHeader(SUBJECT_TOKEN, request.header(SUBJECT_TOKEN).orElseThrow());
  }

  private ApiResponse check(ApiRequest request) {
    subject(request);
    return ApiResponse.status(200, null);
  }

  private ApiResponse revoke(ApiRequest request) {
    subject(request);
    tokens.revoke(request.header(SUBJECT_TOKEN).orElseThrow());
    return ApiResponse.noContent();
  }

  private ApiResponse projects(ApiRequest request) {
    List<dev.kiln.identity.Project> projects =
        directory.projectsOfUser(request.caller().userId()).stream()
            .filter(dev.kiln.identity.Project::enabled)
            .toList();
    return ApiResponse.ok(
        views(request).collection("projects", projects, views(request).projects(tags.tagsOf(projects))));
  }

  private ApiResponse domains(ApiRequest request) {
    List<dev.kiln.identity.Domain> domains =
        directory.domainsOfUser(request.caller().userId()).stream()
            .filter(dev.kiln.identity.Domain::enabled)
            .toList();
    return ApiResponse.ok(views(request).collection("domains", domains, views(request)::domain));
  }

  private ApiResponse catalog(ApiRequest request) {
    ObjectNode body =
        Json.wrap(
            "catalog",
            IdentityViews.catalog(directory.catalog().forToken(request.baseUrl(), request.caller().projectId())));
    ObjectNode links = body.putObject("links");
    links.put("self", views(request).v3Url() + "/auth/catalog");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  /**
   * A scoped token's catalog, read only when it is shown (never on validation by other services).
   * Keystone gives unscoped tokens none.
   */
  private List<CatalogEntry> catalogOf(ApiRequest request, TokenInfo info, boolean withCatalog) {
    if (!withCatalog || (info.project() == null && info.scopeDomain() == null)) {
      return null;
    }
    return directory.catalog().forToken(request.baseUrl(), info.project() == null ? null : info.project().id());
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
