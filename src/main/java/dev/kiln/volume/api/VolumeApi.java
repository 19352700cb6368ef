package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.kiln.volume.VolumeService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Cinder v3 at {@code /volume}: volumes, types, group types, QoS specs, snapshots, backups, transfers, quotas, attachments and the
 * volume actions, under {@code /v3/{project_id}}.
 */
public final class VolumeApi implements HttpService {
  public static final String PREFIX = "/volume";
  /** The microversions Kiln's volume API implements; raised as behaviour is added. */
  public static final Microversions MICROVERSIONS =
      new Microversions("volume", null, new ApiVersion(3, 0), new ApiVersion(3, 60));

  private final ServiceContext context;
  private final VolumeService service;

  public VolumeApi(String publicUrl, CallerResolver callers, VolumeService service) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NOVA, callers, MICROVERSIONS, ServiceMount.of(PREFIX, "volumev3", "block-storage"));
    this.service = requireNonNull(service, "service is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    // cinderclient discovers versions at the endpoint's parent: both answer the list.
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.status(300, versions(request.baseUrl())))
        .get("/v3", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())));
    new VolumesApi(service).register(routes);
    new VolumeActionsApi(service).register(routes);
    new SnapshotsApi(service).register(routes);
    new BackupsApi(service.backups()).register(routes);
    new AttachmentsApi(service).register(routes);
    new TypesApi(service.types(), service.typeAccess()).register(routes);
    new EncryptionApi(service.types().encryption()).register(routes);
    new QosSpecsApi(service.qos()).register(routes);
    new TransfersApi(service.transfers()).register(routes);
    new GroupTypesApi(service.groupTypes()).register(routes);
    new GroupsApi(service.groups()).register(routes);
    new GroupSnapshotsApi(service.groupSnapshots()).register(routes);
    new MessagesApi(service.messages()).register(routes);
    new QuotasApi(service.quotas()).register(routes);
    new LimitsApi(service.quotas()).register(routes);
    new ServicesApi(service.services()).register(routes);
    new BackendsApi(service.services()).register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(
            VersionDocs.withMicroversions(
                VersionDocs.version(
                    "v3.0",
                    "CURRENT",
                    "2023-08-31T00:00:00Z",
                    baseUrl + PREFIX + "/v3/",
                    "application/vnd.openstack.volume+json;version=3"),
                MICROVERSIONS));
    return body;
  }
}
