package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.TemplateResource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Heat's implicit Neutron dependencies ({@code add_dependencies} of its port, floating IP, router
 * and server plugins), so that templates run without {@code depends_on}: whatever plugs into a
 * network waits for that network's subnets, a router's gateway waits for the subnets of its
 * external network, and a floating IP (or its association) waits for what routes its port's subnet
 * or its network: the router interface on that subnet, the router whose gateway is that network.
 * Properties are compared as written, so two resources that name the same network with {@code
 * get_resource}, {@code get_param} or a literal match.
 */
public final class NeutronDependencies {
  static final String SUBNET = "OS::Neutron::Subnet";
  static final String PORT = "OS::Neutron::Port";
  static final String ROUTER = "OS::Neutron::Router";
  static final String ROUTER_INTERFACE = "OS::Neutron::RouterInterface";

  private NeutronDependencies() {}

  /** A port waits for every subnet of its network. */
  static Set<String> ofPort(TemplateResource port, List<TemplateResource> all) {
    return subnetsOn(port.property("network", "network_id"), all);
  }

  /** A router waits for the subnets of the network its gateway is on. */
  static Set<String> ofRouter(TemplateResource router, List<TemplateResource> all) {
    JsonNode gateway = router.property("external_gateway_info");
    return gateway == null ? Set.of() : subnetsOn(present(gateway.get("network")), all);
  }

  /**
   * A server waits for the subnets of the networks it names; a server entry whose network is not
   * known (a port only) waits for every subnet, as Heat's does, since the port may be on any.
   */
  public static Set<String> ofServer(TemplateResource server, List<TemplateResource> all) {
    JsonNode networks = server.property("networks");
    if (networks == null || !networks.isArray() || networks.isEmpty()) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (TemplateResource subnet : all) {
      if (!SUBNET.equals(subnet.type())) {
        continue;
      }
      JsonNode subnetNet = subnet.property("network", "network_id");
      for (JsonNode entry : networks) {
        JsonNode net = present(entry.get("network"));
        if (net == null) {
          net = present(entry.get("uuid"));
        }
        if (subnetNet == null || net == null || net.equals(subnetNet)) {
          out.add(subnet.name());
          break;
        }
      }
    }
    return out;
  }

  /**
   * A floating IP waits for the routers whose gateway is on its network and for the router
   * interfaces on the subnet of the port it maps to.
   */
  static Set<String> ofFloatingIp(TemplateResource ip, List<TemplateResource> all) {
    Set<String> out = new HashSet<>();
    JsonNode network = ip.property("floating_network", "floating_network_id");
    for (TemplateResource other : all) {
      if (ROUTER.equals(other.type()) && network != null) {
        JsonNode gateway = other.property("external_gateway_info");
        if (gateway != null && network.equals(present(gateway.get("network")))) {
          out.add(other.name());
        }
      }
    }
    out.addAll(interfacesForPort(ip, all));
    return out;
  }

  /** An association waits for the router interfaces on the subnet of the port it maps to. */
  static Set<String> ofFloatingIpAssociation(TemplateResource association, List<TemplateResource> all) {
    return interfacesForPort(association, all);
  }

  /** The router interfaces on a subnet of a port {@code resource} refers to. */
  private static Set<String> interfacesForPort(TemplateResource resource, List<TemplateResource> all) {
    Set<String> referenced = new HashSet<>();
    references(resource.properties(), referenced);
    Set<String> out = new HashSet<>();
    for (TemplateResource iface : all) {
      if (!ROUTER_INTERFACE.equals(iface.type())) {
        continue;
      }
      JsonNode subnet = iface.property("subnet", "subnet_id");
      if (subnet == null) {
        continue;
      }
      for (TemplateResource port : all) {
        if (PORT.equals(port.type()) && referenced.contains(port.name()) && portOnSubnet(port, subnet, all)) {
          out.add(iface.name());
        }
      }
    }
    return out;
  }

  /**
   * Whether the port is on the subnet: one of its fixed IPs names it, or (no fixed IPs) the subnet
   * is a resource of the template on the port's network.
   */
  private static boolean portOnSubnet(TemplateResource port, JsonNode subnet, List<TemplateResource> all) {
    JsonNode fixedIps = port.property("fixed_ips");
    if (fixedIps != null && fixedIps.isArray() && !fixedIps.isEmpty()) {
      for (JsonNode fixed : fixedIps) {
        JsonNode on = present(fixed.get("subnet"));
        if (on == null) {
          on = present(fixed.get("subnet_id"));
        }
        if (subnet.equals(on)) {
          return true;
        }
      }
      return false;
    }
    JsonNode network = port.property("network", "network_id");
    if (network == null) {
      return false;
    }
    for (TemplateResource s : all) {
      if (SUBNET.equals(s.type()) && network.equals(s.property("network", "network_id"))
          && subnet.equals(reference(s.name()))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> subnetsOn(JsonNode network, List<TemplateResource> all) {
    if (network == null) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (TemplateResource r : all) {
      if (SUBNET.equals(r.type()) && network.equals(r.property("network", "network_id"))) {
        out.add(r.name());
      }
    }
    return out;
  }

  /** {@code {"get_resource": name}}: how a template names a resource of its own. */
  private static JsonNode reference(String name) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("get_resource", name);
  }

  private static JsonNode present(JsonNode v) {
    return v == null || v.isNull() ? null : v;
  }

  /** The resources a snippet refers to (get_resource, get_attr, Ref, Fn::GetAtt). */
  private static void references(JsonNode node, Set<String> out) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        JsonNode v = e.getValue();
        switch (e.getKey()) {
          case "get_resource", "Ref" -> {
            if (v.isTextual()) {
              out.add(v.textValue());
            }
          }
          case "get_attr", "Fn::GetAtt" -> {
            if (v.isArray() && !v.isEmpty() && v.get(0).isTextual()) {
              out.add(v.get(0).textValue());
            }
          }
          default -> { }
        }
        references(v, out);
      });
    } else if (node.isArray()) {
      node.forEach(n -> references(n, out));
    }
  }
}
