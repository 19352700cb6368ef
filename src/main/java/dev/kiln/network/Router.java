package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/**
 * A Neutron router: interfaces on subnets (ports with device owner {@code
 * network:router_interface}), at most one gateway on an external network (a port with device
 * owner {@code network:router_gateway}) and extra routes.
 *
 * @param gateway the external gateway, or null when the router has none
 */
public record Router(
    String id,
    String projectId,
    String name,
    String description,
    boolean adminStateUp,
    Gateway gateway,
    List<Subnet.Route> routes,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  /** Device owner of a router's ports on its subnets. */
  public static final String INTERFACE_OWNER = "network:router_interface";
  /** Device owner of a router's port on its external network. */
  public static final String GATEWAY_OWNER = "network:router_gateway";

  public Router {
    routes = List.copyOf(routes);
  }

  /** Kiln's routers forward as soon as they exist: there is no agent to wait for. */
  public String status() {
    return "ACTIVE";
  }

  /**
   * A router's external gateway.
   *
   * @param externalFixedIps the gateway port's addresses
   */
  public record Gateway(String networkId, boolean enableSnat, List<Port.FixedIp> externalFixedIps) {
    public Gateway {
      externalFixedIps = List.copyOf(externalFixedIps);
    }
  }

  /** What adding or removing an interface answers: the router, the port and its subnets. */
  public record Interface(
      String routerId, String projectId, String portId, String networkId, List<String> subnetIds) {
    public Interface {
      subnetIds = List.copyOf(subnetIds);
    }
  }
}
