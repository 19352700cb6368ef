package dev.kiln.network.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.network.Network;
import dev.kiln.network.NeutronShapes;
import dev.kiln.network.Port;
import dev.kiln.network.PortBinding;
import dev.kiln.network.Subnet;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Neutron's JSON shapes for networks, subnets, ports and bindings. */
final class NetworkViews {
  /** The attributes lists may filter on, whatever the list holds. */
  static final Set<String> NETWORK_ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "admin_state_up", "status", "shared",
          "router:external", "mtu", "port_security_enabled", "subnets", "availability_zone_hints",
          "availability_zones", "ipv4_address_scope", "ipv6_address_scope", "l2_adjacency", "tags", "dns_domain",
          "is_default", "provider:network_type", "provider:physical_network", "provider:segmentation_id",
          "created_at", "updated_at", "revision_number");

  static final Set<String> SUBNET_ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "network_id", "ip_version", "cidr",
          "gateway_ip", "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes",
          "ipv6_ra_mode", "ipv6_address_mode", "subnetpool_id", "segment_id", "service_types", "tags", "shared",
          "created_at", "updated_at", "revision_number");

  static final Set<String> PORT_ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "network_id", "mac_address",
          "admin_state_up", "status", "device_id", "device_owner", "fixed_ips", "security_groups",
          "port_security_enabled", "allowed_address_pairs", "extra_dhcp_opts", "ip_allocation",
          "binding:vnic_type", "binding:host_id", "binding:profile", "binding:vif_type",
          "binding:vif_details", "tags", "created_at", "updated_at", "revision_number", "dns_name",
          "dns_assignment", "trunk_details");

  private static final NeutronShapes SHAPES = NeutronShapes.get();

  private NetworkViews() {}

  static ObjectNode network(Network n, List<String> subnetIds, List<String> tags) {
    return SHAPES.network(n, subnetIds, tags);
  }

  /** A subnet; {@code shared} is its network's, as the caller sees it. */
  static ObjectNode subnet(Subnet s, List<String> tags, boolean shared) {
    return SHAPES.subnet(s, tags, shared);
  }

  /** A port; the host-level binding details are shown to admins only, as in Neutron. */
  static ObjectNode port(Port p, boolean admin, List<String> tags) {
    return SHAPES.port(p, admin, tags);
  }

  static ObjectNode binding(PortBinding b) {
    ObjectNode o = Json.object();
    o.put("host", b.host());
    o.put("status", b.status().name());
    o.put("vif_type", b.vifType());
    o.put("vnic_type", b.vnicType());
    o.set("profile", parse(b.profile()));
    o.set("vif_details", parse(b.vifDetails()));
    return o;
  }

  /** The resource's tags (standard-attr-tag), sorted as Neutron lists them. */
  static void tags(ObjectNode o, List<String> tags) {
    SHAPES.tags(o, tags);
  }

  /** created_at, updated_at (standard-attr-timestamp) and revision_number (standard-attr-revisions). */
  static void standardAttributes(ObjectNode o, Instant created, Instant updated, long revision) {
    SHAPES.timestamps(o, created, updated, revision);
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    return SHAPES.parse(json);
  }
}
