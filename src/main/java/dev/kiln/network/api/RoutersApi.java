package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.Ports;
import dev.kiln.network.Router;
import dev.kiln.network.RouterInterfaces;
import dev.kiln.network.Routers;
import dev.kiln.network.Subnet.Route;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /v2.0/routers}: routers, their gateway and routes, {@code add_router_interface} and
 * {@code remove_router_interface}, and {@code add_extraroutes}/{@code remove_extraroutes}.
 */
final class RoutersApi {
  private static final String ROUTERS = "/v2.0/routers";

  private final Routers routers;
  private final RouterInterfaces interfaces;
  private final Tags tags;

  RoutersApi(Routers routers, RouterInterfaces interfaces, Tags tags) {
    this.routers = requireNonNull(routers, "routers is null");
    this.interfaces = requireNonNull(interfaces, "interfaces is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(ROUTERS, Access.AUTHENTICATED, this::list)
        .post(ROUTERS, Access.AUTHENTICATED, this::create)
        .get(ROUTERS + "/{router_id}", Access.AUTHENTICATED, this::show)
        .put(ROUTERS + "/{router_id}", Access.AUTHENTICATED, this::update)
        .delete(ROUTERS + "/{router_id}", Access.AUTHENTICATED, this::delete)
        .put(ROUTERS + "/{router_id}/add_router_interface", Access.AUTHENTICATED, this::addInterface)
        .put(ROUTERS + "/{router_id}/remove_router_interface", Access.AUTHENTICATED, this::removeInterface)
        .put(ROUTERS + "/{router_id}/add_extraroutes", Access.AUTHENTICATED, r -> changeRoutes(r, true))
        .put(ROUTERS + "/{router_id}/remove_extraroutes", Access.AUTHENTICATED, r -> changeRoutes(r, false));
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = request.caller().actor();
    java.util.Optional<dev.kiln.network.Listing> listing = NeutronListQuery.listing(request, Routers::listableBy, false);
    if (listing.isPresent()) {
      List<Router> page = routers.page(actor, listing.get());
      Map<String, List<String>> tagged = tags.of(page.stream().map(Router::id).toList());
      List<ObjectNode> rendered = new ArrayList<>();
      page.forEach(r -> rendered.add(L3Views.router(r, actor.admin(), tagged.getOrDefault(r.id(), List.of()))));
      return ApiResponse.ok(
          NeutronListQuery.answerPage(request, "routers", request.baseUrl() + NetworkApi.PREFIX + ROUTERS, rendered));
    }
    Map<String, List<String>> tagged = tags.ofKind("routers");
    List<ObjectNode> all = new ArrayList<>();
    for (Router r : routers.list(actor)) {
      all.add(L3Views.router(r, actor.admin(), tagged.getOrDefault(r.id(), List.of())));
    }
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "routers", request.baseUrl() + NetworkApi.PREFIX + ROUTERS, all, L3Views.ROUTER_ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "router");
    in.allowOnly(
        "name", "description", "admin_state_up", "external_gateway_info", "distributed", "ha",
        "availability_zone_hints", "project_id", "tenant_id", "flavor_id", "tags");
    NeutronInput.onlyEmpty(in, "availability_zone_hints");
    onlyFalse(in, "distributed", "ha");
    if (in.optionalString("flavor_id").isPresent()) {
      throw in.invalid("flavor_id", "Kiln has no router flavors");
    }
    Actor actor = request.caller().actor();
    List<String> initialTags = NeutronInput.tags(in);
    Tags.check(initialTags);
    Router router =
        routers.create(
            actor,
            new Routers.Spec(
                NeutronInput.projectId(in), NeutronInput.text(in, "name"), NeutronInput.text(in, "description"),
                in.optionalBoolean("admin_state_up").orElse(null), in.has("external_gateway_info"), gateway(in),
                null));
    if (!initialTags.isEmpty()) {
      tags.replace(actor, "routers", router.id(), initialTags);
      router = routers.visible(actor, router.id());
    }
    return ApiResponse.created(Json.wrap("router", render(actor, router)));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    Router router = routers.visible(actor, request.pathParam("router_id"));
    return ApiResponse.ok(Json.wrap("router", NeutronListQuery.fields(request, render(actor, router))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "router");
    in.allowOnly("name", "description", "admin_state_up", "external_gateway_info", "routes", "distributed", "ha");
    onlyFalse(in, "distributed", "ha");
    Actor actor = request.caller().actor();
    Router router =
        routers.update(
            actor,
            request.pathParam("router_id"),
            new Routers.Spec(
                null, NeutronInput.text(in, "name"), NeutronInput.text(in, "description"),
                in.optionalBoolean("admin_state_up").orElse(null), in.has("external_gateway_info"), gateway(in),
                in.has("routes") ? routes(in, "routes") : null),
            NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("router", render(actor, router)));
  }

  private ApiResponse delete(ApiRequest request) {
    routers.delete(request.caller().actor(), request.pathParam("router_id"), NeutronInput.ifMatchRevision(request));
    return ApiResponse.noContent();
  }

  private ApiResponse addInterface(ApiRequest request) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("subnet_id", "port_id");
    Router.Interface added =
        interfaces.add(
            request.caller().actor(), request.pathParam("router_id"), in.optionalString("subnet_id").orElse(null),
            in.optionalString("port_id").orElse(null));
    return ApiResponse.ok(L3Views.routerInterface(added));
  }

