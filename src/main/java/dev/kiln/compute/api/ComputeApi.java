package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.InstanceMetadata;
import dev.kiln.compute.ServerActions;
import dev.kiln.compute.Servers;
import dev.kiln.http.Access;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.ApiVersion;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.Microversions;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.VersionDocs;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Nova v2.1 at {@code /compute}: version documents, flavors, keypairs, hypervisors, services,
 * availability zones, servers, an empty aggregate list, and Kiln's own {@code os-kiln-faults} and
 * {@code os-kiln-metadata}.
 */
public final class ComputeApi implements HttpService {
  public static final String PREFIX = "/compute";
  /**
   * The microversions Kiln's compute API implements; raised as behaviour is added. Up to 2.79, the
   * changes to the APIs that exist are implemented: 2.2 keypair type and 201/204 codes, 2.7 no
   * access list on public flavors, 2.10 keypairs of other users for admins, 2.11 services'
   * forced_down, 2.28 hypervisor cpu_info as an object, 2.33 hypervisor paging, 2.35 keypair
   * paging, 2.53 hypervisor and service UUIDs (with PUT /os-services/{id}, the hostname pattern and
   * with_servers), 2.55 flavor description, 2.61 extra_specs in flavors, 2.75 swap 0 instead of ""
   * and 400 for unknown query parameters; for servers 2.9 locked, 2.19 description, 2.26 tags,
   * 2.37 networks auto/none, 2.47 the embedded flavor, 2.73 locked_reason; for instance actions
   * 2.21 the actions of deleted servers, 2.51 events for non-admins, 2.58 updated_at and paging
   * (limit, marker, changes-since), 2.62 event hostId/host, 2.66 changes-before. Every other
   * version up to 2.79 changes only APIs Kiln does not have yet (other server actions, server
   * groups, migrations, quotas, consoles, os-hosts, proxies), so these still answer as their
   * versions say once they arrive.
   */
  public static final Microversions MICROVERSIONS =
      new Microversions(
          "compute", "X-OpenStack-Nova-API-Version", new ApiVersion(2, 1), new ApiVersion(2, 79));

  private final ServiceContext context;
  private final ComputeService compute;
  private final Servers servers;
  private final ServerActions actions;
  private final InstanceMetadata metadata;

  public ComputeApi(
      String publicUrl,
      CallerResolver callers,
      ComputeService compute,
      Servers servers,
      ServerActions actions,
      InstanceMetadata metadata) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NOVA, callers, MICROVERSIONS);
    this.compute = requireNonNull(compute, "compute is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.actions = requireNonNull(actions, "actions is null");
    this.metadata = requireNonNull(metadata, "metadata is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.1", Access.PUBLIC, request -> ApiResponse.ok(Json.wrap("version", v21(request.baseUrl()))));
    new FlavorsApi(compute.flavors()).register(routes);
    new KeypairsApi(compute.keypairs()).register(routes);
    new ServersApi(servers).register(routes);
    new ServerActionsApi(actions).register(routes);
    new ServerGroupsApi(servers.groups()).register(routes);
    new InstanceActionsApi(actions).register(routes);
    new HypervisorsApi(compute.fleet()).register(routes);
    new ServicesApi(compute.fleet()).register(routes);
    new AvailabilityZonesApi(compute.fleet()).register(routes);
    new AggregatesApi().register(routes);
    new KilnFaultsApi(compute.driverSettings(), compute.fleet()::isKnown).register(routes);
    new InstanceMetadataApi(metadata).register(routes);
    new ServerExternalEventsApi(compute.externalEvents()).register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions").add(v21(baseUrl));
    return body;
  }

  private static ObjectNode v21(String baseUrl) {
    return VersionDocs.withMicroversions(
        VersionDocs.version(
            "v2.1",
            "CURRENT",
            "2013-07-23T11:33:21Z",
            baseUrl + PREFIX + "/v2.1/",
            "application/vnd.openstack.compute+json;version=2.1"),
        MICROVERSIONS);
  }

}
