package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.EndpointGroup;
import dev.kiln.identity.EndpointGroups;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** OS-EP-FILTER's {@code /v3/OS-EP-FILTER/endpoint_groups}, for admins. */
final class EndpointGroupsApi {
  private static final String BASE = "/v3/OS-EP-FILTER/endpoint_groups";

  private final EndpointGroups groups;

  EndpointGroupsApi(EndpointGroups groups) {
    this.groups = requireNonNull(groups, "groups is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(BASE, Access.ADMIN, this::list)
        .post(BASE, Access.ADMIN, this::create)
        .get(BASE + "/{group_id}", Access.ADMIN, this::show)
        .head(BASE + "/{group_id}", Access.ADMIN, this::check)
        .patch(BASE + "/{group_id}", Access.ADMIN, this::update)
        .delete(BASE + "/{group_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = CatalogApi.listBody("endpoint_groups", groups.groups(), g -> view(g, views), views);
    body.with("links").put("self", views.v3Url() + "/OS-EP-FILTER/endpoint_groups");
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "endpoint_group");
    in.allowOnly("name", "description", "filters");
    EndpointGroup g =
        groups.create(
            in.nonBlankString("name", 255), in.optionalString("description").orElse(""), filters(in));
    return ApiResponse.created(wrap(g, request));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(wrap(groups.group(request.pathParam("group_id")), request));
  }

  private ApiResponse check(ApiRequest request) {
    groups.group(request.pathParam("group_id"));
    return ApiResponse.status(200, null);
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "endpoint_group");
    in.allowOnly("name", "description", "filters");
    EndpointGroup g =
        groups.update(
            request.pathParam("group_id"),
            in.has("name") ? in.nonBlankString("name", 255) : null,
            in.optionalString("description").orElse(null),
            in.has("filters") ? filters(in) : null);
    return ApiResponse.ok(wrap(g, request));
  }

  private ApiResponse delete(ApiRequest request) {
    groups.delete(request.pathParam("group_id"));
    return ApiResponse.noContent();
  }

  private static Map<String, String> filters(JsonInput in) {
    JsonInput filters = in.object("filters");
    filters.allowOnly("interface", "service_id", "region_id");
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode raw = in.raw("filters");
    Iterator<String> names = raw.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      out.put(name, filters.string(name, 255));
    }
    return out;
  }

  private static ObjectNode wrap(EndpointGroup g, ApiRequest request) {
    ObjectNode body = Json.object();
    body.set("endpoint_group", view(g, new IdentityViews(request.baseUrl())));
    return body;
  }

  private static ObjectNode view(EndpointGroup g, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", g.id());
    n.put("name", g.name());
    n.put("description", g.description());
    ObjectNode filters = n.putObject("filters");
    g.filters().forEach(filters::put);
    n.putObject("links").put("self", views.v3Url() + "/OS-EP-FILTER/endpoint_groups/" + g.id());
    return n;
  }
}
