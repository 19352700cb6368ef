package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Catalog;
import dev.kiln.identity.CatalogEndpoint;
import dev.kiln.identity.CatalogService;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Region;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /v3/services}, {@code /v3/endpoints} and {@code /v3/regions}: anyone with a token reads
 * them, admins change them. Kiln's own services and endpoints are listed but fixed (403).
 */
final class CatalogApi {
  private static final int FIELD_MAX = 255;
  private static final Set<String> SERVICE_FIELDS = Set.of("id", "type", "name", "description", "enabled", "links");
  private static final Set<String> ENDPOINT_FIELDS =
      Set.of("id", "service_id", "interface", "url", "region", "region_id", "enabled", "links", "legacy_endpoint_id");
  private static final Set<String> REGION_FIELDS = Set.of("id", "description", "parent_region_id", "links");

  private final Catalog catalog;

  CatalogApi(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/services", Access.AUTHENTICATED, this::services)
        .post("/v3/services", Access.ADMIN, this::createService)
        .get("/v3/services/{service_id}", Access.AUTHENTICATED, this::service)
        .patch("/v3/services/{service_id}", Access.ADMIN, this::updateService)
        .delete("/v3/services/{service_id}", Access.ADMIN, this::deleteService)
        .get("/v3/endpoints", Access.AUTHENTICATED, this::endpoints)
        .post("/v3/endpoints", Access.ADMIN, this::createEndpoint)
        .get("/v3/endpoints/{endpoint_id}", Access.AUTHENTICATED, this::endpoint)
        .patch("/v3/endpoints/{endpoint_id}", Access.ADMIN, this::updateEndpoint)
        .delete("/v3/endpoints/{endpoint_id}", Access.ADMIN, this::deleteEndpoint)
        .get("/v3/regions", Access.AUTHENTICATED, this::regions)
        .post("/v3/regions", Access.ADMIN, request -> createRegion(request, null))
        .get("/v3/regions/{region_id}", Access.AUTHENTICATED, this::region)
        .put("/v3/regions/{region_id}", Access.ADMIN, request -> createRegion(request, request.pathParam("region_id")))
        .patch("/v3/regions/{region_id}", Access.ADMIN, this::updateRegion)
        .delete("/v3/regions/{region_id}", Access.ADMIN, this::deleteRegion);
  }

  // Services

  private ApiResponse services(ApiRequest request) {
    // Keystone filters by type and by name; `openstack endpoint list --service heat` asks by name.
    List<CatalogService> services =
        catalog.services(request.query("type").orElse(null), request.query("name").orElse(null));
    return ApiResponse.ok(listBody("services", services, s -> service(s, views(request)), views(request)));
  }

  private ApiResponse service(ApiRequest request) {
    return ApiResponse.ok(wrap("service", service(catalog.service(request.pathParam("service_id")), views(request))));
  }

