package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Kiln's Networking service: the parts the API and other services (Compute) call. Compute uses
 * {@link Ports#plug} and {@link Ports#unplug}, exactly the operations Nova asks of Neutron, and
 * reads floating IPs by port with {@link FloatingIps#byPorts} (for server addresses).
 */
public record NetworkService(
    Networks networks,
    Subnets subnets,
    Ports ports,
    PortBindings bindings,
    SecurityGroups securityGroups,
    NetworkQuotas quotas,
    Routers routers,
    RouterInterfaces routerInterfaces,
    FloatingIps floatingIps,
    Tags tags,
    SubnetPools subnetPools,
    AddressScopes addressScopes,
    Trunks trunks,
    RbacPolicies rbacPolicies,
    PortForwardings portForwardings) {

  public NetworkService {
    requireNonNull(networks, "networks is null");
    requireNonNull(subnets, "subnets is null");
    requireNonNull(ports, "ports is null");
    requireNonNull(bindings, "bindings is null");
    requireNonNull(securityGroups, "securityGroups is null");
    requireNonNull(quotas, "quotas is null");
    requireNonNull(routers, "routers is null");
    requireNonNull(routerInterfaces, "routerInterfaces is null");
    requireNonNull(floatingIps, "floatingIps is null");
    requireNonNull(tags, "tags is null");
    requireNonNull(subnetPools, "subnetPools is null");
    requireNonNull(addressScopes, "addressScopes is null");
    requireNonNull(trunks, "trunks is null");
    requireNonNull(rbacPolicies, "rbacPolicies is null");
    requireNonNull(portForwardings, "portForwardings is null");
  }

  /** Neutron's JSON shapes of networks, subnets and ports, for callers that show them as Neutron does. */
  public NeutronShapes shapes() {
    return NeutronShapes.get();
  }

  /** Wires the service over one database. */
  public static NetworkService create(
      Database db, Clock clock, IdGenerator ids, RandomGenerator random, ComputeHosts hosts) {
    Networks networks = new Networks(db, clock, ids);
    SubnetPools subnetPools = new SubnetPools(db, ids, networks);
    Subnets subnets = new Subnets(db, ids, networks, subnetPools);
    SecurityGroups securityGroups = SecurityGroups.create(db, clock, ids);
    Ports ports = new Ports(db, ids, random, networks, securityGroups, hosts);
    Routers routers = new Routers(db, ids, networks, ports);
    FloatingIps floatingIps = new FloatingIps(db, ids, networks, ports);
    return new NetworkService(
        networks, subnets, ports, new PortBindings(ports), securityGroups, new NetworkQuotas(db), routers,
        new RouterInterfaces(db, routers, subnets, ports), floatingIps, new Tags(db, clock), subnetPools,
        new AddressScopes(db, ids, networks), new Trunks(db, ids, networks, ports), new RbacPolicies(db, ids, networks),
        new PortForwardings(db, ids, floatingIps, ports));
  }
}
