package dev.kiln.orchestration.api;

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
 * Heat v1 at {@code /heat-api}. For now the version document; stacks arrive with the
 * orchestration engine.
 */
public final class OrchestrationApi implements HttpService {
  public static final String PREFIX = "/heat-api";

  private final ServiceContext context;

  public OrchestrationApi(String publicUrl, CallerResolver callers) {
    this.context = new ServiceContext(publicUrl, FaultStyle.HEAT, callers, null);
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes.get("/", Access.PUBLIC, request -> ApiResponse.status(300, versions(request.baseUrl())));
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(VersionDocs.version("v1.0", "CURRENT", null, baseUrl + PREFIX + "/v1/", null));
    return body;
  }
}