  private ApiResponse removeInterface(ApiRequest request) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("subnet_id", "port_id");
    Router.Interface removed =
        interfaces.remove(
            request.caller().actor(), request.pathParam("router_id"), in.optionalString("subnet_id").orElse(null),
            in.optionalString("port_id").orElse(null));
    return ApiResponse.ok(L3Views.routerInterface(removed));
  }

  private ApiResponse changeRoutes(ApiRequest request, boolean add) {
    JsonInput in = JsonInput.wrapped(request.body(), "router");
    in.allowOnly("routes");
    List<Route> given = routes(in, "routes");
    Actor actor = request.caller().actor();
    String id = request.pathParam("router_id");
    Router router = add ? routers.addRoutes(actor, id, given) : routers.removeRoutes(actor, id, given);
    return ApiResponse.ok(Json.wrap("router", render(actor, router)));
  }

  private ObjectNode render(Actor actor, Router router) {
    return L3Views.router(router, actor.admin(), tags.of(router.id()));
  }

  /** {@code external_gateway_info}: null or {} for none, else a network and its options. */
  private static Routers.GatewaySpec gateway(JsonInput in) {
    if (!in.has("external_gateway_info") || in.isNull("external_gateway_info")) {
      return null;
    }
    JsonInput gw = in.object("external_gateway_info");
    gw.allowOnly("network_id", "enable_snat", "external_fixed_ips", "qos_policy_id");
    if (!gw.has("network_id") && !gw.has("enable_snat") && !gw.has("external_fixed_ips")) {
      return null;
    }
    if (gw.optionalString("qos_policy_id").isPresent()) {
      throw gw.invalid("qos_policy_id", "Kiln has no QoS policies");
    }
    List<Ports.AddressRequest> fixedIps =
        gw.optionalObjectList("external_fixed_ips")
            .map(list -> list.stream().map(ip -> {
              ip.allowOnly("subnet_id", "ip_address");
              return new Ports.AddressRequest(
                  ip.optionalString("subnet_id").orElse(null), ip.optionalString("ip_address").orElse(null));
            }).toList())
            .orElse(null);
    return new Routers.GatewaySpec(gw.string("network_id"), gw.optionalBoolean("enable_snat").orElse(null), fixedIps);
  }

  static List<Route> routes(JsonInput in, String field) {
    if (in.isNull(field)) {
      return List.of();
    }
    return in.optionalObjectList(field)
        .map(list -> list.stream().map(r -> {
          r.allowOnly("destination", "nexthop");
          return new Route(r.string("destination"), r.string("nexthop"));
        }).toList())
        .orElse(List.of());
  }

  /** Distributed and HA routers need agents Kiln does not simulate; only {@code false} is accepted. */
  private static void onlyFalse(JsonInput in, String... fields) {
    for (String field : fields) {
      if (in.optionalBoolean(field).orElse(false)) {
        throw in.invalid(field, "Kiln's routers are neither distributed nor highly available; only false is accepted");
      }
    }
  }
}
