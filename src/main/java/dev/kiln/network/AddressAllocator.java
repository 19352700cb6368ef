package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.Port.FixedIp;
import dev.kiln.network.Ports.AddressRequest;
import dev.kiln.network.store.NetworkStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks addresses for a port from its network's subnets, inside the caller's transaction: each
 * subnet it takes from is locked first (in id order, so two requests never wait on each other in
 * a cycle), so two ports never get the same address. Used for users' ports and for the ports
 * Networking makes itself (router interfaces and gateways, floating IPs).
 */
final class AddressAllocator {
  /**
   * Where each subnet's next free address probably is: just past the last one given. With it, an
   * allocation checks one candidate (a primary-key lookup) instead of reading every address in use,
   * which keeps a subnet with thousands of ports as cheap as an empty one. It is only a starting
   * point: every candidate is checked in the database under the subnet's lock, a release on this
   * node forgets the subnet's hint (so the lowest free address is given again, as without it), and
   * when probing from it finds nothing the allocator reads the subnet whole. Subnet ids are UUIDs,
   * so servers sharing this JVM (tests) never share an entry.
   */
  private static final Map<String, Ip> HINTS = new ConcurrentHashMap<>();
  /** Candidates checked one by one from a hint before reading the subnet whole. */
  private static final int PROBES = 16;

  private AddressAllocator() {}

  /** Addresses of these subnets were given back: allocation looks from their start again. */
  static void released(Collection<String> subnetIds) {
    subnetIds.forEach(HINTS::remove);
  }

  /** The port's addresses were given back (it was deleted, or its addresses replaced). */
  static void released(Port port) {
    port.fixedIps().forEach(ip -> HINTS.remove(ip.subnetId()));
  }

  /**
   * The addresses in use on the locked subnets, read as needed: one address at a time from a hint,
   * or a whole subnet at once; plus those this request has taken so far.
   */
  private static final class Taken {
    private final NetworkStore store;
    private final Map<String, Set<String>> whole = new HashMap<>();
    private final Map<String, Set<String>> added = new HashMap<>();

    Taken(NetworkStore store) {
      this.store = store;
    }

    boolean contains(String subnetId, String address) {
      if (added.getOrDefault(subnetId, Set.of()).contains(address)) {
        return true;
      }
      Set<String> all = whole.get(subnetId);
      return all != null ? all.contains(address) : store.isAllocated(subnetId, address);
    }

    Set<String> whole(String subnetId) {
      return whole.computeIfAbsent(subnetId, store::allocatedAddresses);
    }

    void add(String subnetId, String address) {
      added.computeIfAbsent(subnetId, k -> new HashSet<>()).add(address);
    }
  }

