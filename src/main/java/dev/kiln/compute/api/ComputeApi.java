package dev.kiln.compute.api;

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
import dev.kiln.http.VersionDocs;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Nova v2.1 at {@code /compute}. For now the version documents and microversion negotiation; the
 * compute collections arrive with the compute service.
 */
public final class ComputeApi implements HttpService {
  public static final String PREFIX = "/compute";
  /** The microversions Kiln's compute API implements; raised as behaviour is added. */
  public static final Microversions MICROVERSIONS =
      new Microversions(
          "compute", "X-OpenStack-Nova-API-Version", new ApiVersion(2, 1), new ApiVersion(2, 1));

  private final ServiceContext context;

  public ComputeApi(String publicUrl, CallerResolver callers) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NOVA, callers, MICROVERSIONS);
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.1", Access.PUBLIC, request -> ApiResponse.ok(Json.wrap("version", v21(request.baseUrl()))));
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
