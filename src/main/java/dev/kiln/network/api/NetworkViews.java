package dev.kiln.network.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.network.Network;
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
          "is_default",
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
          "dns_assignment");

  /**
   * The domain of the names in a port's {@code dns_assignment}: Neutron's default {@code
   * dns_domain}, as a deployment without DNS configuration has it.
   */
  static final String DNS_DOMAIN = "openstacklocal.";

  private NetworkViews() {}

  static ObjectNode network(Network n, List<String> subnetIds, List<String> tags) {
    ObjectNode o = Json.object();
    o.put("id", n.id());
    o.put("name", n.name());
    o.put("description", n.description());
    o.put("tenant_id", n.projectId());
    o.put("project_id", n.projectId());
    o.put("admin_state_up", n.adminStateUp());
    o.put("status", n.status());
    o.put("shared", n.shared());
    o.put("router:external", n.external());
    o.put("mtu", n.mtu());
    o.put("port_security_enabled", n.portSecurityEnabled());
    ArrayNode subnets = o.putArray("subnets");
    subnetIds.forEach(subnets::add);
    o.putArray("availability_zone_hints");
    o.putArray("availability_zones").add("nova");
    o.putNull("ipv4_address_scope");
    o.putNull("ipv6_address_scope");
    o.put("l2_adjacency", true);
    o.put("dns_domain", n.dnsDomain());
    if (n.external()) {
      o.put("is_default", n.isDefault());
    }
    tags(o, tags);
    timestamps(o, n.createdAt(), n.updatedAt(), n.revision());
    return o;
  }

  /** A subnet; {@code shared} is its network's, as the caller sees it. */
  static ObjectNode subnet(Subnet s, List<String> tags, boolean shared) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("name", s.name());
    o.put("description", s.description());
    o.put("tenant_id", s.projectId());
    o.put("project_id", s.projectId());
    o.put("network_id", s.networkId());
    o.put("shared", shared);
    o.put("ip_version", s.ipVersion());
    o.put("cidr", s.cidr());
    o.put("gateway_ip", s.gatewayIp());
    o.put("enable_dhcp", s.enableDhcp());
    ArrayNode pools = o.putArray("allocation_pools");
    s.allocationPools().forEach(p -> pools.addObject().put("start", p.start()).put("end", p.end()));
    ArrayNode dns = o.putArray("dns_nameservers");
    s.dnsNameservers().forEach(dns::add);
    ArrayNode routes = o.putArray("host_routes");
    s.hostRoutes().forEach(r -> routes.addObject().put("destination", r.destination()).put("nexthop", r.nexthop()));
    o.put("ipv6_ra_mode", s.ipv6RaMode());
    o.put("ipv6_address_mode", s.ipv6AddressMode());
    o.put("subnetpool_id", s.subnetpoolId());
    o.putNull("segment_id");
    o.putArray("service_types");
    tags(o, tags);
    timestamps(o, s.createdAt(), s.updatedAt(), s.revision());
    return o;
  }

  /** A port; the host-level binding details are shown to admins only, as in Neutron. */
  static ObjectNode port(Port p, boolean admin, List<String> tags) {
    ObjectNode o = Json.object();
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("description", p.description());
    o.put("tenant_id", p.projectId());
    o.put("project_id", p.projectId());
    o.put("network_id", p.networkId());
    o.put("mac_address", p.macAddress());
    o.put("admin_state_up", p.adminStateUp());
    o.put("status", p.status());
    o.put("device_id", p.deviceId());
    o.put("device_owner", p.deviceOwner());
    ArrayNode ips = o.putArray("fixed_ips");
    p.fixedIps().forEach(ip -> ips.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
    ArrayNode groups = o.putArray("security_groups");
    p.securityGroups().forEach(groups::add);
    o.put("port_security_enabled", p.portSecurityEnabled());
    ArrayNode pairs = o.putArray("allowed_address_pairs");
    p.allowedAddressPairs().forEach(pair -> pairs.addObject().put("ip_address", pair.ipAddress()).put("mac_address", pair.macAddress()));
    ArrayNode options = o.putArray("extra_dhcp_opts");
    p.extraDhcpOpts().forEach(
        opt -> options.addObject().put("opt_name", opt.name()).put("opt_value", opt.value()).put("ip_version", opt.ipVersion()));
    o.put("dns_name", p.dnsName());
    ArrayNode assignment = o.putArray("dns_assignment");
    for (Port.FixedIp ip : p.fixedIps()) {
      String hostname =
          p.dnsName().isEmpty() ? "host-" + ip.ipAddress().replace('.', '-').replace(':', '-') : p.dnsName();
      String fqdn = hostname.endsWith(".") ? hostname : hostname + "." + DNS_DOMAIN;
      assignment.addObject().put("ip_address", ip.ipAddress()).put("hostname", hostname).put("fqdn", fqdn);
    }
    o.put("ip_allocation", "immediate");
    PortBinding active = p.activeBinding();
    o.put("binding:vnic_type", active == null ? p.vnicType() : active.vnicType());
    if (admin) {
      o.put("binding:host_id", active == null ? "" : active.host());
      o.set("binding:profile", parse(active == null ? p.profile() : active.profile()));
      o.put("binding:vif_type", active == null ? "unbound" : active.vifType());
      o.set("binding:vif_details", parse(active == null ? "{}" : active.vifDetails()));
    }
    tags(o, tags);
    timestamps(o, p.createdAt(), p.updatedAt(), p.revision());
    return o;
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
    ArrayNode array = o.putArray("tags");
    tags.stream().sorted().forEach(array::add);
  }

  /** created_at, updated_at (standard-attr-timestamp) and revision_number (standard-attr-revisions). */
  static void standardAttributes(ObjectNode o, Instant created, Instant updated, long revision) {
    timestamps(o, created, updated, revision);
  }

  private static void timestamps(ObjectNode o, Instant created, Instant updated, long revision) {
    o.put("created_at", created.toString());
    o.put("updated_at", updated.toString());
    o.put("revision_number", revision);
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + json, e);
    }
  }
}