  /**
   * Picks the port's addresses. Subnets are locked in id order (so two requests never wait on
   * each other in a cycle); then each request gets its address or the first free one.
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, String macAddress) {
    return allocate(store, networkId, requested, false, false, macAddress);
  }

  /**
   * Like {@link #allocate(NetworkStore, String, List, String)}; with {@code mayTakeGateway} a
   * request may name a subnet's gateway address, as a router interface takes it.
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, boolean mayTakeGateway) {
    return allocate(store, networkId, requested, mayTakeGateway, false);
  }

  /**
   * Like {@link #allocate(NetworkStore, String, List, boolean)}; with {@code ipv4Only} a request
   * that names no address gets one IPv4 address and none on the IPv6 subnets (a floating IP).
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, boolean mayTakeGateway, boolean ipv4Only) {
    return allocate(store, networkId, requested, mayTakeGateway, ipv4Only, null);
  }

  /**
   * The allocation itself; with the port's {@code macAddress}, a request for any address of a
   * SLAAC or DHCPv6-stateless subnet gets the port's EUI-64 address there, as hosts configure it
   * themselves from the router's advertisements.
   */
  private static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, boolean mayTakeGateway, boolean ipv4Only,
      String macAddress) {
    List<Subnet> subnets = new ArrayList<>(store.subnets().subnetsForAllocation(networkId));
    subnets.sort(Comparator.comparing(Subnet::createdAt).thenComparing(Subnet::id));
    Map<String, Subnet> byId = new HashMap<>();
    subnets.forEach(s -> byId.put(s.id(), s));
    List<AddressRequest> wanted = new ArrayList<>();
    if (requested == null) {
      // Neutron's default: one IPv4 address and one on each IPv6 subnet.
      subnets.stream().filter(s -> s.ipVersion() == 4).findFirst().ifPresent(s -> wanted.add(null));
      if (!ipv4Only) {
        subnets.stream().filter(s -> s.ipVersion() == 6).forEach(s -> wanted.add(new AddressRequest(s.id(), null)));
      }
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
    Taken taken = new Taken(store);
    for (String subnetId : toLock) {
      store.subnets().lockSubnet(subnetId);
    }
    List<FixedIp> out = new ArrayList<>();
    for (AddressRequest r : wanted) {
      FixedIp ip;
      if (r == null) {
        ip = firstFreeOnAnyV4(subnets, taken, networkId);
      } else if (r.ipAddress() == null && macAddress != null && isAutoAddressed(byId.get(r.subnetId()))) {
        ip = take(byId.get(r.subnetId()), eui64(byId.get(r.subnetId()), macAddress), taken, networkId, mayTakeGateway);
      } else {
        ip = take(byId.get(r.subnetId()), r.ipAddress(), taken, networkId, mayTakeGateway);
      }
      if (out.stream().anyMatch(o -> o.equals(ip))) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input for operation: duplicate IP address " + ip.ipAddress() + " in fixed_ips.");
      }
      taken.add(ip.subnetId(), ip.ipAddress());
      out.add(ip);
    }
    for (FixedIp ip : out) {
      HINTS.put(ip.subnetId(), IpAddresses.parse(ip.ipAddress()).plus(1));
    }
    return out;
  }

  private static boolean isAutoAddressed(Subnet subnet) {
    return subnet.ipVersion() == 6
        && ("slaac".equals(subnet.ipv6AddressMode()) || "dhcpv6-stateless".equals(subnet.ipv6AddressMode()));
  }

  /** The subnet's prefix with the modified EUI-64 interface id of the MAC (RFC 4291 appendix A). */
  static String eui64(Subnet subnet, String macAddress) {
    String[] octets = macAddress.split(":");
    try {
      byte[] address = java.net.InetAddress.getByName(IpAddresses.format(IpNetwork.parse(subnet.cidr()).first())).getAddress();
      int[] mac = new int[6];
      for (int i = 0; i < 6; i++) {
        mac[i] = Integer.parseInt(octets[i], 16);
      }
      int[] id = {mac[0] ^ 0x02, mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]};
      for (int i = 0; i < 8; i++) {
        address[8 + i] = (byte) (address[8 + i] | id[i]);
      }
      return IpAddresses.canonical(java.net.InetAddress.getByAddress(address).getHostAddress());
    } catch (java.net.UnknownHostException | RuntimeException e) {
      throw new IllegalStateException("cannot make an EUI-64 address from " + macAddress + " in " + subnet.cidr(), e);
    }
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

  private static FixedIp firstFreeOnAnyV4(List<Subnet> subnets, Taken taken, String networkId) {
    for (Subnet subnet : subnets) {
      if (subnet.ipVersion() == 4) {
        FixedIp ip = firstFree(subnet, taken);
        if (ip != null) {
          return ip;
        }
      }
    }
    throw exhausted(networkId);
  }

  private static FixedIp take(
      Subnet subnet, String requestedIp, Taken taken, String networkId, boolean mayTakeGateway) {
    if (requestedIp == null) {
      FixedIp ip = firstFree(subnet, taken);
      if (ip == null) {
        throw exhausted(networkId);
      }
      return ip;
    }
    String canonical = IpAddresses.canonical(requestedIp);
    if (taken.contains(subnet.id(), canonical)) {
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

  /**
   * A free address of the subnet's pools: probed from the subnet's hint, else the lowest free one
   * after reading every address in use.
   */
  private static FixedIp firstFree(Subnet subnet, Taken taken) {
    Ip hint = HINTS.get(subnet.id());
    if (hint != null) {
      int probes = 0;
      for (Subnet.Pool pool : subnet.allocationPools()) {
        Ip end = IpAddresses.parse(pool.end());
        Ip start = IpAddresses.parse(pool.start());
        if (hint.compareTo(end) > 0) {
          continue;
        }
        for (Ip ip = hint.compareTo(start) > 0 ? hint : start; ip.compareTo(end) <= 0 && probes < PROBES; ip = ip.plus(1)) {
          probes++;
          if (!taken.contains(subnet.id(), ip.toString())) {
            return new FixedIp(subnet.id(), ip.toString());
          }
        }
      }
    }
    Set<String> used = taken.whole(subnet.id());
    for (Subnet.Pool pool : subnet.allocationPools()) {
      Ip end = IpAddresses.parse(pool.end());
      for (Ip ip = IpAddresses.parse(pool.start()); ip.compareTo(end) <= 0; ip = ip.plus(1)) {
        String text = ip.toString();
        if (!used.contains(text) && !taken.contains(subnet.id(), text)) {
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
