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
import dev.kiln.network.FloatingIp;
import dev.kiln.network.FloatingIps;
import dev.kiln.network.Port;
import dev.kiln.network.PortForwarding;
import dev.kiln.network.PortForwardings;
import dev.kiln.network.Ports;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2.0/floatingips}. */
final class FloatingIpsApi {
  private static final String FLOATING_IPS = "/v2.0/floatingips";

  private final FloatingIps floatingIps;
  private final Ports ports;
  private final Tags tags;
  private final PortForwardings forwardings;

  FloatingIpsApi(FloatingIps floatingIps, Ports ports, Tags tags, PortForwardings forwardings) {
    this.forwardings = requireNonNull(forwardings, "forwardings is null");
    this.floatingIps = requireNonNull(floatingIps, "floatingIps is null");
    this.ports = requireNonNull(ports, "ports is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(FLOATING_IPS, Access.AUTHENTICATED, this::list)
        .post(FLOATING_IPS, Access.AUTHENTICATED, this::create)
        .get(FLOATING_IPS + "/{floatingip_id}", Access.AUTHENTICATED, this::show)
        .put(FLOATING_IPS + "/{floatingip_id}", Access.AUTHENTICATED, this::update)
        .delete(FLOATING_IPS + "/{floatingip_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = request.caller().actor();
    String url = request.baseUrl() + NetworkApi.PREFIX + FLOATING_IPS;
    java.util.Optional<dev.kiln.network.Listing> listing =
        NeutronListQuery.listing(request, FloatingIps::listableBy, false);
    if (listing.isPresent()) {
      List<FloatingIp> page = floatingIps.page(actor, listing.get());
      return ApiResponse.ok(
          NeutronListQuery.answerPage(
              request, "floatingips", url, render(page, tags.of(page.stream().map(FloatingIp::id).toList()))));
    }
    List<ObjectNode> items = render(floatingIps.list(actor), tags.ofKind("floatingips"));
    return ApiResponse.ok(NeutronListQuery.answer(request, "floatingips", url, items, L3Views.FLOATING_IP_ATTRIBUTES));
  }

  /** Floating IPs as Neutron lists them, with their ports' details and their port forwardings. */
  private List<ObjectNode> render(List<FloatingIp> all, Map<String, List<String>> tagged) {
    Map<String, Port> associated = new HashMap<>();
    ports.byIds(all.stream().filter(FloatingIp::isAssociated).map(FloatingIp::portId).toList())
        .forEach(p -> associated.put(p.id(), p));
    Map<String, List<PortForwarding>> forwarded =
        all.isEmpty() ? Map.of() : forwardings.ofFloatingIps(all.stream().map(FloatingIp::id).toList());
    List<ObjectNode> items = new ArrayList<>();
    for (FloatingIp f : all) {
      items.add(
          L3Views.floatingIp(
              f, f.portId() == null ? null : associated.get(f.portId()), tagged.getOrDefault(f.id(), List.of()),
              forwarded.getOrDefault(f.id(), List.of())));
    }
    return items;
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "floatingip");
    in.allowOnly(
        "floating_network_id", "floating_ip_address", "subnet_id", "port_id", "fixed_ip_address", "description",
        "project_id", "tenant_id", "dns_domain", "dns_name", "qos_policy_id", "tags");
    for (String unsupported : List.of("dns_domain", "dns_name", "qos_policy_id")) {
      if (in.optionalString(unsupported).filter(v -> !v.isEmpty()).isPresent()) {
        throw in.invalid(unsupported, "Kiln has no DNS or QoS service for floating IPs");
      }
    }
    List<String> initialTags = NeutronInput.tags(in);
    Tags.check(initialTags);
    Actor actor = request.caller().actor();
    FloatingIp fip =
        floatingIps.create(
            actor,
            new FloatingIps.Spec(
                NeutronInput.projectId(in), in.string("floating_network_id"),
                in.optionalString("floating_ip_address").orElse(null), in.optionalString("subnet_id").orElse(null),
                in.optionalString("port_id").orElse(null), in.optionalString("fixed_ip_address").orElse(null),
                NeutronInput.text(in, "description")));
    if (!initialTags.isEmpty()) {
      tags.replace(actor, "floatingips", fip.id(), initialTags);
      fip = floatingIps.visible(actor, fip.id());
    }
    // A new floating IP has the tags just given and no port forwardings: nothing to read back.
    Port port = fip.portId() == null ? null : ports.byIds(List.of(fip.portId())).stream().findFirst().orElse(null);
    return ApiResponse.created(Json.wrap("floatingip", L3Views.floatingIp(fip, port, initialTags.isEmpty() ? List.of() : tags.of(fip.id()), List.of())));
  }

  private ApiResponse show(ApiRequest request) {
    FloatingIp fip = floatingIps.visible(request.caller().actor(), request.pathParam("floatingip_id"));
    return ApiResponse.ok(Json.wrap("floatingip", NeutronListQuery.fields(request, render(fip))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "floatingip");
    in.allowOnly("port_id", "fixed_ip_address", "description", "qos_policy_id");
    if (in.optionalString("qos_policy_id").isPresent()) {
      throw in.invalid("qos_policy_id", "Kiln has no QoS policies");
    }
    FloatingIp fip =
        floatingIps.update(
            request.caller().actor(),
            request.pathParam("floatingip_id"),
            new FloatingIps.Change(
                in.has("port_id"), in.optionalString("port_id").orElse(null),
                in.optionalString("fixed_ip_address").orElse(null), NeutronInput.text(in, "description")),
            NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("floatingip", render(fip)));
  }

  private ApiResponse delete(ApiRequest request) {
    floatingIps.delete(request.caller().actor(), request.pathParam("floatingip_id"));
    return ApiResponse.noContent();
  }

  private ObjectNode render(FloatingIp fip) {
    Port port = fip.portId() == null ? null : ports.byIds(List.of(fip.portId())).stream().findFirst().orElse(null);
    return L3Views.floatingIp(
        fip, port, tags.of(fip.id()), forwardings.ofFloatingIps(List.of(fip.id())).getOrDefault(fip.id(), List.of()));
  }
}
