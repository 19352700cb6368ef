package dev.kiln.identity.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.identity.ServiceCatalog;
import dev.kiln.identity.ServiceCatalog.Service;

/**
 * {@code /v3/services}, {@code /v3/endpoints} and {@code /v3/regions}: read-only, because Kiln's
 * catalog is fixed by what it serves.
 */
final class CatalogApi {

  CatalogApi() {
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/services", Access.AUTHENTICATED, this::services)
        .get("/v3/services/{service_id}", Access.AUTHENTICATED, this::service)
        .get("/v3/endpoints", Access.AUTHENTICATED, this::endpoints)
        .get("/v3/regions", Access.AUTHENTICATED, this::regions)
        .get("/v3/regions/{region_id}", Access.AUTHENTICATED, this::region);
  }

  private ApiResponse services(ApiRequest request) {
    ArrayNode list = Json.array();
    for (Service s : ServiceCatalog.SERVICES) {
      // Keystone filters by type and by name; `openstack endpoint list --service heat` asks by name.
      if (request.query("type").map(t -> t.equals(s.type())).orElse(true)
          && request.query("name").map(n -> n.equals(s.name())).orElse(true)) {
        list.add(service(s, views(request)));
      }
    }
    return ApiResponse.ok(listBody("services", list, views(request)));
  }

  private ApiResponse service(ApiRequest request) {
    String id = request.pathParam("service_id");
    return ServiceCatalog.SERVICES.stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .map(s -> ApiResponse.ok(views(request).wrap("service", service(s, views(request)))))
        .orElseThrow(() -> ApiError.notFound("ServiceNotFound", "Could not find service: " + id + "."));
  }

  private ApiResponse endpoints(ApiRequest request) {
    ArrayNode list = Json.array();
    for (Service s : ServiceCatalog.SERVICES) {
      if (request.query("service_id").map(id -> !id.equals(s.id())).orElse(false)) {
        continue;
      }
      for (String iface : ServiceCatalog.INTERFACES) {
        if (request.query("interface").map(i -> !i.equals(iface)).orElse(false)) {
          continue;
        }
        ObjectNode e = list.addObject();
        e.put("id", s.endpointId(iface));
        e.put("interface", iface);
        e.put("region", ServiceCatalog.REGION);
        e.put("region_id", ServiceCatalog.REGION);
        e.put("service_id", s.id());
        // Keystone stores templated URLs; clients substitute the project themselves.
        e.put("url", request.baseUrl() + s.path().replace("{project_id}", "$(project_id)s"));
        e.put("enabled", true);
        e.putObject("links").put("self", views(request).v3Url() + "/endpoints/" + s.endpointId(iface));
      }
    }
    return ApiResponse.ok(listBody("endpoints", list, views(request)));
  }

  private ApiResponse regions(ApiRequest request) {
    ArrayNode list = Json.array();
    list.add(region(views(request)));
    return ApiResponse.ok(listBody("regions", list, views(request)));
  }

  private ApiResponse region(ApiRequest request) {
    if (!request.pathParam("region_id").equals(ServiceCatalog.REGION)) {
      throw ApiError.notFound(
          "RegionNotFound", "Could not find region: " + request.pathParam("region_id") + ".");
    }
    return ApiResponse.ok(views(request).wrap("region", region(views(request))));
  }

  private static ObjectNode region(IdentityViews views) {
    ObjectNode r = Json.object();
    r.put("id", ServiceCatalog.REGION);
    r.put("description", "");
    r.putNull("parent_region_id");
    r.putObject("links").put("self", views.v3Url() + "/regions/" + ServiceCatalog.REGION);
    return r;
  }

  private static ObjectNode service(Service s, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", s.id());
    n.put("type", s.type());
    n.put("name", s.name());
    n.put("enabled", true);
    n.put("description", "");
    n.putObject("links").put("self", views.v3Url() + "/services/" + s.id());
    return n;
  }

  private static ObjectNode listBody(String key, ArrayNode list, IdentityViews views) {
    ObjectNode body = Json.object();
    body.set(key, list);
    ObjectNode links = body.putObject("links");
    links.put("self", views.v3Url() + "/" + key);
    links.putNull("previous");
    links.putNull("next");
    return body;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
