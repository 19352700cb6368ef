package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.PortBinding;
import dev.kiln.network.PortBindings;

/** {@code /v2.0/ports/{port_id}/bindings}: the port-bindings extension, admin only as in Neutron. */
final class PortBindingsApi {
  private final PortBindings bindings;

  PortBindingsApi(PortBindings bindings) {
    this.bindings = requireNonNull(bindings, "bindings is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v2.0/ports/{port_id}/bindings";
    routes
        .get(base, Access.ADMIN, this::list)
        .post(base, Access.ADMIN, this::create)
        .get(base + "/{host}", Access.ADMIN, this::show)
        .put(base + "/{host}/activate", Access.ADMIN, this::activate)
        .delete(base + "/{host}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ArrayNode list = Json.array();
    for (PortBinding b : bindings.list(request.pathParam("port_id"))) {
      list.add(NeutronListQuery.fields(request, NetworkViews.binding(b)));
    }
    return ApiResponse.ok(Json.wrap("bindings", list));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "binding");
    in.allowOnly("host", "vnic_type", "profile");
    String profile = null;
    if (in.has("profile") && !in.isNull("profile")) {
      if (!in.raw("profile").isObject()) {
        throw in.invalid("profile", "expected an object");
      }
      profile = in.raw("profile").toString();
    }
    PortBinding binding =
        bindings.create(
            request.pathParam("port_id"),
            in.nonBlankString("host", 255),
            in.optionalString("vnic_type").orElse(null),
            profile);
    return ApiResponse.created(Json.wrap("binding", NetworkViews.binding(binding)));
  }

  private ApiResponse show(ApiRequest request) {
    PortBinding binding = bindings.show(request.pathParam("port_id"), request.pathParam("host"));
    return ApiResponse.ok(Json.wrap("binding", NeutronListQuery.fields(request, NetworkViews.binding(binding))));
  }

  private ApiResponse activate(ApiRequest request) {
    PortBinding binding = bindings.activate(request.pathParam("port_id"), request.pathParam("host"));
    return ApiResponse.ok(Json.wrap("binding", NetworkViews.binding(binding)));
  }

  private ApiResponse delete(ApiRequest request) {
    bindings.delete(request.pathParam("port_id"), request.pathParam("host"));
    return ApiResponse.noContent();
  }
}
