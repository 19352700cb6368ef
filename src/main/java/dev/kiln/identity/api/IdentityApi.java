package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.ServiceMount;
import dev.kiln.http.CallerResolver;
import dev.kiln.identity.ApplicationCredentials;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Groups;
import dev.kiln.identity.OAuthTokens;
import dev.kiln.identity.ProjectTags;
import dev.kiln.identity.RoleAssignments;
import dev.kiln.identity.TokenService;
import dev.kiln.identity.UserCredentials;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** Keystone v3 at {@code /identity}: the version documents and every identity collection. */
public final class IdentityApi implements HttpService {
  public static final String PREFIX = "/identity";

  private final ServiceContext context;
  private final TokenService tokens;
  private final Directory directory;
  private final Groups groups;
  private final ApplicationCredentials appCredentials;
  private final UserCredentials credentials;
  private final ProjectTags projectTags;

  public IdentityApi(
      String publicUrl,
      CallerResolver callers,
      TokenService tokens,
      Directory directory,
      Groups groups,
      ApplicationCredentials appCredentials,
      UserCredentials credentials,
      ProjectTags projectTags) {
    this.context = new ServiceContext(publicUrl, FaultStyle.KEYSTONE, callers, null, ServiceMount.of(PREFIX, "identity"));
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.groups = requireNonNull(groups, "groups is null");
    this.appCredentials = requireNonNull(appCredentials, "appCredentials is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.projectTags = requireNonNull(projectTags, "projectTags is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.status(300, versions(request.baseUrl())))
        .get("/v3", Access.PUBLIC, request -> ApiResponse.ok(Json.wrap("version", v3(request.baseUrl()))));
    OAuthTokens oauthTokens = directory.oauthTokens();
    new AuthApi(tokens, directory, projectTags, oauthTokens).register(routes);
    // Before DomainsApi: /v3/domains/config/... must not be read as a domain id.
    new DomainConfigApi(directory.domainConfigs()).register(routes);
    new DomainsApi(directory).register(routes);
    new ProjectsApi(directory, projectTags).register(routes);
    new UsersApi(directory, projectTags).register(routes);
    new RolesApi(directory).register(routes);
    new GroupsApi(groups).register(routes);
    new GrantsApi(directory, groups).register(routes);
    new InheritedGrantsApi(directory.inheritedGrants()).register(routes);
    new RoleAssignmentsApi(
            new RoleAssignments(directory, groups, directory.inheritedGrants(), directory.roleInferences()),
            directory,
            groups)
        .register(routes);
    new RoleInferencesApi(directory.roleInferences()).register(routes);
    new PoliciesApi(directory.policies()).register(routes);
    new OAuthConsumersApi(directory.oauthConsumers()).register(routes);
    new OAuthTokensApi(oauthTokens, tokens).register(routes);
    new OAuthAccessTokensApi(oauthTokens, tokens).register(routes);
    new ApplicationCredentialsApi(appCredentials, tokens).register(routes);
    new CredentialsApi(credentials).register(routes);
    new CatalogApi(directory.catalog()).register(routes);
    new EndpointGroupsApi(directory.endpointGroups()).register(routes);
    new TrustsApi(directory.trusts(), tokens).register(routes);
    new AccessRulesApi(directory.accessRules()).register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putObject("versions").putArray("values").add(v3(baseUrl));
    return body;
  }


  private static ObjectNode v3(String baseUrl) {
    ObjectNode v = Json.object();
    v.put("id", "v3.14");
    v.put("status", "stable");
    v.put("updated", "2020-04-07T00:00:00Z");
    v.putArray("links").addObject().put("rel", "self").put("href", baseUrl + PREFIX + "/v3/");
    v.putArray("media-types")
        .addObject()
        .put("base", "application/json")
        .put("type", "application/vnd.openstack.identity-v3+json");
    return v;
  }
}
