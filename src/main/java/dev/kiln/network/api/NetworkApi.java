package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.FaultStyle;
import dev.kiln.http.Json;
import dev.kiln.http.ServiceContext;
import dev.kiln.http.VersionDocs;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * Neutron v2.0 at {@code /networking}. For now the version document and the (empty) resource
 * list; networks, subnets and ports arrive with the network service.
 */
public final class NetworkApi implements HttpService {
  public static final String PREFIX = "/networking";

  private final ServiceContext context;

  public NetworkApi(String publicUrl, CallerResolver callers) {
    this.context = new ServiceContext(publicUrl, FaultStyle.NEUTRON, callers, null);
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())))
        .get("/v2.0", Access.AUTHENTICATED, request -> ApiResponse.ok(resources()));
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(VersionDocs.version("v2.0", "CURRENT", null, baseUrl + PREFIX + "/v2.0/", null));
    return body;
  }

  private static ObjectNode resources() {
    ObjectNode body = Json.object();
    body.putArray("resources");
    return body;
  }
}
