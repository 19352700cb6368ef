package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.store.NetworkStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks addresses for a port from its network's subnets, inside the caller's transaction: each
 * subnet it takes from is locked first (in id order, so two requests never wait on each other in
 * a cycle), so two ports never get the same address. Used for users' ports and for the ports
 * Networking makes itself (router interfaces and gateways, floating IPs).
 */
final class AddressAllocator {
  private AddressAllocator() {}

  /**
   * Picks the port's addresses. Subnets are locked in id order (so two requests never wait on
   * each other in a cycle); then each request gets its address or the first free one.
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, String portId) {
    return allocate(store, networkId, requested, false);
  }

  /**
   * Like {@link #allocate(NetworkStore, String, List, String)}; with {@code mayTakeGateway} a
   * request may name a subnet's gateway address, as a router interface takes it.
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, boolean mayTakeGateway) {
    List<Subnet> subnets = new ArrayList<>(store.subnetsOfNetwork(networkId));
    subnets.sort(Comparator.comparing(Subnet::createdAt).thenComparing(Subnet::id));
    Map<String, Subnet> byId = new HashMap<>();
    subnets.forEach(s -> byId.put(s.id(), s));
    List<AddressRequest> wanted = new ArrayList<>();
    if (requested == null) {
      // Neutron's default: one IPv4 address and one on each IPv6 subnet.
      subnets.stream().filter(s -> s.ipVersion() == 4).findFirst().ifPresent(s -> wanted.add(null));
      subnets.stream().filter(s -> s.ipVersion() == 6).forEach(s -> wanted.add(new AddressRequest(s.id(), null)));
    } else {
      for (AddressRequest r : requested) {
        wanted.add(resolve(r, subnets, byId, networkId));
      }
    }
    Set<String> toLock = new TreeSet<>();
    for (AddressRequest r : wanted) {
      if (r == null) {
        subnets.stream().filter(s -> s.ipVersion() == 4).forEach(s -> toLock.add(s.id()));
      } else {
        toLock.add(r.subnetId());
      }
    }
    Map<String, Set<String>> taken = new HashMap<>();
    for (String subnetId : toLock) {
      store.lockSubnet(subnetId);
      taken.put(subnetId, store.allocatedAddresses(subnetId));
    }
    List<FixedIp> out = new ArrayList<>();
    for (AddressRequest r : wanted) {
      FixedIp ip =
          r == null ? firstFreeOnAnyV4(subnets, taken, networkId) : take(byId.get(r.subnetId()), r.ipAddress(), taken, networkId, mayTakeGateway);
      if (out.stream().anyMatch(o -> o.equals(ip))) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for operation: duplicate IP address " + ip.ipAddress() + " in fixed_ips.");
      }
      taken.get(ip.subnetId()).add(ip.ipAddress());
      out.add(ip);
    }
    return out;
  }

  /** Finds the subnet of an address request, checking what the request names. */
  private static AddressRequest resolve(
      AddressRequest r, List<Subnet> subnets, Map<String, Subnet> byId, String networkId) {
    if (r.subnetId() != null) {
      Subnet subnet = byId.get(r.subnetId());
      if (subnet == null) {
        throw ServiceException.invalid(
            "InvalidInput",
            "Invalid input for operation: Failed to create port on network " + networkId
                + ", because fixed_ips included invalid subnet " + r.subnetId() + ".");
      }
      if (r.ipAddress() != null) {
        Ip ip = IpAddresses.parse(r.ipAddress());
        if (ip == null || !IpNetwork.parse(subnet.cidr()).contains(ip)) {
          throw ServiceException.invalid(
              "InvalidIpForSubnet", "IP address " + r.ipAddress() + " is not a valid IP for the specified subnet.");
        }
      }
      return r;
    }
    if (r.ipAddress() == null) {
      throw NetworkErrors.invalid("each fixed_ips entry needs a subnet_id, an ip_address, or both.");
    }
    Ip ip = IpAddresses.parse(r.ipAddress());
    for (Subnet subnet : subnets) {
      if (ip != null && IpNetwork.parse(subnet.cidr()).contains(ip)) {
        return new AddressRequest(subnet.id(), r.ipAddress());
      }
    }
    throw ServiceException.invalid(
        "InvalidIpForNetwork",
        "IP address " + r.ipAddress() + " is not a valid IP for any of the subnets on the specified network.");
  }

  private static FixedIp firstFreeOnAnyV4(List<Subnet> subnets, Map<String, Set<String>> taken, String networkId) {
    for (Subnet subnet : subnets) {
      if (subnet.ipVersion() == 4) {
        FixedIp ip = firstFree(subnet, taken.get(subnet.id()));
        if (ip != null) {
          return ip;
        }
      }
    }
    throw exhausted(networkId);
  }

  private static FixedIp take(
      Subnet subnet, String requestedIp, Map<String, Set<String>> taken, String networkId, boolean mayTakeGateway) {
    Set<String> used = taken.get(subnet.id());
    if (requestedIp == null) {
      FixedIp ip = firstFree(subnet, used);
      if (ip == null) {
        throw exhausted(networkId);
      }
      return ip;
    }
    String canonical = IpAddresses.canonical(requestedIp);
    if (used.contains(canonical)) {
      throw ServiceException.conflict(
          "IpAddressAlreadyAllocated", "IP address " + canonical + " already allocated in subnet " + subnet.id() + ".");
    }
    Ip ip = IpAddresses.parse(canonical);
    if (!mayTakeGateway && ip.equals(IpAddresses.parse(subnet.gatewayIp()))) {
      throw ServiceException.conflict(
          "IpAddressAlreadyAllocated", "IP address " + canonical + " is the gateway of subnet " + subnet.id() + ".");
    }
    return new FixedIp(subnet.id(), canonical);
  }

  private static FixedIp firstFree(Subnet subnet, Set<String> used) {
    for (Subnet.Pool pool : subnet.allocationPools()) {
      Ip end = IpAddresses.parse(pool.end());
      for (Ip ip = IpAddresses.parse(pool.start()); ip.compareTo(end) <= 0; ip = ip.plus(1)) {
        String text = ip.toString();
        if (!used.contains(text)) {
          return new FixedIp(subnet.id(), text);
        }
      }
    }
    return null;
  }

  static ServiceException exhausted(String networkId) {
    return ServiceException.conflict(
        "IpAddressGenerationFailure", "No more IP addresses available on network " + networkId + ".");
  }
}
