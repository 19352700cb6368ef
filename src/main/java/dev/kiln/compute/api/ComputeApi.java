package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.ServerServices;
import dev.kiln.compute.fleet.UsageAudits;
import dev.kiln.image.ImageService;
import dev.kiln.http.Access;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.ApiVersion;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.Microversions;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.ServiceMount;
import dev.kiln.http.VersionDocs;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Nova v2.1 at {@code /compute}: version documents, flavors, keypairs, hypervisors, services,
 * availability zones, servers (with their actions, moves, interfaces and volumes), server groups,
 * migrations, quotas and limits, host aggregates, and Kiln's own {@code os-kiln-faults}
 * and {@code os-kiln-metadata}.
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
   * (limit, marker, changes-since), 2.62 event hostId/host, 2.66 changes-before; for moves
   * (rebuild, resize, confirm/revert, migrate) 2.19 rebuild description, 2.23 os-migrations
   * migration_type, 2.54 rebuild key_name, 2.56 migrate to a host, 2.57 rebuild user_data (no
   * personality), 2.59 os-migrations uuid, paging and changes-since, 2.66 changes-before; for
   * server groups 2.13 project/user ids, 2.15 soft policies, 2.64 policy and rules, 2.71
   * server_groups in a server; for interfaces and volumes 2.49 tags on attach, 2.60 multiattach,
   * 2.70 tags shown, 2.79 delete_on_termination; for live migration 2.22 force_complete, 2.23 the
   * migrations under way, 2.24 abort, 2.25 block_migration "auto", 2.30 force, 2.65 abort while
   * queued or preparing, 2.68 no force; for quotas and limits 2.36 without
   * nova-network's quotas, 2.39 without maxImageMeta, 2.50 quota classes with server groups, 2.57
   * without personality files; for the proxies to Networking and Block Storage 2.36 their
   * removal (404); 2.40 paging of simple tenant usage; 2.41 aggregate uuids; 2.43 removes
   * os-hosts. Every other version up to 2.79 changes only APIs Kiln does not have yet (consoles),
   * so these still answer as their versions say once they arrive.
   */
  public static final Microversions MICROVERSIONS =
      new Microversions(
          "compute", "X-OpenStack-Nova-API-Version", new ApiVersion(2, 1), new ApiVersion(2, 79));

  private final ServiceContext context;
  private final ComputeService compute;
  private final ServerServices servers;
  private final ImageService images;

  public ComputeApi(
      String publicUrl, CallerResolver callers, ComputeService compute, ServerServices servers, ImageService images) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NOVA, callers, MICROVERSIONS, ServiceMount.of(PREFIX, "compute"));
    this.compute = requireNonNull(compute, "compute is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.images = requireNonNull(images, "images is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.1", Access.PUBLIC, request -> ApiResponse.ok(Json.wrap("version", v21(request.baseUrl()))))
        // The v2.0 entry's own link answers its version document, as Nova's does.
        .get("/v2", Access.PUBLIC, request -> ApiResponse.ok(Json.wrap("version", v20(request.baseUrl()))));
    new FlavorsApi(compute.flavors()).register(routes);
    new KeypairsApi(compute.keypairs()).register(routes);
    new ServersApi(servers.servers()).register(routes);
    new ServerTagsApi(servers.servers().tags()).register(routes);
    LiveMigrationsApi live = new LiveMigrationsApi(servers.liveMigrations());
    FloatingIpsProxyApi floatingIps = new FloatingIpsProxyApi(servers.floatingIps());
    floatingIps.register(routes);
    new SecurityGroupsProxyApi(servers.proxies().securityGroups(), servers.securityGroups()).register(routes);
    new NetworksProxyApi(servers.proxies().networks()).register(routes);
    new VolumesProxyApi(servers.proxies().volumes()).register(routes);
    new ServerActionsApi(
            servers.actions(), new MoveActionsApi(servers.moves(), servers.rebuilds(), servers.servers()), live,
            new SnapshotActionsApi(servers.snapshots()), servers.securityGroups(), servers.servers(),
            servers.rescues(), servers.shelves(), floatingIps)
        .register(routes);
    live.register(routes);
    new MigrationsApi(servers.moves()).register(routes);
    new ServerGroupsApi(servers.servers().groups()).register(routes);
    new InterfacesApi(servers.interfaces()).register(routes);
    new VolumeAttachmentsApi(servers.volumeAttachments()).register(routes);
    new InstanceActionsApi(servers.actions()).register(routes);
    new HypervisorsApi(compute.fleet()).register(routes);
    new ServicesApi(compute.fleet()).register(routes);
    new HostsApi(compute.fleet(), servers.usage()).register(routes);
    new SimpleTenantUsageApi(servers.usage()).register(routes);
    new InstanceUsageAuditLogApi(new UsageAudits(compute.fleet())).register(routes);
    new AvailabilityZonesApi(compute.fleet()).register(routes);
    new AggregatesApi(compute.aggregates()).register(routes);
    new QuotaSetsApi(compute.quotas()).register(routes);
    new QuotaClassSetsApi(compute.quotas()).register(routes);
    new LimitsApi(compute.quotas()).register(routes);
    new KilnFaultsApi(compute.driverSettings(), compute.fleet()::isKnown).register(routes);
    new InstanceMetadataApi(servers.metadata()).register(routes);
    new ImagesProxyApi(images).register(routes);
    new ServerExternalEventsApi(compute.externalEvents()).register(routes);
    new ServerDiagnosticsApi(servers.diagnostics()).register(routes);
    new ServerPasswordApi(servers.servers()).register(routes);
    new ExtensionsApi().register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    ArrayNode versions = body.putArray("versions");
    versions.add(v20(baseUrl));
    versions.add(v21(baseUrl));
    return body;
  }

  /**
   * Nova lists the v2.0 API first, as SUPPORTED, with no microversions; Kiln lists it as Nova does
   * and answers its version document, but serves the API itself only as v2.1 (which v2.0 clients
   * reach by its own URL from the catalog).
   */
  private static ObjectNode v20(String baseUrl) {
    ObjectNode v =
        VersionDocs.version(
            "v2.0", "SUPPORTED", "2011-01-21T11:33:21Z", baseUrl + PREFIX + "/v2/",
            "application/vnd.openstack.compute+json;version=2");
    v.put("version", "");
    v.put("min_version", "");
    return v;
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
