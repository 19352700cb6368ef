package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.Listing;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.Tags;
import dev.kiln.network.TrunkDetails;
import dev.kiln.network.Trunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /v2.0/ports}. */
final class PortsApi {
  private final Ports ports;
  private final Tags tags;
  private final Trunks trunks;

  PortsApi(Ports ports, Tags tags, Trunks trunks) {
    this.ports = requireNonNull(ports, "ports is null");
    this.tags = requireNonNull(tags, "tags is null");
    this.trunks = requireNonNull(trunks, "trunks is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2.0/ports", Access.AUTHENTICATED, this::list)
        .post("/v2.0/ports", Access.AUTHENTICATED, this::create)
        .get("/v2.0/ports/{port_id}", Access.AUTHENTICATED, this::show)
        .put("/v2.0/ports/{port_id}", Access.AUTHENTICATED, this::update)
        .delete("/v2.0/ports/{port_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = request.caller().actor();
    Optional<Listing> listing = NeutronListQuery.listing(request, Ports::listableBy, true);
    if (listing.isPresent()) {
      List<Port> page = ports.page(actor, listing.get());
      List<String> ids = page.stream().map(Port::id).toList();
      Map<String, List<String>> tagged = tags.of(ids);
      Map<String, TrunkDetails> details = trunks.detailsOfParents(ids);
      List<ObjectNode> rendered = new ArrayList<>(page.size());
      page.forEach(p -> rendered.add(withTrunk(NetworkViews.port(p, actor.admin(), tagged.getOrDefault(p.id(), List.of())), details.get(p.id()))));
      return ApiResponse.ok(NeutronListQuery.answerPage(request, "ports", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/ports", rendered));
    }
    List<ObjectNode> all = new ArrayList<>();
    Map<String, List<String>> tagged = tags.ofKind("ports");
    List<Port> visible = ports.list(actor);
    Map<String, TrunkDetails> details = trunks.detailsOfParents(visible.stream().map(Port::id).toList());
    visible.forEach(p -> all.add(withTrunk(NetworkViews.port(p, actor.admin(), tagged.getOrDefault(p.id(), List.of())), details.get(p.id()))));
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "ports", request.baseUrl() + NetworkApi.PREFIX + "/v2.0/ports", all, NetworkViews.PORT_ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    BulkInput bulk = BulkInput.read(request.body(), "port", "ports");
    List<Ports.Spec> specs = new ArrayList<>();
    List<List<String>> tagLists = new ArrayList<>();
    for (JsonInput in : bulk.items()) {
      in.allowOnly(
          "name", "description", "network_id", "admin_state_up", "mac_address", "fixed_ips", "device_id",
          "device_owner", "security_groups", "port_security_enabled", "binding:host_id", "binding:vnic_type",
          "binding:profile", "project_id", "tenant_id", "allowed_address_pairs", "extra_dhcp_opts", "dns_name", "tags");
      String networkId = in.string("network_id");
      specs.add(spec(in, networkId, NeutronInput.projectId(in)));
      tagLists.add(NeutronInput.tags(in));
    }
    Actor actor = request.caller().actor();
    List<Port> made = ports.createAll(actor, specs, tagLists);
    List<ObjectNode> rendered = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      rendered.add(NetworkViews.port(made.get(i), actor.admin(), tagLists.get(i)));
    }
    return ApiResponse.created(bulk.answer("port", "ports", rendered));
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    Port port = ports.visible(actor, request.pathParam("port_id"));
    return ApiResponse.ok(Json.wrap("port", NeutronListQuery.fields(request, render(port, actor))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "port");
    in.allowOnly(
        "name", "description", "admin_state_up", "mac_address", "fixed_ips", "device_id", "device_owner",
        "security_groups", "port_security_enabled", "binding:host_id", "binding:vnic_type", "binding:profile",
        "allowed_address_pairs", "extra_dhcp_opts", "dns_name");
    Actor actor = request.caller().actor();
    Port port = ports.update(actor, request.pathParam("port_id"), spec(in, null, null), NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("port", render(port, actor)));
  }

  /** One port as Neutron shows it, with {@code trunk_details} when it is a trunk's parent. */
  private ObjectNode render(Port port, Actor actor) {
    return withTrunk(
        NetworkViews.port(port, actor.admin(), tags.of(port.id())), trunks.detailsOfParents(List.of(port.id())).get(port.id()));
  }

  /** Neutron's trunk-details extension: only a parent port carries the key. */
  private static ObjectNode withTrunk(ObjectNode port, TrunkDetails details) {
    if (details != null) {
      ObjectNode o = port.putObject("trunk_details");
      o.put("trunk_id", details.trunkId());
      var list = o.putArray("sub_ports");
      for (TrunkDetails.Member m : details.subPorts()) {
        list.addObject()
            .put("segmentation_id", m.segmentationId())
            .put("segmentation_type", m.segmentationType())
            .put("port_id", m.portId())
            .put("mac_address", m.macAddress());
      }
    }
    return port;
  }

  private ApiResponse delete(ApiRequest request) {
    ports.delete(request.caller().actor(), request.pathParam("port_id"));
    return ApiResponse.noContent();
  }

  private static Ports.Spec spec(JsonInput in, String networkId, String projectId) {
    List<Ports.AddressRequest> fixedIps =
        in.optionalObjectList("fixed_ips")
            .map(list -> list.stream().map(ip -> {
              ip.allowOnly("subnet_id", "ip_address");
              return new Ports.AddressRequest(
                  ip.optionalString("subnet_id").orElse(null), ip.optionalString("ip_address").orElse(null));
            }).toList())
            .orElse(null);
    return new Ports.Spec(
        projectId,
        networkId,
        NeutronInput.text(in, "name"),
        NeutronInput.text(in, "description"),
        in.optionalBoolean("admin_state_up").orElse(null),
        in.optionalString("mac_address").orElse(null),
        fixedIps,
        in.optionalString("device_id").orElse(null),
        in.optionalString("device_owner").orElse(null),
        in.optionalStringList("security_groups").orElse(null),
        in.optionalBoolean("port_security_enabled").orElse(null),
        in.optionalString("binding:host_id").orElse(null),
        in.optionalString("binding:vnic_type").orElse(null),
        profile(in),
        addressPairs(in),
        dhcpOptions(in),
        in.optionalString("dns_name", NeutronInput.TEXT_MAX).map(name -> name.toLowerCase(java.util.Locale.ROOT)).orElse(null));
  }

  /** {@code extra_dhcp_opts}: each a name, a value (null removes it on update) and an IP version (4 by default). */
  private static List<Ports.DhcpOptionRequest> dhcpOptions(JsonInput in) {
    return in.optionalObjectList("extra_dhcp_opts")
        .map(list -> list.stream().map(opt -> {
          opt.allowOnly("opt_name", "opt_value", "ip_version");
          return new Ports.DhcpOptionRequest(
              opt.optionalString("opt_name").orElse(null), opt.optionalString("opt_value").orElse(null), ipVersion(opt));
        }).toList())
        .orElse(null);
  }

  /** Neutron takes the version as a number or as its text ("4"). */
  private static int ipVersion(JsonInput opt) {
    if (!opt.has("ip_version") || opt.isNull("ip_version")) {
      return 4;
    }
    JsonNode raw = opt.raw("ip_version");
    if (raw.isTextual() && raw.asText().matches("[46]")) {
      return Integer.parseInt(raw.asText());
    }
    return opt.optionalInt("ip_version").orElse(4);
  }

  /** {@code allowed_address_pairs}: null (none given, or JSON null) leaves them as they are. */
  private static List<Port.AddressPair> addressPairs(JsonInput in) {
    return in.optionalObjectList("allowed_address_pairs")
        .map(list -> list.stream().map(pair -> {
          pair.allowOnly("ip_address", "mac_address");
          return new Port.AddressPair(
              pair.optionalString("ip_address").orElse(null), pair.optionalString("mac_address").orElse(null));
        }).toList())
        .orElse(null);
  }

  /** {@code binding:profile} is a free-form object, kept as JSON text. */
  static String profile(JsonInput in) {
    if (!in.has("binding:profile") || in.isNull("binding:profile")) {
      return null;
    }
    JsonNode profile = in.raw("binding:profile");
    if (!profile.isObject()) {
      throw in.invalid("binding:profile", "expected an object");
    }
    return profile.toString();
  }
}
