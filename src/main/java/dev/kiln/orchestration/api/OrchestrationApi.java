package dev.kiln.orchestration.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.ServiceMount;
import dev.kiln.http.VersionDocs;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.api.HeatPolicy.Role;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Heat v1 at {@code /heat-api}: the version document, and under {@code /v1/{project_id}} the
 * stacks, their resources, events, outputs and actions, template validation and versions, resource
 * types and build info. Heat v1 has no microversions. Every answer and error body is Heat's.
 */
public final class OrchestrationApi implements HttpService {
  public static final String PREFIX = "/heat-api";

  private final ServiceContext context;
  private final OrchestrationService service;

  public OrchestrationApi(String publicUrl, CallerResolver callers, OrchestrationService service) {
    this.context = new ServiceContext(publicUrl, FaultStyle.HEAT, callers, null, ServiceMount.of(PREFIX, "orchestration"));
    this.service = requireNonNull(service, "service is null");
  }


  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes.get("/", Access.PUBLIC, request -> ApiResponse.status(300, versions(request.baseUrl())));
    routes.get("/v1/{project_id}/build_info", Access.AUTHENTICATED, OrchestrationApi::buildInfo);
    // Collection routes first: /stacks/preview and /stacks/detail must not be taken for names.
    StacksApi stacks = new StacksApi(service);
    stacks.register(routes);
    new StackApi(service, stacks).register(routes);
    new ResourcesApi(service).register(routes);
    new EventsApi(service).register(routes);
    new ActionsApi(service).register(routes);
    new TemplatesApi(service).register(routes);
    new ResourceTypesApi(service).register(routes);
    if (service.software() != null) {
      new SoftwareApi(service.software()).register(routes);
    }
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(VersionDocs.version("v1.0", "CURRENT", null, baseUrl + PREFIX + "/v1/", null));
    return body;
  }

  /** Heat reports its API's and engine's revision; both are Kiln's build here. */
  private static ApiResponse buildInfo(ApiRequest request) {
    HeatPolicy.enforce(request, "build_info", Role.READER);
    String version = OrchestrationApi.class.getPackage().getImplementationVersion();
    String revision = version == null ? "unknown" : "kiln-" + version;
    ObjectNode body = Json.object();
    body.putObject("api").put("revision", revision);
    body.putObject("engine").put("revision", revision);
    return ApiResponse.ok(body);
  }
}
