package dev.kiln.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Networking's records as Neutron's API shows them: networks, subnets and ports with their
 * standard attributes. The Neutron API and Heat's {@code show} attributes of the Neutron resource
 * types both render through this one class, so the two never drift apart.
 */
public final class NeutronShapes {
  /**
   * The domain of the names in a port's {@code dns_assignment}: Neutron's default {@code
   * dns_domain}, as a deployment without DNS configuration has it.
   */
  public static final String DNS_DOMAIN = "openstacklocal.";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final NeutronShapes SHAPES = new NeutronShapes();

  private NeutronShapes() {}

  /** The shapes (stateless; one instance serves everyone). */
  public static NeutronShapes get() {
    return SHAPES;
  }

  public ObjectNode network(Network n, List<String> subnetIds, List<String> tags) {
    ObjectNode o = JSON.objectNode();
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
  public ObjectNode subnet(Subnet s, List<String> tags, boolean shared) {
    ObjectNode o = JSON.objectNode();
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
  public ObjectNode port(Port p, boolean admin, List<String> tags) {
    ObjectNode o = JSON.objectNode();
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
      String fqdn = hostname.endsWith(".") ? hostname : hostname + "." + NeutronShapes.DNS_DOMAIN;
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

  /** The resource's tags (standard-attr-tag), sorted as Neutron lists them. */
  public void tags(ObjectNode o, List<String> tags) {
    ArrayNode array = o.putArray("tags");
    tags.stream().sorted().forEach(array::add);
  }

  /** created_at, updated_at (standard-attr-timestamp) and revision_number (standard-attr-revisions). */
  public void timestamps(ObjectNode o, Instant created, Instant updated, long revision) {
    String createdText = created.toString();
    o.put("created_at", createdText);
    o.put("updated_at", updated.equals(created) ? createdText : updated.toString());
    o.put("revision_number", revision);
  }

  /** A JSON text Networking stored (a binding profile or VIF details). */
  public JsonNode parse(String json) {
    if ("{}".equals(json)) {
      return JSON.objectNode(); // most ports' profile and details: no parser for them
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + json, e);
    }
  }
}
