package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.Port;
import dev.kiln.network.PortForwarding;
import dev.kiln.network.Router;
import dev.kiln.network.Subnet;
import java.util.List;
import java.util.Set;

/** Neutron's JSON shapes for routers, router interfaces and floating IPs. */
final class L3Views {
  static final Set<String> ROUTER_ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "admin_state_up", "status",
          "external_gateway_info", "routes", "distributed", "ha", "availability_zone_hints",
          "availability_zones", "flavor_id", "tags", "created_at", "updated_at", "revision_number");

  static final Set<String> FLOATING_IP_ATTRIBUTES =
      Set.of(
          "id", "tenant_id", "project_id", "floating_network_id", "floating_ip_address", "fixed_ip_address",
          "port_id", "router_id", "status", "description", "dns_domain", "dns_name", "port_forwardings",
          "qos_policy_id", "tags", "created_at", "updated_at", "revision_number");

  private L3Views() {}

  /** A router; {@code distributed} and {@code ha} are shown to admins only, as in Neutron. */
  static ObjectNode router(Router r, boolean admin, List<String> tags) {
    ObjectNode o = Json.object();
    o.put("id", r.id());
    o.put("name", r.name());
    o.put("description", r.description());
    o.put("tenant_id", r.projectId());
    o.put("project_id", r.projectId());
    o.put("admin_state_up", r.adminStateUp());
    o.put("status", r.status());
    if (r.gateway() == null) {
      o.putNull("external_gateway_info");
    } else {
      ObjectNode gw = o.putObject("external_gateway_info");
      gw.put("network_id", r.gateway().networkId());
      gw.put("enable_snat", r.gateway().enableSnat());
      ArrayNode ips = gw.putArray("external_fixed_ips");
      r.gateway().externalFixedIps().forEach(ip -> ips.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
    }
    o.set("routes", routes(r.routes()));
    if (admin) {
      o.put("distributed", false);
      o.put("ha", false);
    }
    o.putArray("availability_zone_hints");
    o.putArray("availability_zones").add("nova");
    o.putNull("flavor_id");
    NetworkViews.tags(o, tags);
    NetworkViews.standardAttributes(o, r.createdAt(), r.updatedAt(), r.revision());
    return o;
  }

  static ArrayNode routes(List<Subnet.Route> routes) {
    ArrayNode out = Json.array();
    routes.forEach(route -> out.addObject().put("destination", route.destination()).put("nexthop", route.nexthop()));
    return out;
  }

  /** What add_router_interface and remove_router_interface answer. */
  static ObjectNode routerInterface(Router.Interface i) {
    ObjectNode o = Json.object();
    o.put("id", i.routerId());
    o.put("tenant_id", i.projectId());
    o.put("project_id", i.projectId());
    o.put("port_id", i.portId());
    o.put("network_id", i.networkId());
    o.put("subnet_id", i.subnetIds().isEmpty() ? null : i.subnetIds().getFirst());
    ArrayNode ids = o.putArray("subnet_ids");
    i.subnetIds().forEach(ids::add);
    return o;
  }

  /**
   * A floating IP, with {@code port_details} (the {@code fip-port-details} extension) when it is
   * associated with a port the caller gave.
   */
  static ObjectNode floatingIp(FloatingIp f, Port port, List<String> tags, List<PortForwarding> forwardings) {
    ObjectNode o = Json.object();
    o.put("id", f.id());
    o.put("tenant_id", f.projectId());
    o.put("project_id", f.projectId());
    o.put("floating_network_id", f.floatingNetworkId());
    o.put("floating_ip_address", f.floatingIpAddress());
    o.put("fixed_ip_address", f.fixedIpAddress());
    o.put("port_id", f.portId());
    o.put("router_id", f.routerId());
    o.put("status", f.status());
    o.put("description", f.description());
    o.put("dns_domain", "");
    o.put("dns_name", "");
    if (port == null) {
      o.putNull("port_details");
    } else {
      ObjectNode details = o.putObject("port_details");
      details.put("name", port.name());
      details.put("network_id", port.networkId());
      details.put("mac_address", port.macAddress());
      details.put("admin_state_up", port.adminStateUp());
      details.put("status", port.status());
      details.put("device_id", port.deviceId());
      details.put("device_owner", port.deviceOwner());
    }
    ArrayNode forwarded = o.putArray("port_forwardings");
    for (PortForwarding pf : forwardings) {
      forwarded.addObject()
          .put("protocol", pf.protocol())
          .put("internal_ip_address", pf.internalIpAddress())
          .put("internal_port", pf.internalPort())
          .put("external_port", pf.externalPort());
    }
    o.putNull("qos_policy_id");
    NetworkViews.tags(o, tags);
    NetworkViews.standardAttributes(o, f.createdAt(), f.updatedAt(), f.revision());
    return o;
  }
}