  private ApiResponse createService(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "service");
    CatalogService s =
        catalog.createService(
            in.nonBlankString("type", FIELD_MAX),
            in.optionalString("name", FIELD_MAX).orElse(null),
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(true),
            ExtraAttributes.of(request.body().get("service"), SERVICE_FIELDS));
    return ApiResponse.created(wrap("service", service(s, views(request))));
  }

  private ApiResponse updateService(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "service");
    String id = request.pathParam("service_id");
    refuseOtherId(in, id);
    CatalogService old = catalog.service(id);
    CatalogService s =
        catalog.updateService(
            id,
            in.has("type") ? in.nonBlankString("type", FIELD_MAX) : null,
            in.optionalString("name", FIELD_MAX).orElse(null),
            in.optionalString("description").orElse(null),
            in.optionalBoolean("enabled").orElse(null),
            ExtraAttributes.merged(old.extra(), request.body().get("service"), SERVICE_FIELDS));
    return ApiResponse.ok(wrap("service", service(s, views(request))));
  }

  private ApiResponse deleteService(ApiRequest request) {
    catalog.deleteService(request.pathParam("service_id"));
    return ApiResponse.noContent();
  }

  // Endpoints

  private ApiResponse endpoints(ApiRequest request) {
    String iface = request.query("interface").orElse(null);
    List<CatalogEndpoint> endpoints =
        catalog.endpoints(
            request.baseUrl(), iface, request.query("service_id").orElse(null), request.query("region_id").orElse(null));
    return ApiResponse.ok(listBody("endpoints", endpoints, e -> endpoint(e, views(request)), views(request)));
  }

  private ApiResponse endpoint(ApiRequest request) {
    return ApiResponse.ok(
        wrap("endpoint", endpoint(catalog.endpoint(request.baseUrl(), request.pathParam("endpoint_id")), views(request))));
  }

  private ApiResponse createEndpoint(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "endpoint");
    CatalogEndpoint e =
        catalog.createEndpoint(
            in.nonBlankString("service_id", 64),
            in.string("interface"),
            in.nonBlankString("url", 2 * 1024),
            regionOf(in),
            in.optionalBoolean("enabled").orElse(true),
            ExtraAttributes.of(request.body().get("endpoint"), ENDPOINT_FIELDS));
    return ApiResponse.created(wrap("endpoint", endpoint(e, views(request))));
  }

  private ApiResponse updateEndpoint(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "endpoint");
    String id = request.pathParam("endpoint_id");
    refuseOtherId(in, id);
    CatalogEndpoint old = catalog.endpoint(request.baseUrl(), id);
    CatalogEndpoint e =
        catalog.updateEndpoint(
            request.baseUrl(),
            id,
            in.has("service_id") ? in.nonBlankString("service_id", 64) : null,
            in.optionalString("interface").orElse(null),
            in.has("url") ? in.nonBlankString("url", 2 * 1024) : null,
            regionOf(in),
            in.optionalBoolean("enabled").orElse(null),
            ExtraAttributes.merged(old.extra(), request.body().get("endpoint"), ENDPOINT_FIELDS));
    return ApiResponse.ok(wrap("endpoint", endpoint(e, views(request))));
  }

  private ApiResponse deleteEndpoint(ApiRequest request) {
    catalog.deleteEndpoint(request.baseUrl(), request.pathParam("endpoint_id"));
    return ApiResponse.noContent();
  }

  /** {@code region_id}, or the older {@code region}; both given must agree, as Keystone checks. */
  private static String regionOf(JsonInput in) {
    String regionId = in.optionalString("region_id", FIELD_MAX).orElse(null);
    String region = in.optionalString("region", FIELD_MAX).orElse(null);
    if (regionId != null && region != null && !regionId.equals(region)) {
      throw ApiError.badRequest(
          "ValidationError",
          "Invalid input: 'region' (" + region + ") and 'region_id' (" + regionId + ") name different regions.");
    }
    return regionId != null ? regionId : region;
  }

  // Regions

  private ApiResponse regions(ApiRequest request) {
    ListFilter filter = QueryFilters.strings(request, ListFilter.none(), "parent_region_id");
    return ApiResponse.ok(listBody("regions", catalog.regions(filter), r -> region(r, views(request)), views(request)));
  }

  private ApiResponse region(ApiRequest request) {
    return ApiResponse.ok(wrap("region", region(catalog.region(request.pathParam("region_id")), views(request))));
  }

  private ApiResponse createRegion(ApiRequest request, String pathId) {
    JsonInput in = JsonInput.wrapped(request.body(), "region");
    String id = in.optionalString("id", FIELD_MAX).orElse(null);
    if (pathId != null && id != null && !id.equals(pathId)) {
      throw ApiError.badRequest(
          "ValidationError", "The region id in the body (" + id + ") differs from the one in the URL (" + pathId + ").");
    }
    if (pathId != null && pathId.length() > FIELD_MAX) {
      throw ApiError.badRequest("ValidationError", "A region id is at most " + FIELD_MAX + " characters long.");
    }
    Region r =
        catalog.createRegion(
            pathId != null ? pathId : id,
            in.optionalString("description").orElse(""),
            in.optionalString("parent_region_id", FIELD_MAX).orElse(null),
            ExtraAttributes.of(request.body().get("region"), REGION_FIELDS));
    return ApiResponse.created(wrap("region", region(r, views(request))));
  }

  private ApiResponse updateRegion(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "region");
    String id = request.pathParam("region_id");
    refuseOtherId(in, id);
    Region old = catalog.region(id);
    String parent = in.isNull("parent_region_id") ? "" : in.optionalString("parent_region_id", FIELD_MAX).orElse(null);
    Region r =
        catalog.updateRegion(
            id,
            in.optionalString("description").orElse(null),
            parent,
            ExtraAttributes.merged(old.extra(), request.body().get("region"), REGION_FIELDS));
    return ApiResponse.ok(wrap("region", region(r, views(request))));
  }

  private ApiResponse deleteRegion(ApiRequest request) {
    catalog.deleteRegion(request.pathParam("region_id"));
    return ApiResponse.noContent();
  }

  private static void refuseOtherId(JsonInput in, String id) {
    if (in.has("id") && !id.equals(in.optionalString("id").orElse(id))) {
      throw ApiError.badRequest("ValidationError", "The id of a record cannot be changed.");
    }
  }

  // Views

  static ObjectNode service(CatalogService s, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", s.id());
    n.put("type", s.type());
    if (s.name() != null) {
      n.put("name", s.name());
    }
    if (s.description() != null) {
      n.put("description", s.description());
    }
    n.put("enabled", s.enabled());
    n.putObject("links").put("self", views.v3Url() + "/services/" + s.id());
    ExtraAttributes.addTo(n, s.extra());
    return n;
  }

  static ObjectNode endpoint(CatalogEndpoint e, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", e.id());
    n.put("interface", e.iface());
    n.put("region", e.regionId());
    n.put("region_id", e.regionId());
    n.put("service_id", e.serviceId());
    n.put("url", e.url());
    n.put("enabled", e.enabled());
    n.putObject("links").put("self", views.v3Url() + "/endpoints/" + e.id());
    ExtraAttributes.addTo(n, e.extra());
    return n;
  }

  static ObjectNode region(Region r, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("description", r.description());
    n.put("parent_region_id", r.parentRegionId());
    n.putObject("links").put("self", views.v3Url() + "/regions/" + r.id());
    ExtraAttributes.addTo(n, r.extra());
    return n;
  }

  static <T> ObjectNode listBody(String key, List<T> items, Function<T, ObjectNode> view, IdentityViews views) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray(key);
    items.forEach(item -> list.add(view.apply(item)));
    ObjectNode links = body.putObject("links");
    links.put("self", views.v3Url() + "/" + key);
    links.putNull("previous");
    links.putNull("next");
    return body;
  }

  private static ObjectNode wrap(String key, ObjectNode value) {
    ObjectNode body = Json.object();
    body.set(key, value);
    return body;
  }

  private static IdentityViews views(ApiRequest request) {
    return new IdentityViews(request.baseUrl());
  }
}
