package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Subnet.Pool;
import dev.kiln.network.Subnet.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks and defaults of a subnet's fields, as Neutron applies them on create and update:
 * the CIDR, the gateway, the allocation pools, DNS servers, host routes and the IPv6 modes.
 * Pure functions of the request; {@link Subnets} runs them before it touches the database.
 */
final class SubnetFields {
  private SubnetFields() {}

  static final java.util.Set<String> IPV6_MODES = java.util.Set.of("slaac", "dhcpv6-stateful", "dhcpv6-stateless");

  /**
   * Neutron's rules for the IPv6 modes: each one of its three values and, on IPv6 subnets, only
   * with DHCP enabled and when both are given the same (radvd and dnsmasq must agree on how
   * hosts get addresses).
   */
  static void checkIpv6Modes(Subnets.Spec spec, int version) {
    String ra = spec.ipv6RaMode();
    String address = spec.ipv6AddressMode();
    for (var mode : java.util.Map.of("ipv6_ra_mode", java.util.Optional.ofNullable(ra),
        "ipv6_address_mode", java.util.Optional.ofNullable(address)).entrySet()) {
      mode.getValue().filter(v -> !IPV6_MODES.contains(v)).ifPresent(v -> {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for " + mode.getKey() + ". Reason: '" + v + "' is not one of slaac, dhcpv6-stateful,"
                + " dhcpv6-stateless.");
      });
    }
    if (ra == null && address == null) {
      return;
    }
    if (version != 6) {
      return; // an IPv4 subnet ignores them, as Neutron's IPv6-only checks do
    }
    if (Boolean.FALSE.equals(spec.enableDhcp())) {
      throw NetworkErrors.invalid("ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is false.");
    }
    if (ra != null && address != null && !ra.equals(address)) {
      throw NetworkErrors.invalid(
          "ipv6_ra_mode '" + ra + "' with ipv6_address_mode '" + address + "' is not valid: when both are set they"
              + " must be the same.");
    }
  }

  static IpNetwork cidr(String text, int version) {
    if (text == null) {
      throw NetworkErrors.badRequest("subnets", "a cidr must be specified in the absence of a subnet pool");
    }
    IpNetwork cidr = IpNetwork.parse(text);
    if (cidr == null) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for cidr. Reason: '" + text + "' is not a valid IP subnet.");
    }
    if (cidr.version() != version) {
      throw NetworkErrors.invalid("Cidr " + text + " does not match the IP version " + version + ".");
    }
    if (!cidr.isNormalized()) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for cidr. Reason: '"
              + text
              + "' isn't a recommended CIDR, '"
              + cidr.normalized()
              + "' is recommended.");
    }
    int maxPrefix = version == 4 ? 30 : 126;
    if (cidr.prefix() > maxPrefix) {
      throw NetworkErrors.invalid(
          "the prefix of " + text + " leaves no room for ports; use /" + maxPrefix + " or larger.");
    }
    return cidr;
  }

  static String gateway(String text, IpNetwork cidr) {
    if (text == null) {
      return null;
    }
    Ip ip = IpAddresses.parse(text);
    if (ip == null || !cidr.contains(ip)
        || (cidr.version() == 4 && (ip.equals(cidr.first()) || ip.equals(cidr.last())))) {
      throw NetworkErrors.invalid("Gateway IP " + text + " is not a valid address on subnet " + cidr + ".");
    }
    return IpAddresses.format(ip);
  }

  /** Every usable address but the gateway: without the network and broadcast addresses on IPv4. */
  static List<Pool> defaultPools(IpNetwork cidr, String gateway) {
    Ip first = cidr.first().plus(1);
    Ip last = cidr.version() == 4 ? cidr.last().plus(-1) : cidr.last();
    Ip gw = IpAddresses.parse(gateway);
    List<Pool> pools = new ArrayList<>();
    if (gw == null || gw.compareTo(first) < 0 || gw.compareTo(last) > 0) {
      pools.add(new Pool(first.toString(), last.toString()));
    } else {
      if (gw.compareTo(first) > 0) {
        pools.add(new Pool(first.toString(), gw.plus(-1).toString()));
      }
      if (gw.compareTo(last) < 0) {
        pools.add(new Pool(gw.plus(1).toString(), last.toString()));
      }
    }
    return pools;
  }

  static List<Pool> pools(List<Pool> requested, IpNetwork cidr) {
    List<Pool> out = new ArrayList<>();
    List<Ip[]> ranges = new ArrayList<>();
    for (Pool pool : requested) {
      Ip start = IpAddresses.parse(pool.start());
      Ip end = IpAddresses.parse(pool.end());
      if (start == null || end == null || start.version() != cidr.version() || end.version() != cidr.version()) {
        throw NetworkErrors.invalid("allocation pool " + pool.start() + "-" + pool.end() + " is not a range of addresses of this subnet's family.");
      }
      boolean v4Edge =
          cidr.version() == 4 && (start.equals(cidr.first()) || end.equals(cidr.last()));
      if (!cidr.contains(start) || !cidr.contains(end) || v4Edge) {
        throw ServiceException.invalid(
            "OutOfBoundsAllocationPool",
            "The allocation pool " + pool.start() + "-" + pool.end() + " spans beyond the subnet cidr " + cidr + ".");
      }
      if (start.compareTo(end) > 0) {
        throw NetworkErrors.invalid("allocation pool " + pool.start() + "-" + pool.end() + " ends before it starts.");
      }
      for (Ip[] other : ranges) {
        if (start.compareTo(other[1]) <= 0 && other[0].compareTo(end) <= 0) {
          throw ServiceException.invalid(
              "OverlappingAllocationPools",
              "Found overlapping allocation pools: " + pool.start() + "-" + pool.end() + " and "
                  + other[0] + "-" + other[1] + " for subnet " + cidr + ".");
        }
      }
      ranges.add(new Ip[] {start, end});
      out.add(new Pool(start.toString(), end.toString()));
    }
    return out;
  }

  static void checkGatewayOutsidePools(String gateway, List<Pool> pools) {
    Ip gw = IpAddresses.parse(gateway);
    if (gw == null) {
      return;
    }
    for (Pool pool : pools) {
      if (gw.compareTo(IpAddresses.parse(pool.start())) >= 0 && gw.compareTo(IpAddresses.parse(pool.end())) <= 0) {
        throw ServiceException.conflict(
            "GatewayConflictWithAllocationPools",
            "Gateway ip " + gateway + " conflicts with allocation pool " + pool.start() + "-" + pool.end() + ".");
      }
    }
  }

  static List<String> dns(List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String address : requested) {
      Ip ip = IpAddresses.parse(address);
      if (ip == null) {
        throw NetworkErrors.invalid("dns_nameservers: '" + address + "' is not a valid IP address.");
      }
      String canonical = ip.toString();
      if (out.contains(canonical)) {
        throw NetworkErrors.invalid("dns_nameservers: '" + address + "' is given twice.");
      }
      out.add(canonical);
    }
    return out;
  }

  static List<Route> routes(List<Route> requested) {
    List<Route> out = new ArrayList<>();
    for (Route route : requested) {
      IpNetwork destination = IpNetwork.parse(route.destination());
      Ip nexthop = IpAddresses.parse(route.nexthop());
      if (destination == null || nexthop == null || destination.version() != nexthop.version()) {
        throw NetworkErrors.invalid(
            "host_routes: destination " + route.destination() + " via " + route.nexthop() + " is not a valid route.");
      }
      out.add(new Route(destination.toString(), nexthop.toString()));
    }
    return out;
  }
}
