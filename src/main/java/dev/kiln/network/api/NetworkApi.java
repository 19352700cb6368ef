package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.VersionDocs;
import dev.kiln.network.NetworkService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Neutron v2.0 at {@code /networking}: networks, subnets, ports, bindings, security groups and
 * quotas.
 */
public final class NetworkApi implements HttpService {
  public static final String PREFIX = "/networking";
  private static final String[] RESOURCES = {
    "network", "subnet", "port", "security_group", "security_group_rule", "extension"
  };

  private final ServiceContext context;
  private final NetworkService service;

  public NetworkApi(String publicUrl, CallerResolver callers, NetworkService service) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NEUTRON, callers, null);
    this.service = requireNonNull(service, "service is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.0", Access.AUTHENTICATED, request -> ApiResponse.ok(resources(request.baseUrl())));
    new ExtensionsApi().register(routes);
    new NetworksApi(service.networks(), service.subnets()).register(routes);
    new SubnetsApi(service.subnets()).register(routes);
    new PortsApi(service.ports()).register(routes);
    new PortBindingsApi(service.bindings()).register(routes);
    new SecurityGroupsApi(service.securityGroups()).register(routes);
    new QuotasApi(service.quotas()).register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(VersionDocs.version("v2.0", "CURRENT", null, baseUrl + PREFIX + "/v2.0/", null));
    return body;
  }

  private static ObjectNode resources(String baseUrl) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("resources");
    for (String name : RESOURCES) {
      String collection = name.replace('_', '-') + "s";
      ObjectNode r = list.addObject();
      r.put("name", name);
      r.put("collection", collection);
      r.putArray("links").addObject().put("rel", "self").put("href", baseUrl + PREFIX + "/v2.0/" + collection);
    }
    return body;
  }
}
