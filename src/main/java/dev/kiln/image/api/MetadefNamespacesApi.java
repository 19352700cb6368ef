package dev.kiln.image.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.image.ImageQuery;
import dev.kiln.image.metadef.MetadefNamespaces;
import dev.kiln.image.metadef.ResourceTypeAssociation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /v2/metadefs/namespaces} and {@code /v2/metadefs/resource_types}: metadata definition
 * namespaces, the resource types they apply to, and the metadef schemas.
 */
final class MetadefNamespacesApi {
  private static final List<String> SORT_KEYS = List.of("created_at", "updated_at", "namespace");

  private final MetadefNamespaces namespaces;

  MetadefNamespacesApi(MetadefNamespaces namespaces) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  void register(ApiRoutes routes) {
    schema(routes, "namespace", MetadefSchemas::namespace);
    schema(routes, "namespaces", MetadefSchemas::namespaces);
    schema(routes, "resource_type", MetadefSchemas::resourceTypeAssociation);
    schema(routes, "resource_types", MetadefSchemas::resourceTypeAssociations);
    schema(routes, "object", MetadefSchemas::object);
    schema(routes, "objects", MetadefSchemas::objects);
    schema(routes, "property", MetadefSchemas::property);
    schema(routes, "properties", MetadefSchemas::properties);
    schema(routes, "tag", MetadefSchemas::tag);
    schema(routes, "tags", MetadefSchemas::tags);
    String ns = MetadefViews.NAMESPACES;
    routes
        .get(ns, Access.AUTHENTICATED, this::list)
        .post(ns, Access.AUTHENTICATED, this::create)
        .get(ns + "/{namespace}", Access.AUTHENTICATED, this::show)
        .put(ns + "/{namespace}", Access.AUTHENTICATED, this::update)
        .delete(ns + "/{namespace}", Access.AUTHENTICATED, this::delete)
        .get("/v2/metadefs/resource_types", Access.AUTHENTICATED, this::resourceTypes)
        .get(ns + "/{namespace}/resource_types", Access.AUTHENTICATED, this::associations)
        .post(ns + "/{namespace}/resource_types", Access.AUTHENTICATED, this::associate)
        .delete(ns + "/{namespace}/resource_types/{resource_type}", Access.AUTHENTICATED, this::dissociate);
  }

  private static void schema(ApiRoutes routes, String name, Supplier<ObjectNode> schema) {
    routes.get("/v2/schemas/metadefs/" + name, Access.AUTHENTICATED, request -> ApiResponse.ok(schema.get()));
  }

  private ApiResponse list(ApiRequest request) {
    int limit = ImageQuery.DEFAULT_LIMIT;
    String rawLimit = request.query("limit").orElse(null);
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit param must be an integer");
      }
      if (limit < 0) {
        throw ApiError.badRequest("limit param must be positive");
      }
    }
    String sortKey = request.query("sort_key").orElse("created_at");
    if (!SORT_KEYS.contains(sortKey)) {
      throw ApiError.badRequest("Invalid sort key: " + sortKey + ". It must be one of " + SORT_KEYS + ".");
    }
    String sortDir = request.query("sort_dir").orElse("desc");
    if (!sortDir.equals("asc") && !sortDir.equals("desc")) {
      throw ApiError.badRequest("Invalid sort direction: " + sortDir);
    }
    Boolean publicOnly = null;
    String visibility = request.query("visibility").orElse(null);
    if (visibility != null && !visibility.isEmpty()) {
      if (!visibility.equals("public") && !visibility.equals("private")) {
        throw ApiError.badRequest("Invalid visibility value: " + visibility);
      }
      publicOnly = visibility.equals("public");
    }
    Set<String> resourceTypes =
        request.query("resource_types").map(v -> Arrays.stream(v.split(",")).map(String::strip)
            .filter(s -> !s.isEmpty()).collect(Collectors.toSet())).orElse(Set.of());
    MetadefNamespaces.Page page =
        namespaces.list(
            request.caller().actor(),
            new MetadefNamespaces.Query(
                publicOnly, resourceTypes, sortKey, sortDir.equals("asc"), request.query("marker").orElse(null),
                Math.min(limit, ImageQuery.MAX_LIMIT)));
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("namespaces");
    page.namespaces().forEach(n -> list.add(MetadefViews.listed(n)));
    StringBuilder query = new StringBuilder();
    for (String name : request.queryNames()) {
      if (!name.equals("marker")) {
        for (String v : request.queryAll(name)) {
          query.append(query.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(v));
        }
      }
    }
    body.put("first", MetadefViews.NAMESPACES + (query.isEmpty() ? "" : "?" + query));
    if (page.next() != null) {
      String separator = query.isEmpty() ? "" : "&";
      body.put("next", MetadefViews.NAMESPACES + "?" + query + separator + "marker=" + encode(page.next()));
    }
    body.put("schema", "/v2/schemas/metadefs/namespaces");
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    MetadefNamespaces.Detail made = namespaces.create(request.caller().actor(), MetadefBodies.namespace(request.body()));
    return ApiResponse.created(MetadefViews.detail(made))
        .withHeader("Location", MetadefViews.NAMESPACES + "/" + made.namespace().namespace());
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(
        MetadefViews.detail(
            namespaces.show(
                request.caller().actor(), request.pathParam("namespace"), request.query("resource_type").orElse(null))));
  }

  private ApiResponse update(ApiRequest request) {
    return ApiResponse.ok(
        MetadefViews.namespace(
            namespaces.update(
                request.caller().actor(), request.pathParam("namespace"), MetadefBodies.namespace(request.body()))));
  }

  private ApiResponse delete(ApiRequest request) {
    namespaces.delete(request.caller().actor(), request.pathParam("namespace"));
    return ApiResponse.noContent();
  }

  private ApiResponse resourceTypes(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("resource_types");
    namespaces.resourceTypes().forEach(r -> list.add(MetadefViews.resourceType(r)));
    return ApiResponse.ok(body);
  }

  private ApiResponse associations(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("resource_type_associations");
    namespaces.associations(request.caller().actor(), request.pathParam("namespace"))
        .forEach(a -> list.add(MetadefViews.association(a)));
    return ApiResponse.ok(body);
  }

  private ApiResponse associate(ApiRequest request) {
    ResourceTypeAssociation input = MetadefBodies.association(request.body());
    ResourceTypeAssociation made =
        namespaces.associate(
            request.caller().actor(), request.pathParam("namespace"), input.name(), input.prefix(),
            input.propertiesTarget());
    return ApiResponse.created(MetadefViews.association(made));
  }

  private ApiResponse dissociate(ApiRequest request) {
    namespaces.dissociate(request.caller().actor(), request.pathParam("namespace"), request.pathParam("resource_type"));
    return ApiResponse.noContent();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
