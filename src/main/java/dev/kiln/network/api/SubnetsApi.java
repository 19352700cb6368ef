package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.Subnet;
import dev.kiln.network.Subnet.Pool;
import dev.kiln.network.Subnet.Route;
import dev.kiln.network.Subnets;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /v2.0/subnets}. */
final class SubnetsApi {
  private final Subnets subnets;
  private final Tags tags;
  private final dev.kiln.network.Networks networks;

  private boolean isShared(ApiRequest request, Subnet subnet) {
    return networks.sharedWith(request.caller().actor()).contains(subnet.networkId());
  }

  SubnetsApi(Subnets subnets, Tags tags, dev.kiln.network.Networks networks) {
    this.networks = requireNonNull(networks, "networks is null");
    this.subnets = requireNonNull(subnets, "subnets is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2.0/subnets", Access.AUTHENTICATED, this::list)
        .post("/v2.0/subnets", Access.AUTHENTICATED, this::create)
        .get("/v2.0/subnets/{subnet_id}", Access.AUTHENTICATED, this::show)
        .put("/v2.0/subnets/{subnet_id}", Access.AUTHENTICATED, this::update)
        .delete("/v2.0/subnets/{subnet_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    java.util.Optional<dev.kiln.network.Listing> listing = NeutronListQuery.listing(request, Subnets::listableBy, false);
    if (listing.isPresent()) {
      List<Subnet> page = subnets.page(request.caller().actor(), listing.get());
      Map<String, List<String>> tagged = tags.of(page.stream().map(Subnet::id).toList());
      java.util.Set<String> shared = networks.sharedWith(request.caller().actor());
      List<ObjectNode> rendered = new ArrayList<>();
      page.forEach(s -> rendered.add(NetworkViews.subnet(s, tagged.getOrDefault(s.id(), List.of()), shared.contains(s.networkId()))));
      return ApiResponse.ok(
          NeutronListQuery.answerPage(request, "subnets", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/subnets", rendered));
    }
    List<ObjectNode> all = new ArrayList<>();
    Map<String, List<String>> tagged = tags.ofKind("subnets");
    java.util.Set<String> shared = networks.sharedWith(request.caller().actor());
    subnets.list(request.caller().actor())
        .forEach(s -> all.add(NetworkViews.subnet(s, tagged.getOrDefault(s.id(), List.of()), shared.contains(s.networkId()))));
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "subnets", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/subnets", all, NetworkViews.SUBNET_ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    BulkInput bulk = BulkInput.read(request.body(), "subnet", "subnets");
    List<Subnets.Spec> specs = new ArrayList<>();
    List<List<String>> tagLists = new ArrayList<>();
    for (JsonInput in : bulk.items()) {
      in.allowOnly(
          "name", "description", "network_id", "ip_version", "cidr", "gateway_ip", "enable_dhcp",
          "allocation_pools", "dns_nameservers", "host_routes", "ipv6_ra_mode", "ipv6_address_mode",
          "project_id", "tenant_id", "subnetpool_id", "prefixlen", "use_default_subnetpool", "service_types", "tags",
          "segment_id");
      NeutronInput.onlyEmpty(in, "service_types");
      if (in.optionalString("segment_id").isPresent()) {
        throw in.invalid("segment_id", "routed network segments are not supported by Kiln");
      }
      in.string("network_id");
      specs.add(spec(in, NeutronInput.projectId(in)));
      tagLists.add(NeutronInput.tags(in));
    }
    List<Subnet> made = subnets.createAll(request.caller().actor(), specs, tagLists);
    List<ObjectNode> rendered = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      rendered.add(NetworkViews.subnet(made.get(i), tagLists.get(i), isShared(request, made.get(i))));
    }
    return ApiResponse.created(bulk.answer("subnet", "subnets", rendered));
  }

  private ApiResponse show(ApiRequest request) {
    Subnet subnet = subnets.visible(request.caller().actor(), request.pathParam("subnet_id"));
    return ApiResponse.ok(Json.wrap("subnet", NeutronListQuery.fields(request, NetworkViews.subnet(subnet, tags.of(subnet.id()), isShared(request, subnet)))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "subnet");
    in.allowOnly(
        "name", "description", "gateway_ip", "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes");
    Subnet subnet =
        subnets.update(
            request.caller().actor(), request.pathParam("subnet_id"), spec(in, null), NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("subnet", NetworkViews.subnet(subnet, tags.of(subnet.id()), isShared(request, subnet))));
  }

  private ApiResponse delete(ApiRequest request) {
    subnets.delete(request.caller().actor(), request.pathParam("subnet_id"));
    return ApiResponse.noContent();
  }

  private static Subnets.Spec spec(JsonInput in, String projectId) {
    List<Pool> pools =
        in.optionalObjectList("allocation_pools")
            .map(list -> list.stream().map(p -> {
              p.allowOnly("start", "end");
              return new Pool(p.string("start"), p.string("end"));
            }).toList())
            .orElse(null);
    List<Route> routes =
        in.optionalObjectList("host_routes")
            .map(list -> list.stream().map(r -> {
              r.allowOnly("destination", "nexthop");
              return new Route(r.string("destination"), r.string("nexthop"));
            }).toList())
            .orElse(null);
    return new Subnets.Spec(
        projectId,
        in.has("network_id") ? in.string("network_id") : null,
        NeutronInput.text(in, "name"),
        NeutronInput.text(in, "description"),
        in.optionalInt("ip_version").orElse(null),
        in.optionalString("cidr").orElse(null),
        in.has("gateway_ip"),
        in.optionalString("gateway_ip").orElse(null),
        in.optionalBoolean("enable_dhcp").orElse(null),
        pools,
        in.optionalStringList("dns_nameservers").orElse(null),
        routes,
        in.optionalString("ipv6_ra_mode").orElse(null),
        in.optionalString("ipv6_address_mode").orElse(null),
        in.optionalString("subnetpool_id").orElse(null),
        NeutronInput.prefixlen(in, "prefixlen"),
        in.optionalBoolean("use_default_subnetpool").orElse(null));
  }
}
