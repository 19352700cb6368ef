package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.PortForwarding;
import dev.kiln.network.PortForwardings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /v2.0/floatingips/{id}/port_forwardings}: a floating IP's port forwardings. */
final class PortForwardingsApi {
  private static final String FORWARDINGS = "/v2.0/floatingips/{floatingip_id}/port_forwardings";

  static final Set<String> ATTRIBUTES =
      Set.of(
          "id", "internal_port_id", "internal_ip_address", "internal_port", "external_port", "protocol",
          "description");

  private final PortForwardings forwardings;

  PortForwardingsApi(PortForwardings forwardings) {
    this.forwardings = requireNonNull(forwardings, "forwardings is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(FORWARDINGS, Access.AUTHENTICATED, this::list)
        .post(FORWARDINGS, Access.AUTHENTICATED, this::create)
        .get(FORWARDINGS + "/{port_forwarding_id}", Access.AUTHENTICATED, this::show)
        .put(FORWARDINGS + "/{port_forwarding_id}", Access.AUTHENTICATED, this::update)
        .delete(FORWARDINGS + "/{port_forwarding_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    String fip = request.pathParam("floatingip_id");
    List<ObjectNode> all = new ArrayList<>();
    forwardings.list(request.caller().actor(), fip).forEach(f -> all.add(render(f)));
    return ApiResponse.ok(
        NeutronListQuery.answer(
            request, "port_forwardings",
            request.baseUrl() + NetworkApi.PREFIX + "/v2.0/floatingips/" + fip + "/port_forwardings", all, ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "port_forwarding");
    in.allowOnly(
        "internal_port_id", "internal_ip_address", "internal_port", "external_port", "protocol", "description",
        "project_id", "tenant_id");
    PortForwarding made = forwardings.create(request.caller().actor(), request.pathParam("floatingip_id"), spec(in));
    return ApiResponse.created(Json.wrap("port_forwarding", render(made)));
  }

  private ApiResponse show(ApiRequest request) {
    PortForwarding f =
        forwardings.visible(
            request.caller().actor(), request.pathParam("floatingip_id"), request.pathParam("port_forwarding_id"));
    return ApiResponse.ok(Json.wrap("port_forwarding", NeutronListQuery.fields(request, render(f))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "port_forwarding");
    in.allowOnly("internal_port_id", "internal_ip_address", "internal_port", "external_port", "protocol", "description");
    PortForwarding f =
        forwardings.update(
            request.caller().actor(), request.pathParam("floatingip_id"), request.pathParam("port_forwarding_id"),
            spec(in));
    return ApiResponse.ok(Json.wrap("port_forwarding", render(f)));
  }

  private ApiResponse delete(ApiRequest request) {
    forwardings.delete(
        request.caller().actor(), request.pathParam("floatingip_id"), request.pathParam("port_forwarding_id"));
    return ApiResponse.noContent();
  }

  private static PortForwardings.Spec spec(JsonInput in) {
    return new PortForwardings.Spec(
        in.optionalString("internal_port_id").orElse(null), in.optionalString("internal_ip_address").orElse(null),
        in.optionalInt("internal_port").orElse(null), in.optionalInt("external_port").orElse(null),
        in.optionalString("protocol").orElse(null), NeutronInput.text(in, "description"));
  }

  static ObjectNode render(PortForwarding f) {
    ObjectNode o = Json.object();
    o.put("id", f.id());
    o.put("internal_port_id", f.internalPortId());
    o.put("internal_ip_address", f.internalIpAddress());
    o.put("internal_port", f.internalPort());
    o.put("external_port", f.externalPort());
    o.put("protocol", f.protocol());
    o.put("description", f.description());
    return o;
  }
}
