package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.store.FloatingIpStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.RouterStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A router's interfaces ({@code add_router_interface}, {@code remove_router_interface}): a port
 * on a subnet with device owner {@code network:router_interface}. Added by subnet, the port is
 * made with the subnet's gateway address; added by port, the user's port becomes the interface.
 *
 * <p>Each change runs in one transaction under the router's row lock, then the subnets' (the same
 * locks address allocation takes), so a subnet never ends up on two routers however requests race,
 * and an interface that cannot be added leaves no port behind.
 */
public final class RouterInterfaces {
  private final Database db;
  private final Routers routers;
  private final Subnets subnets;
  private final Ports ports;

  public RouterInterfaces(Database db, Routers routers, Subnets subnets, Ports ports) {
    this.db = requireNonNull(db, "db is null");
    this.routers = requireNonNull(routers, "routers is null");
    this.subnets = requireNonNull(subnets, "subnets is null");
    this.ports = requireNonNull(ports, "ports is null");
  }

  /** Adds an interface on a subnet (given {@code subnetId}) or with a port (given {@code portId}). */
  public Router.Interface add(Actor actor, String routerId, String subnetId, String portId) {
    checkOneOf(subnetId, portId);
    Router router = routers.visible(actor, routerId);
    return portId != null ? addPort(actor, router, portId) : addSubnet(actor, router, subnetId);
  }

  private Router.Interface addSubnet(Actor actor, Router router, String subnetId) {
    Subnet subnet = subnets.visible(actor, subnetId);
    if (subnet.gatewayIp() == null) {
      throw NetworkErrors.badRequest("router", "Subnet for router interface must have a gateway IP");
    }
    return db.inTransaction(
        sql -> {
          RouterStore routerStore = new RouterStore(sql);
          Router locked = routerStore.lock(router.id()).orElseThrow(() -> NetworkErrors.routerNotFound(router.id()));
          NetworkStore store = new NetworkStore(sql);
          store.lockNetwork(subnet.networkId()).orElseThrow(() -> NetworkErrors.networkNotFound(subnet.networkId()));
          checkJoinable(store, locked, List.of(subnet.id()));
          Port port =
              ports.createDevicePort(
                  store, subnet.projectId(), subnet.networkId(), List.of(new AddressRequest(subnet.id(), subnet.gatewayIp())),
                  true, router.id(), Router.INTERFACE_OWNER, "ACTIVE");
          Routers.touch(routerStore, locked, port.createdAt());
          return new Router.Interface(router.id(), router.projectId(), port.id(), port.networkId(), List.of(subnet.id()));
        });
  }

  private Router.Interface addPort(Actor actor, Router router, String portId) {
    Port visible = ports.visible(actor, portId);
    return db.inTransaction(
        sql -> {
          RouterStore routerStore = new RouterStore(sql);
          Router locked = routerStore.lock(router.id()).orElseThrow(() -> NetworkErrors.routerNotFound(router.id()));
          NetworkStore store = new NetworkStore(sql);
          Port port = store.lockPort(visible.id()).orElseThrow(() -> NetworkErrors.portNotFound(portId));
          if (!port.deviceId().isEmpty()) {
            throw ServiceException.conflict(
                "PortInUse",
                "Unable to complete operation on port " + portId + " for network " + port.networkId()
                    + ". Port already has an attached device " + port.deviceId() + ".");
          }
          if (port.fixedIps().isEmpty()) {
            throw NetworkErrors.badRequest("router", "Router port must have at least one fixed IP");
          }
          List<String> subnetIds = port.fixedIps().stream().map(Port.FixedIp::subnetId).distinct().toList();
          checkJoinable(store, locked, subnetIds);
          Port plugged =
              new Port(
                  port.id(), port.projectId(), port.networkId(), port.name(), port.description(), port.macAddress(),
                  port.adminStateUp(), port.adminStateUp() ? "ACTIVE" : "DOWN", router.id(), Router.INTERFACE_OWNER,
                  port.portSecurityEnabled(), port.vnicType(), port.profile(), port.fixedIps(), port.securityGroups(),
                  null, port.revision() + 1, port.createdAt(), ports.now());
          Ports.writePort(store, plugged, port.revision());
          Routers.touch(routerStore, locked, plugged.updatedAt());
          return new Router.Interface(router.id(), router.projectId(), port.id(), port.networkId(), subnetIds);
        });
  }

