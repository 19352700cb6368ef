package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.Network;
import dev.kiln.network.NeutronShapes;
import dev.kiln.network.Port;
import dev.kiln.network.PortBinding;
import dev.kiln.network.Router;
import dev.kiln.network.SecurityGroup;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.Subnet;
import dev.kiln.network.SubnetPool;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Networking's resources as Neutron's API shows them to the stack owner: what Heat's {@code show}
 * attribute and the attributes read from it ({@code _show_resource}) answer.
 */
final class NeutronViews {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final NeutronShapes SHAPES = NeutronShapes.get();

  private NeutronViews() {}

  /**
   * A network, subnet or port as Neutron's API shows it (Networking's own shapes), plus the
   * {@code qos_policy_id} Heat's show attribute carries; subnets of the stack owner's networks.
   */
  static ObjectNode network(Network n, List<String> subnetIds, List<String> tags) {
    ObjectNode o = SHAPES.network(n, subnetIds, tags);
    o.putNull("qos_policy_id");
    return o;
  }

  static ObjectNode subnet(Subnet s, List<String> tags) {
    return SHAPES.subnet(s, tags, false);
  }

  /** A port; binding details beyond the VNIC type only for admins, as Neutron shows them. */
  static ObjectNode port(Port p, boolean admin, List<String> tags) {
    ObjectNode o = SHAPES.port(p, admin, tags);
    o.putNull("qos_policy_id");
    return o;
  }

  static ObjectNode router(Router r, boolean admin, List<String> tags) {
    ObjectNode o = JSON.objectNode();
    o.put("id", r.id());
    o.put("name", r.name());
    o.put("description", r.description());
    owner(o, r.projectId());
    o.put("admin_state_up", r.adminStateUp());
    o.put("status", r.status());
    o.set("external_gateway_info", gateway(r.gateway()));
    ArrayNode routes = o.putArray("routes");
    r.routes().forEach(route -> routes.addObject().put("destination", route.destination()).put("nexthop", route.nexthop()));
    if (admin) {
      o.put("distributed", false);
      o.put("ha", false);
    }
    o.putArray("availability_zone_hints");
    o.putArray("availability_zones").add("nova");
    o.putNull("flavor_id");
    standard(o, tags, r.createdAt(), r.updatedAt(), r.revision());
    return o;
  }

  static JsonNode gateway(Router.Gateway gateway) {
    if (gateway == null) {
      return JSON.nullNode();
    }
    ObjectNode gw = JSON.objectNode();
    gw.put("network_id", gateway.networkId());
    gw.put("enable_snat", gateway.enableSnat());
    gw.set("external_fixed_ips", fixedIps(gateway.externalFixedIps()));
    return gw;
  }

  static ObjectNode floatingIp(FloatingIp f, List<String> tags) {
    ObjectNode o = JSON.objectNode();
    o.put("id", f.id());
    owner(o, f.projectId());
    o.put("floating_network_id", f.floatingNetworkId());
    o.put("floating_ip_address", f.floatingIpAddress());
    o.put("fixed_ip_address", f.fixedIpAddress());
    o.put("port_id", f.portId());
    o.put("router_id", f.routerId());
    o.put("status", f.status());
    o.put("description", f.description());
    o.put("dns_domain", "");
    o.put("dns_name", "");
    o.putArray("port_forwardings");
    o.putNull("qos_policy_id");
    standard(o, tags, f.createdAt(), f.updatedAt(), f.revision());
    return o;
  }

  static ObjectNode securityGroup(SecurityGroup g, List<String> tags) {
    ObjectNode o = JSON.objectNode();
    o.put("id", g.id());
    o.put("name", g.name());
    o.put("description", g.description());
    owner(o, g.projectId());
    o.put("stateful", g.stateful());
    o.put("shared", false);
    ArrayNode rules = o.putArray("security_group_rules");
    g.rules().forEach(r -> rules.add(rule(r)));
    standard(o, tags, g.createdAt(), g.updatedAt(), g.revision());
    return o;
  }

  static ObjectNode rule(SecurityGroupRule r) {
    ObjectNode o = JSON.objectNode();
    o.put("id", r.id());
    o.put("security_group_id", r.securityGroupId());
    o.put("direction", r.direction().value());
    o.put("ethertype", r.ethertype().value());
    o.put("protocol", r.protocol());
    o.put("port_range_min", r.portRangeMin());
    o.put("port_range_max", r.portRangeMax());
    o.put("remote_ip_prefix", r.remoteIpPrefix());
    o.put("normalized_cidr", r.normalizedCidr());
    o.put("remote_group_id", r.remoteGroupId());
    o.put("remote_address_group_id", r.remoteAddressGroupId());
    o.put("description", r.description());
    owner(o, r.projectId());
    o.put("belongs_to_default_sg", r.inDefaultGroup());
    o.put("created_at", r.createdAt().toString());
    o.put("updated_at", r.updatedAt().toString());
    o.put("revision_number", r.revision());
    return o;
  }

  static ObjectNode subnetPool(SubnetPool p, List<String> tags) {
    ObjectNode o = JSON.objectNode();
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("description", p.description());
    owner(o, p.projectId());
    o.put("ip_version", p.ipVersion());
    ArrayNode prefixes = o.putArray("prefixes");
    p.prefixes().forEach(prefixes::add);
    o.put("default_prefixlen", p.defaultPrefixlen());
    o.put("min_prefixlen", p.minPrefixlen());
    o.put("max_prefixlen", p.maxPrefixlen());
    o.put("default_quota", p.defaultQuota());
    o.put("address_scope_id", p.addressScopeId());
    o.put("shared", p.shared());
    o.put("is_default", p.isDefault());
    standard(o, tags, p.createdAt(), p.updatedAt(), p.revision());
    return o;
  }

  private static ArrayNode fixedIps(List<Port.FixedIp> ips) {
    ArrayNode out = JSON.arrayNode();
    ips.forEach(ip -> out.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
    return out;
  }

  private static void owner(ObjectNode o, String projectId) {
    o.put("tenant_id", projectId);
    o.put("project_id", projectId);
  }

  private static void standard(ObjectNode o, List<String> tags, Instant created, Instant updated, long revision) {
    ArrayNode array = o.putArray("tags");
    tags.stream().sorted().forEach(array::add);
    o.put("created_at", created.toString());
    o.put("updated_at", updated.toString());
    o.put("revision_number", revision);
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json == null || json.isEmpty() ? "{}" : json);
    } catch (IOException e) {
      return JSON.objectNode();
    }
  }
}
