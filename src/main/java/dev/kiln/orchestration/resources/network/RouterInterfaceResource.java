package dev.kiln.orchestration.resources.network;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Port;
import dev.kiln.network.Router;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Set;

/**
 * {@code OS::Neutron::RouterInterface}: a router's interface on a subnet, or through a given port.
 * Its physical id is Heat's {@code <router>:subnet_id=<subnet>} (or {@code port_id=<port>}); every
 * property replaces it. An interface through a port holds that port ({@code port:<id>}), so a stack
 * update that moves the port elsewhere takes it out of the router first.
 */
final class RouterInterfaceResource implements ResourceType {
  static final String TYPE = "OS::Neutron::RouterInterface";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "An interface of a Neutron router on a subnet, or through a port.",
          "2013.1",
          Props.properties(
              "router",
              Props.string("Name or id of the router (router_id, deprecated, may stand in).")
                  .required().custom("neutron.router"),
              "router_id",
              Props.string("Id of the router.").custom("neutron.router").support("HIDDEN", "6.0.0", "Use property router."),
              "subnet_id",
              Props.string(null).custom("neutron.subnet").support("HIDDEN", "5.0.0", "Use property subnet."),
              "subnet",
              Props.string("Name or id of the subnet; give either the subnet or the port.").custom("neutron.subnet"),
              "port_id",
              Props.string("Id of the port; give either the subnet or the port.").custom("neutron.port")
                  .support("HIDDEN", "6.0.0", "Use property port."),
              "port",
              Props.string("Name or id of the port; give either the subnet or the port.").custom("neutron.port")
                  .since("2015.1")),
          Props.attributes())
          .translating("router_id", "router")
          .translating("subnet_id", "subnet")
          .translating("port_id", "port");

  private final Neutron neutron;

  RouterInterfaceResource(Neutron neutron) {
    this.neutron = requireNonNull(neutron, "neutron is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public Set<String> claims(JsonNode properties) {
    String port = port(properties);
    return port == null ? Set.of() : Set.of("port:" + port);
  }

  private static String subnet(JsonNode props) {
    return Read.text(props, "subnet") != null ? Read.text(props, "subnet") : Read.text(props, "subnet_id");
  }

  private static String port(JsonNode props) {
    return Read.text(props, "port") != null ? Read.text(props, "port") : Read.text(props, "port_id");
  }

  /** Heat's check before anything runs: the subnet or the port, exactly one. */
  @Override
  public void validate(dev.kiln.orchestration.template.KnownProperties p) {
    boolean subnet = p.given("subnet") || p.given("subnet_id");
    boolean port = p.given("port") || p.given("port_id");
    if (subnet && port) {
      throw dev.kiln.common.ServiceException.invalid(
          "ResourcePropertyConflict", "Cannot define the following properties at the same time: subnet, port.");
    }
    if (!subnet && !port) {
      throw dev.kiln.common.ServiceException.invalid(
          "PropertyUnspecifiedError", "At least one of the following properties must be specified: subnet, port.");
    }
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    String subnet = subnet(props);
    String port = port(props);
    if (subnet != null && port != null) {
      throw SubnetResource.conflict("subnet, port");
    }
    if (subnet == null && port == null) {
      throw NeutronErrors.heat(
          "PropertyUnspecifiedError", "At least one of the following properties must be specified: subnet, port.");
    }
    Actor owner = context.owner();
    String routerId = neutron.lookup.id(owner, Lookup.Kind.ROUTER, Read.required(props, context.name(), "router", "router_id"));
    if (subnet != null) {
      String subnetId = neutron.lookup.id(owner, Lookup.Kind.SUBNET, subnet);
      if (!madeOnSubnet(context, owner, routerId, subnetId)) {
        NeutronErrors.call(() -> neutron.net.routerInterfaces().add(owner, routerId, subnetId, null));
      }
      context.physicalId(routerId + ":subnet_id=" + subnetId);
    } else {
      String portId = neutron.lookup.id(owner, Lookup.Kind.PORT, port);
      Port current = NeutronErrors.call(() -> neutron.net.ports().visible(owner, portId));
      if (!current.deviceId().equals(routerId)) {
        NeutronErrors.call(() -> neutron.net.routerInterfaces().add(owner, routerId, null, portId));
      }
      context.physicalId(routerId + ":port_id=" + portId);
    }
  }

  /** Whether an interrupted attempt already gave the router its interface on the subnet. */
  private boolean madeOnSubnet(ResourceContext context, Actor owner, String routerId, String subnetId) {
    for (Port p : neutron.net.ports().list(owner)) {
      if (p.deviceId().equals(routerId) && p.deviceOwner().equals(Router.INTERFACE_OWNER)
          && p.fixedIps().stream().anyMatch(ip -> ip.subnetId().equals(subnetId))
          && Neutron.madeSince(p.createdAt(), context)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = context.physicalId() != null ? context.physicalId() : fromProperties(context);
    if (id == null) {
      return;
    }
    String[] parts = id.replace('=', ':').split(":");
    if (parts.length == 2) {
      parts = new String[] {parts[0], "subnet_id", parts[1]};
    }
    String routerId = parts[0];
    boolean bySubnet = parts[1].equals("subnet_id");
    String value = parts[2];
    Actor owner = context.owner();
    NeutronErrors.removing(
        () -> neutron.net.routerInterfaces().remove(owner, routerId, bySubnet ? value : null, bySubnet ? null : value));
  }

  /**
   * The id a create whose outcome a crash lost would have recorded, from the properties the row
   * kept; null when there are none or the router is gone.
   */
  private String fromProperties(ResourceContext context) {
    JsonNode props = context.properties();
    String router = props == null ? null : Read.text(props, "router") != null ? Read.text(props, "router") : Read.text(props, "router_id");
    if (router == null) {
      return null;
    }
    Actor owner = context.owner();
    try {
      String routerId = neutron.lookup.id(owner, Lookup.Kind.ROUTER, router);
      String subnet = subnet(props);
      String port = port(props);
      if (subnet != null) {
        return routerId + ":subnet_id=" + neutron.lookup.id(owner, Lookup.Kind.SUBNET, subnet);
      }
      return port == null ? null : routerId + ":port_id=" + neutron.lookup.id(owner, Lookup.Kind.PORT, port);
    } catch (ResourceError e) {
      return null;
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    if (context.physicalId() == null) {
      throw new ResourceError("Error", "Resource not created");
    }
    String routerId = context.physicalId().split(":")[0];
    try {
      neutron.net.routers().visible(context.owner(), routerId);
    } catch (ServiceException e) {
      throw NeutronErrors.of(e);
    }
  }
}
