package dev.kiln.network;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.Subnet.Route;
import dev.kiln.network.store.FloatingIpStore;
import dev.kiln.network.store.ListStore;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.RouterStore;
import dev.kiln.network.store.TagStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Neutron routers (the {@code router}, {@code ext-gw-mode}, {@code extraroute} and {@code
 * extraroute-atomic} extensions): create, update and delete, the external gateway (a port on an
 * external network, {@code network:router_gateway}) and extra routes, each checked against the
 * router's subnets. Every change runs under the router's row lock. Interfaces are {@link
 * RouterInterfaces}'.
 */
public final class Routers {
  /** Neutron's default {@code max_routes}. */
  static final int MAX_ROUTES = 30;

  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;
  private final Ports ports;

  public Routers(Database db, IdGenerator ids, Networks networks, Ports ports) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.ports = requireNonNull(ports, "ports is null");
  }

  /**
   * An external gateway as a request asks for it.
   *
   * @param enableSnat null for the default (true)
   * @param externalFixedIps null for "any address on the external network"
   */
  public record GatewaySpec(String networkId, Boolean enableSnat, List<AddressRequest> externalFixedIps) {}

  /**
   * What a create or update asks for; null means "the default" or "unchanged".
   *
   * @param gatewayGiven whether the request named {@code external_gateway_info} at all; with a null
   *     {@code gateway} it asks for none
   */
  public record Spec(
      String projectId,
      String name,
      String description,
      Boolean adminStateUp,
      boolean gatewayGiven,
      GatewaySpec gateway,
      List<Route> routes) {}

  public Router create(Actor actor, Spec spec) {
    String project = Ownership.ownerProject(actor, spec.projectId());
    if (spec.gateway() != null) {
      checkGateway(actor, spec.gateway());
    }
    Instant now = networks.now();
    String id = ids.uuid();
    return db.inTransaction(
        sql -> {
          Router.Gateway gateway = null;
          if (spec.gateway() != null) {
            gateway = plugGateway(sql, id, spec.gateway());
          }
          // Resource locks (the external network's, above) before the project's quota lock, always.
          NetworkQuotas.reserve(sql, project, "router", 1);
          Router router =
              new Router(
                  id, project, requireNonNullElse(spec.name(), ""), requireNonNullElse(spec.description(), ""),
                  requireNonNullElse(spec.adminStateUp(), true), gateway, List.of(), 1, now, now);
          new RouterStore(sql).insert(router);
          return router;
        });
  }

  /** A router the actor may see: its project's, or any for an admin. */
  public Router visible(Actor actor, String id) {
    Router router = new RouterStore(db.sql()).find(id).orElseThrow(() -> NetworkErrors.routerNotFound(id));
    if (!actor.owns(router.projectId())) {
      throw NetworkErrors.routerNotFound(id);
    }
    return router;
  }

  /**
   * One page of the routers the actor may see, filtered, sorted and paged by the database (see
   * {@link Listing}); refused with MarkerNotFound for a marker the actor cannot see.
   */
  public List<Router> page(Actor actor, Listing listing) {
    if (!actor.admin() && actor.projectId() == null) {
      return Listing.nothingVisible(listing);
    }
    List<String> ids =
        new ListStore(db.sql()).routers(actor.admin() ? null : actor.projectId(), listing)
            .orElseThrow(listing::markerNotFound);
    return ids.isEmpty() ? List.of() : Listing.inOrder(ids, new RouterStore(db.sql()).byIds(ids), Router::id);
  }

  /** Whether {@link #page} can filter and sort on these attributes. */
  public static boolean listableBy(java.util.Collection<String> attributes) {
    return ListStore.routersCover(attributes);
  }

  public List<Router> list(Actor actor) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new RouterStore(db.sql()).list(actor.admin() ? null : actor.projectId());
  }

  /**
   * Changes a router. A new gateway network replaces the gateway port; the same network keeps it
   * (its addresses change only when {@code external_fixed_ips} is given). A gateway that floating
   * IPs need cannot be removed or moved. Routes replace the router's routes.
   */
  public Router update(Actor actor, String id, Spec changes, Long expectedRevision) {
    visible(actor, id);
    if (changes.gateway() != null) {
      checkGateway(actor, changes.gateway());
    }
    return db.inTransaction(
        sql -> {
          RouterStore store = new RouterStore(sql);
          Router old = store.lock(id).orElseThrow(() -> NetworkErrors.routerNotFound(id));
          NetworkErrors.checkRevision(expectedRevision, old.revision());
          Router.Gateway gateway = old.gateway();
          if (changes.gatewayGiven()) {
            gateway = changeGateway(sql, old, changes.gateway());
          }
          List<Route> routes = old.routes();
          if (changes.routes() != null) {
            routes = checkRoutes(sql, old, changes.routes());
            store.replaceRoutes(id, routes);
          }
          Router updated =
              new Router(
                  id, old.projectId(), requireNonNullElse(changes.name(), old.name()),
                  requireNonNullElse(changes.description(), old.description()),
                  requireNonNullElse(changes.adminStateUp(), old.adminStateUp()), gateway, routes, old.revision() + 1,
                  old.createdAt(), networks.now());
          if (!store.update(updated, old.revision())) {
            throw NetworkErrors.concurrentChange("Router", id);
          }
          return store.find(id).orElseThrow();
        });
  }

  /** Adds routes the router does not have yet ({@code add_extraroutes}); answers the router. */
  public Router addRoutes(Actor actor, String id, List<Route> added) {
    return changeRoutes(actor, id, added, true);
  }

  /** Removes the given routes the router has ({@code remove_extraroutes}); answers the router. */
  public Router removeRoutes(Actor actor, String id, List<Route> removed) {
    return changeRoutes(actor, id, removed, false);
  }

  private Router changeRoutes(Actor actor, String id, List<Route> given, boolean add) {
    visible(actor, id);
    List<Route> normalized = normalize(given);
    return db.inTransaction(
        sql -> {
          RouterStore store = new RouterStore(sql);
          Router old = store.lock(id).orElseThrow(() -> NetworkErrors.routerNotFound(id));
          Set<Route> routes = new LinkedHashSet<>(old.routes());
          if (add) {
            routes.addAll(normalized);
          } else {
            normalized.forEach(routes::remove);
          }
          List<Route> checked = checkRoutes(sql, old, new ArrayList<>(routes));
          store.replaceRoutes(id, checked);
          touch(store, old, networks.now());
          return store.find(id).orElseThrow();
        });
  }

  /** Deletes a router with its gateway; refused while it has interfaces or maps floating IPs. */
  public void delete(Actor actor, String id, Long expectedRevision) {
    visible(actor, id);
    db.inTransaction(
        sql -> {
          RouterStore store = new RouterStore(sql);
          Router router = store.lock(id).orElseThrow(() -> NetworkErrors.routerNotFound(id));
          NetworkErrors.checkRevision(expectedRevision, router.revision());
          NetworkStore networkStore = new NetworkStore(sql);
          List<Port> devicePorts = networkStore.portsOfDevice(id);
          if (devicePorts.stream().anyMatch(p -> p.deviceOwner().equals(Router.INTERFACE_OWNER))) {
            throw routerInUse(id, "still has ports");
          }
          if (new FloatingIpStore(sql).countForRouter(id) > 0) {
            throw routerInUse(id, "still has floating IPs");
          }
          for (Port p : devicePorts) {
            if (p.deviceOwner().equals(Router.GATEWAY_OWNER)) {
              deletePort(sql, p.id());
            }
          }
          new TagStore(sql).removeAll(id);
          return store.delete(id);
        });
  }

  // Gateway

  /** Neutron's policy and checks for a gateway: an external network; SNAT and addresses for admins. */
  private void checkGateway(Actor actor, GatewaySpec gateway) {
    if (gateway.enableSnat() != null && !actor.admin()) {
      throw NetworkErrors.policy("create_router:external_gateway_info:enable_snat");
    }
    if (gateway.externalFixedIps() != null && !actor.admin()) {
      throw NetworkErrors.policy("create_router:external_gateway_info:external_fixed_ips");
    }
    Network network = networks.visible(actor, gateway.networkId());
    if (!network.external()) {
      throw NetworkErrors.badRequest("router", "Network " + network.id() + " is not an external network");
    }
  }

  /** Makes the gateway port on the external network, inside the router's transaction. */
  private Router.Gateway plugGateway(Sql sql, String routerId, GatewaySpec spec) {
    NetworkStore store = new NetworkStore(sql);
    Network network = store.findNetwork(spec.networkId()).orElseThrow(() -> NetworkErrors.networkNotFound(spec.networkId()));
    if (!network.external()) {
      throw NetworkErrors.badRequest("router", "Network " + network.id() + " is not an external network");
    }
    if (store.subnets().subnetsOfNetwork(network.id()).isEmpty()) {
      throw NetworkErrors.badRequest("router", "Network " + network.id() + " has no subnet to take a gateway address from");
    }
    Port port =
        ports.createDevicePort(
            store, "", network.id(), spec.externalFixedIps(), false, routerId, Router.GATEWAY_OWNER, "ACTIVE");
    return new Router.Gateway(network.id(), requireNonNullElse(spec.enableSnat(), true), port.fixedIps());
  }

  private Router.Gateway changeGateway(Sql sql, Router router, GatewaySpec wanted) {
    Router.Gateway old = router.gateway();
    boolean sameNetwork = old != null && wanted != null && old.networkId().equals(wanted.networkId());
    if (sameNetwork) {
      if (wanted.externalFixedIps() == null) {
        return new Router.Gateway(old.networkId(), requireNonNullElse(wanted.enableSnat(), true), old.externalFixedIps());
      }
      Port port = gatewayPort(sql, router.id());
      NetworkStore store = new NetworkStore(sql);
      store.lockPort(port.id());
      store.releaseAddresses(port.id());
      AddressAllocator.released(port);
      List<Port.FixedIp> ips = AddressAllocator.allocate(store, old.networkId(), wanted.externalFixedIps(), false);
      for (int i = 0; i < ips.size(); i++) {
        store.allocate(port.id(), ips.get(i), i);
      }
      return new Router.Gateway(old.networkId(), requireNonNullElse(wanted.enableSnat(), true), ips);
    }
    if (old != null) {
      if (new FloatingIpStore(sql).countForRouter(router.id()) > 0) {
        throw ServiceException.conflict(
            "RouterExternalGatewayInUseByFloatingIp",
            "Gateway cannot be updated for router " + router.id() + ", since a gateway to external network "
                + old.networkId() + " is required by one or more floating IPs.");
      }
      deletePort(sql, gatewayPort(sql, router.id()).id());
    }
    return wanted == null ? null : plugGateway(sql, router.id(), wanted);
  }

  private static Port gatewayPort(Sql sql, String routerId) {
    return new NetworkStore(sql).portsOfDevice(routerId).stream()
        .filter(p -> p.deviceOwner().equals(Router.GATEWAY_OWNER))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("router " + routerId + " has a gateway network but no port"));
  }

  static void deletePort(Sql sql, String portId) {
    new TagStore(sql).removeAll(portId);
    NetworkStore store = new NetworkStore(sql);
    store.findPort(portId).ifPresent(AddressAllocator::released);
    store.deletePort(portId);
  }

  // Routes

  /**
   * Neutron's route checks: at most {@link #MAX_ROUTES}, each a destination CIDR and a next hop of
   * the same family, the next hop on one of the router's subnets and not one of its own addresses.
   */
  private static List<Route> checkRoutes(Sql sql, Router router, List<Route> requested) {
    List<Route> routes = normalize(requested);
    if (routes.size() > MAX_ROUTES) {
      throw ServiceException.invalid(
          "RoutesExhausted",
          "Unable to complete operation for " + router.id() + ". The number of routes exceeds the maximum "
              + MAX_ROUTES + ".");
    }
    NetworkStore store = new NetworkStore(sql);
    List<IpNetwork> connected = new ArrayList<>();
    Set<String> own = new java.util.HashSet<>();
    for (Port port : store.portsOfDevice(router.id())) {
      for (Port.FixedIp ip : port.fixedIps()) {
        own.add(ip.ipAddress());
        store.subnets().findSubnet(ip.subnetId()).ifPresent(s -> connected.add(IpNetwork.parse(s.cidr())));
      }
    }
    for (Route route : routes) {
      Ip nexthop = IpAddresses.parse(route.nexthop());
      if (connected.stream().noneMatch(c -> c.contains(nexthop))) {
        throw invalidRoutes(route, "the nexthop is not connected with router");
      }
      if (own.contains(route.nexthop())) {
        throw invalidRoutes(route, "the nexthop is used by router");
      }
    }
    return routes;
  }

  /** Parses and canonicalizes routes; a malformed or repeated one is a 400. */
  static List<Route> normalize(List<Route> requested) {
    List<Route> out = new ArrayList<>();
    for (Route route : requested) {
      IpNetwork destination = IpNetwork.parse(route.destination());
      Ip nexthop = IpAddresses.parse(route.nexthop());
      if (destination == null || nexthop == null || destination.version() != nexthop.version()) {
        throw invalidRoutes(route, "destination must be a CIDR and nexthop an address of the same IP version");
      }
      Route canonical = new Route(destination.normalized().toString(), nexthop.toString());
      if (out.contains(canonical)) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for routes. Reason: Duplicate route '" + canonical.destination() + " via "
                + canonical.nexthop() + "'.");
      }
      out.add(canonical);
    }
    return out;
  }

  private static ServiceException invalidRoutes(Route route, String reason) {
    return ServiceException.invalid(
        "InvalidRoutes",
        "Invalid format for routes: [{'destination': '" + route.destination() + "', 'nexthop': '" + route.nexthop()
            + "'}], " + reason + ".");
  }

  static ServiceException routerInUse(String id, String reason) {
    return ServiceException.conflict("RouterInUse", "Router " + id + " " + reason);
  }

  /** Counts a change of the router (an interface, routes) under its lock: one more revision. */
  static void touch(RouterStore store, Router router, Instant now) {
    Router touched =
        new Router(
            router.id(), router.projectId(), router.name(), router.description(), router.adminStateUp(),
            router.gateway(), router.routes(), router.revision() + 1, router.createdAt(), now);
    if (!store.update(touched, router.revision())) {
      throw NetworkErrors.concurrentChange("Router", router.id());
    }
  }
}
