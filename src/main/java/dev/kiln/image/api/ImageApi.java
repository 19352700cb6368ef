package dev.kiln.image.api;

import static java.util.Objects.requireNonNull;

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
import dev.kiln.image.ImageService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** Glance v2 at {@code /image}: images, their data, tags and members, metadata definitions, and the schemas. */
public final class ImageApi implements HttpService {
  public static final String PREFIX = "/image";

  private final ServiceContext context;
  private final ImageService service;

  public ImageApi(String publicUrl, CallerResolver callers, ImageService service) {
    this.context = new ServiceContext(publicUrl, FaultStyle.GLANCE, callers, null, ServiceMount.of(PREFIX, "image"));
    this.service = requireNonNull(service, "service is null");
  }

  @Override
  public void routing(HttpRules rules) {
    ApiRoutes routes = new ApiRoutes(rules, context);
    routes
        .get("/", Access.PUBLIC, request -> ApiResponse.status(300, versions(request.baseUrl())))
        .get("/versions", Access.PUBLIC, request -> ApiResponse.ok(versions(request.baseUrl())));
    new ImagesApi(service.images()).register(routes);
    new MembersApi(service.members()).register(routes);
    new MetadefNamespacesApi(service.namespaces()).register(routes);
    new MetadefContentsApi(service.metadefContents()).register(routes);
    routes.unmatchedIsNotFound();
  }

  private static ObjectNode versions(String baseUrl) {
    ObjectNode body = Json.object();
    body.putArray("versions")
        .add(VersionDocs.version("v2.0", "CURRENT", null, baseUrl + PREFIX + "/v2/", null));
    return body;
  }
}
