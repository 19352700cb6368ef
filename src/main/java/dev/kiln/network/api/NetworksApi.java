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
import dev.kiln.network.Network;
import dev.kiln.network.NetworkSegment;
import dev.kiln.network.Networks;
import dev.kiln.network.Subnet;
import dev.kiln.network.Subnets;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v2.0/networks}. */
final class NetworksApi {
  private static final String[] FIELDS = {
    "name", "description", "admin_state_up", "shared", "router:external", "mtu",
    "port_security_enabled", "project_id", "tenant_id", "availability_zone_hints", "tags", "is_default", "dns_domain",
    NetworkSegmentView.TYPE, NetworkSegmentView.PHYSNET, NetworkSegmentView.SEGMENTATION_ID
  };

  private final Networks networks;
  private final Subnets subnets;
  private final Tags tags;

  NetworksApi(Networks networks, Subnets subnets, Tags tags) {
    this.networks = requireNonNull(networks, "networks is null");
    this.subnets = requireNonNull(subnets, "subnets is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2.0/networks", Access.AUTHENTICATED, this::list)
        .post("/v2.0/networks", Access.AUTHENTICATED, this::create)
        .get("/v2.0/networks/{network_id}", Access.AUTHENTICATED, this::show)
        .put("/v2.0/networks/{network_id}", Access.AUTHENTICATED, this::update)
        .delete("/v2.0/networks/{network_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = request.caller().actor();
    java.util.Optional<dev.kiln.network.Listing> listing = NeutronListQuery.listing(request, Networks::listableBy, false);
    if (listing.isPresent()) {
      List<Network> page = networks.page(actor, listing.get());
      List<String> ids = page.stream().map(Network::id).toList();
      Map<String, List<String>> subnetIds = subnets.idsOn(actor, ids);
      Map<String, List<String>> tagged = tags.of(ids);
      Set<String> shared = networks.sharedWith(actor);
      Map<String, NetworkSegment> segments = actor.admin() && !ids.isEmpty() ? networks.segments(ids) : Map.of();
      List<ObjectNode> rendered = new ArrayList<>();
      for (Network n : page) {
        ObjectNode o =
            NetworkViews.network(
                asSeen(n, shared), subnetIds.getOrDefault(n.id(), List.of()), tagged.getOrDefault(n.id(), List.of()));
        if (actor.admin()) {
          NetworkSegmentView.add(o, segments.get(n.id()));
        }
        rendered.add(o);
      }
      return ApiResponse.ok(
          NeutronListQuery.answerPage(request, "networks", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/networks", rendered));
    }
    Map<String, List<String>> subnetIds = subnetIds(actor);
    Map<String, List<String>> tagged = tags.ofKind("networks");
    Set<String> shared = networks.sharedWith(actor);
    List<ObjectNode> all = new ArrayList<>();
    Map<String, NetworkSegment> segments = actor.admin() ? networks.segments(null) : Map.of();
    for (Network n : networks.list(actor)) {
      ObjectNode o =
          NetworkViews.network(
              asSeen(n, shared), subnetIds.getOrDefault(n.id(), List.of()), tagged.getOrDefault(n.id(), List.of()));
      if (actor.admin()) {
        NetworkSegmentView.add(o, segments.get(n.id()));
      }
      all.add(o);
    }
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "networks", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/networks", all, NetworkViews.NETWORK_ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    BulkInput bulk = BulkInput.read(request.body(), "network", "networks");
    List<Networks.Spec> specs = new ArrayList<>();
    List<List<String>> tagLists = new ArrayList<>();
    List<NetworkSegment> segmentRequests = new ArrayList<>();
    for (JsonInput in : bulk.items()) {
      in.allowOnly(FIELDS);
      NeutronInput.onlyEmpty(in, "availability_zone_hints");
      specs.add(spec(in, NeutronInput.projectId(in)));
      tagLists.add(NeutronInput.tags(in));
      segmentRequests.add(NetworkSegmentView.read(in));
    }
    Actor actor = request.caller().actor();
    List<Network> made = networks.createAll(actor, specs, tagLists, segmentRequests);
    Map<String, NetworkSegment> segments =
        actor.admin() ? networks.segments(made.stream().map(Network::id).toList()) : Map.of();
    List<ObjectNode> rendered = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      ObjectNode o = NetworkViews.network(made.get(i), List.of(), tagLists.get(i));
      if (actor.admin()) {
        NetworkSegmentView.add(o, segments.get(made.get(i).id()));
      }
      rendered.add(o);
    }
    return ApiResponse.created(bulk.answer("network", "networks", rendered));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    Network network = networks.visible(actor, request.pathParam("network_id"));
    return ApiResponse.ok(Json.wrap("network", NeutronListQuery.fields(request, render(actor, network))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "network");
    in.allowOnly(
        "name", "description", "admin_state_up", "shared", "router:external", "mtu", "port_security_enabled",
        "is_default", "dns_domain", NetworkSegmentView.TYPE, NetworkSegmentView.PHYSNET,
        NetworkSegmentView.SEGMENTATION_ID);
    Actor actor = request.caller().actor();
    NetworkSegmentView.refuseUpdate(in, actor);
    Network network =
        networks.update(actor, request.pathParam("network_id"), spec(in, null), NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("network", render(actor, network)));
  }

  private ApiResponse delete(ApiRequest request) {
    networks.delete(request.caller().actor(), request.pathParam("network_id"));
    return ApiResponse.noContent();
  }

  private static Networks.Spec spec(JsonInput in, String projectId) {
    return new Networks.Spec(
        projectId,
        NeutronInput.text(in, "name"),
        NeutronInput.text(in, "description"),
        in.optionalBoolean("admin_state_up").orElse(null),
        in.optionalBoolean("shared").orElse(null),
        in.optionalBoolean("router:external").orElse(null),
        in.optionalInt("mtu").orElse(null),
        in.optionalBoolean("port_security_enabled").orElse(null),
        in.optionalString("dns_domain", NeutronInput.TEXT_MAX).map(d -> d.toLowerCase(java.util.Locale.ROOT)).orElse(null),
        in.optionalBoolean("is_default").orElse(null));
  }

  private ObjectNode render(Actor actor, Network network) {
    ObjectNode o =
        NetworkViews.network(
            asSeen(network, networks.sharedWith(actor)), subnetIds(actor).getOrDefault(network.id(), List.of()),
            tags.of(network.id()));
    if (actor.admin()) {
      NetworkSegmentView.add(o, networks.segments(List.of(network.id())).get(network.id()));
    }
    return o;
  }

  /** Neutron shows {@code shared: true} to a project a policy shares the network with, not only to all. */
  private static Network asSeen(Network n, Set<String> sharedWithCaller) {
    if (n.shared() || !sharedWithCaller.contains(n.id())) {
      return n;
    }
    return new Network(
        n.id(), n.projectId(), n.name(), n.description(), n.adminStateUp(), true, n.external(), n.mtu(),
        n.portSecurityEnabled(), n.revision(), n.createdAt(), n.updatedAt(), n.dnsDomain(), n.isDefault());
  }

  private Map<String, List<String>> subnetIds(Actor actor) {
    Map<String, List<String>> byNetwork = new HashMap<>();
    for (Subnet s : subnets.list(actor)) {
      byNetwork.computeIfAbsent(s.networkId(), k -> new ArrayList<>()).add(s.id());
    }
    return byNetwork;
  }
}