  /**
   * Refuses subnets the router already has, subnets overlapping the router's others, and subnets
   * another router serves. Locks each subnet (in id order, as allocation does) before looking.
   */
  private static void checkJoinable(NetworkStore store, Router router, List<String> subnetIds) {
    List<Subnet> current = interfaceSubnets(store, router.id());
    for (String subnetId : new TreeSet<>(subnetIds)) {
      if (!store.subnets().lockSubnet(subnetId)) {
        throw NetworkErrors.subnetNotFound(subnetId);
      }
      Subnet subnet = store.subnets().findSubnet(subnetId).orElseThrow(() -> NetworkErrors.subnetNotFound(subnetId));
      IpNetwork cidr = IpNetwork.parse(subnet.cidr());
      for (Subnet other : current) {
        if (other.id().equals(subnetId)) {
          throw NetworkErrors.badRequest("router", "Router already has a port on subnet " + subnetId);
        }
        if (IpNetwork.parse(other.cidr()).overlaps(cidr)) {
          throw NetworkErrors.badRequest(
              "router",
              "Cidr " + subnet.cidr() + " of subnet " + subnetId + " overlaps with cidr " + other.cidr() + " of subnet "
                  + other.id());
        }
      }
      List<String> others = store.devicesOnSubnet(subnetId, Router.INTERFACE_OWNER);
      if (!others.isEmpty()) {
        throw ServiceException.conflict(
            "SubnetInUseByRouter",
            "Subnet " + subnetId + " is already connected to router " + others.getFirst()
                + "; Kiln connects a subnet to one router at a time.");
      }
    }
  }

  /**
   * Removes an interface: the router's port on the subnet, or the given port, which is deleted.
   * Refused while floating IPs or routes of the router need it.
   */
  public Router.Interface remove(Actor actor, String routerId, String subnetId, String portId) {
    checkOneOf(subnetId, portId);
    Router router = routers.visible(actor, routerId);
    return db.inTransaction(
        sql -> {
          RouterStore routerStore = new RouterStore(sql);
          Router locked = routerStore.lock(router.id()).orElseThrow(() -> NetworkErrors.routerNotFound(routerId));
          NetworkStore store = new NetworkStore(sql);
          Port port = interfacePort(store, locked, subnetId, portId);
          store.lockPort(port.id());
          List<String> subnetIds = port.fixedIps().stream().map(Port.FixedIp::subnetId).distinct().toList();
          for (String id : subnetIds) {
            checkUnused(sql, store, locked, id);
          }
          Routers.deletePort(sql, port.id());
          Routers.touch(routerStore, locked, ports.now());
          return new Router.Interface(routerId, router.projectId(), port.id(), port.networkId(), subnetIds);
        });
  }

  private static Port interfacePort(NetworkStore store, Router router, String subnetId, String portId) {
    List<Port> interfaces =
        store.portsOfDevice(router.id()).stream().filter(p -> p.deviceOwner().equals(Router.INTERFACE_OWNER)).toList();
    if (portId != null) {
      return interfaces.stream()
          .filter(p -> p.id().equals(portId))
          .findFirst()
          .orElseThrow(
              () -> ServiceException.notFound(
                  "RouterInterfaceNotFound",
                  "Router " + router.id() + " does not have an interface with id " + portId));
    }
    return interfaces.stream()
        .filter(p -> p.fixedIps().stream().anyMatch(ip -> ip.subnetId().equals(subnetId)))
        .findFirst()
        .orElseThrow(
            () -> ServiceException.notFound(
                "RouterInterfaceNotFoundForSubnet",
                "Router " + router.id() + " has no interface on subnet " + subnetId));
  }

  private static void checkUnused(Sql sql, NetworkStore store, Router router, String subnetId) {
    if (new FloatingIpStore(sql).countForRouterSubnet(router.id(), subnetId) > 0) {
      throw ServiceException.conflict(
          "RouterInterfaceInUseByFloatingIP",
          "Router interface for subnet " + subnetId + " on router " + router.id()
              + " cannot be deleted, as it is required by one or more floating IPs.");
    }
    Subnet subnet = store.subnets().findSubnet(subnetId).orElse(null);
    if (subnet == null) {
      return;
    }
    IpNetwork cidr = IpNetwork.parse(subnet.cidr());
    if (router.routes().stream().anyMatch(r -> cidr.contains(IpAddresses.parse(r.nexthop())))) {
      throw ServiceException.conflict(
          "RouterInterfaceInUseByRoute",
          "Router interface for subnet " + subnetId + " on router " + router.id()
              + " cannot be deleted, as it is required by one or more routes.");
    }
  }

  /** The subnets the router has interfaces on. */
  static List<Subnet> interfaceSubnets(NetworkStore store, String routerId) {
    Set<String> ids = new TreeSet<>();
    for (Port p : store.portsOfDevice(routerId)) {
      if (p.deviceOwner().equals(Router.INTERFACE_OWNER)) {
        p.fixedIps().forEach(ip -> ids.add(ip.subnetId()));
      }
    }
    List<Subnet> out = new ArrayList<>();
    for (String id : ids) {
      store.subnets().findSubnet(id).ifPresent(out::add);
    }
    return out;
  }

  private static void checkOneOf(String subnetId, String portId) {
    if (subnetId == null && portId == null) {
      throw NetworkErrors.badRequest("router", "Either subnet_id or port_id must be specified");
    }
    if (subnetId != null && portId != null) {
      throw NetworkErrors.badRequest("router", "Cannot specify both subnet-id and port-id");
    }
  }
}
