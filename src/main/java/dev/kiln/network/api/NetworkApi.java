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
import dev.kiln.http.ServiceMount;
import dev.kiln.http.VersionDocs;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Tags;
import java.util.List;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Neutron v2.0 at {@code /networking}: networks, subnets, ports, bindings, security groups,
 * quotas, routers, floating IPs, subnet pools, trunks, RBAC policies and tags.
 */
public final class NetworkApi implements HttpService {
  public static final String PREFIX = "/networking";
  private static final String JSON_SUFFIX = ".json";
  private static final String[] RESOURCES = {
    "network", "subnet", "port", "security_group", "security_group_rule", "router", "floatingip", "subnetpool",
    "address_scope", "trunk", "rbac_policy", "extension"
  };

  private final ServiceContext context;
  private final NetworkService service;

  public NetworkApi(String publicUrl, CallerResolver callers, NetworkService service) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NEUTRON, callers, null, ServiceMount.of(PREFIX, "network"));
    this.service = requireNonNull(service, "service is null");
  }

  @Override
  public void routing(HttpRules rules) {
    // Neutron's API router takes a format suffix on any path ("/v2.0/networks.json"); JSON is its only format.
    rules.any(
        (request, response) -> {
          String path = request.path().absolute().path();
          if (path.endsWith(JSON_SUFFIX)) {
            response.reroute(path.substring(0, path.length() - JSON_SUFFIX.length()), request.query());
          } else {
            response.next();
          }
        });
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.0", Access.AUTHENTICATED, request -> ApiResponse.ok(resources(request.baseUrl())));
    new ExtensionsApi().register(routes);
    Tags tags = service.tags();
    new NetworksApi(service.networks(), service.subnets(), tags).register(routes);
    new SubnetsApi(service.subnets(), tags, service.networks()).register(routes);
    new PortsApi(service.ports(), tags, service.trunks()).register(routes);
    new PortBindingsApi(service.bindings()).register(routes);
    new SecurityGroupsApi(service.securityGroups(), tags).register(routes);
    new QuotasApi(service.quotas()).register(routes);
    new RoutersApi(service.routers(), service.routerInterfaces(), tags).register(routes);
    new FloatingIpsApi(service.floatingIps(), service.ports(), tags, service.portForwardings()).register(routes);
    new PortForwardingsApi(service.portForwardings()).register(routes);
    new SubnetPoolsApi(service.subnetPools(), service.addressScopes(), tags).register(routes);
    new TrunksApi(service.trunks(), tags).register(routes);
    new RbacPoliciesApi(service.rbacPolicies()).register(routes);
    new AgentsApi().register(routes);
    new TagsApi(
            tags,
            List.of(
                new TagsApi.Collection("networks", "networks", service.networks()::visible),
                new TagsApi.Collection("subnets", "subnets", service.subnets()::visible),
                new TagsApi.Collection("ports", "ports", service.ports()::visible),
                new TagsApi.Collection("routers", "routers", service.routers()::visible),
                new TagsApi.Collection("floatingips", "floatingips", service.floatingIps()::visible),
                new TagsApi.Collection("security-groups", "security_groups", service.securityGroups()::get),
                new TagsApi.Collection("subnetpools", "subnetpools", service.subnetPools()::visible),
                new TagsApi.Collection("trunks", "trunks", service.trunks()::visible)))
        .register(routes);
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
      String dashed = name.replace('_', '-');
      String collection = dashed.endsWith("y") ? dashed.substring(0, dashed.length() - 1) + "ies" : dashed + "s";
      ObjectNode r = list.addObject();
      r.put("name", name);
      r.put("collection", collection);
      r.putArray("links").addObject().put("rel", "self").put("href", baseUrl + PREFIX + "/v2.0/" + collection);
    }
    return body;
  }
}
