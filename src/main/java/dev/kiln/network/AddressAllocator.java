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
 *
 * <p>A new port's addresses are taken by a {@link Claim}: its allocation row is inserted as the
 * candidate is tried, and a candidate in use is refused by the row's primary key rather than
 * looked up first (one statement per address instead of two).
 */
final class AddressAllocator {
  /**
   * Where each subnet's next free address probably is: just past the last one given. With it, an
   * allocation checks one candidate (a primary-key lookup, or for a new port the insert of its
   * allocation row) instead of reading every address in use, which keeps a subnet with thousands
   * of ports as cheap as an empty one. It is only a starting point: every candidate is checked in
   * the database under the subnet's lock, a release on this node forgets the subnet's hint (so the
   * lowest free address is given again, as without it), and when probing from it finds nothing the
   * allocator reads the subnet whole. Subnet ids are UUIDs, so servers sharing this JVM (tests)
   * never share an entry.
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
    private final Claim claim;
    private final Map<String, Set<String>> whole = new HashMap<>();
    private final Map<String, Set<String>> added = new HashMap<>();
    private int claimed;

    Taken(NetworkStore store, Claim claim) {
      this.store = store;
      this.claim = claim;
    }

    /**
     * Whether the address is free for this request: looked up, or with a claim, inserted (and then
     * taken for good, at the next position of the port's addresses).
     */
    boolean take(String subnetId, String address) {
      if (claim == null) {
        return !contains(subnetId, address);
      }
      if (knownTaken(subnetId, address) || !claim.claim(new FixedIp(subnetId, address), claimed)) {
        return false;
      }
      claimed++;
      return true;
    }

    boolean contains(String subnetId, String address) {
      return knownTaken(subnetId, address) || (!whole.containsKey(subnetId) && store.isAllocated(subnetId, address));
    }

    /** Taken by this request, or among the subnet's addresses in use if they were read whole. */
    private boolean knownTaken(String subnetId, String address) {
      return added.getOrDefault(subnetId, Set.of()).contains(address)
          || whole.getOrDefault(subnetId, Set.of()).contains(address);
    }

    Set<String> whole(String subnetId) {
      return whole.computeIfAbsent(subnetId, store::allocatedAddresses);
    }

    void add(String subnetId, String address) {
      added.computeIfAbsent(subnetId, k -> new HashSet<>()).add(address);
    }
  }

  /**
   * Takes an address for a new port by inserting its allocation row at {@code position} of the
   * port's addresses; false, with nothing inserted, when the subnet already has that address.
   */
  @FunctionalInterface
  interface Claim {
    boolean claim(FixedIp ip, int position);
  }

  /**
   * Picks a new port's addresses and inserts them with {@code claim} (the port's row must exist).
   * {@code known} are the network's subnets as read before the transaction (see {@link
   * #subnetsUnchanged}); when a locked one has changed since, they are read again.
   */
  static List<FixedIp> claim(
      NetworkStore store, String networkId, List<AddressRequest> requested, String macAddress, List<Subnet> known,
      Claim claim) {
    return allocate(store, networkId, requested, false, false, macAddress, known, claim);
  }

  /**
   * Picks the port's addresses. Subnets are locked in id order (so two requests never wait on
   * each other in a cycle); then each request gets its address or the first free one.
   */
  static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, String macAddress) {
    return allocate(store, networkId, requested, false, false, macAddress, null, null);
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
    return allocate(store, networkId, requested, mayTakeGateway, ipv4Only, null, null, null);
  }

  /**
   * The allocation itself; with the port's {@code macAddress}, a request for any address of a
   * SLAAC or DHCPv6-stateless subnet gets the port's EUI-64 address there, as hosts configure it
   * themselves from the router's advertisements.
   */
  private static List<FixedIp> allocate(
      NetworkStore store, String networkId, List<AddressRequest> requested, boolean mayTakeGateway, boolean ipv4Only,
      String macAddress, List<Subnet> known, Claim claim) {
    List<Subnet> subnets = new ArrayList<>(known != null ? known : store.subnets().subnetsForAllocation(networkId));
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
    Map<String, Long> revisions = new HashMap<>();
    for (String subnetId : toLock) {
      store.subnets().lockSubnetRevision(subnetId).ifPresent(revision -> revisions.put(subnetId, revision));
    }
    if (known != null && !subnetsUnchanged(toLock, byId, revisions)) {
      return allocate(store, networkId, requested, mayTakeGateway, ipv4Only, macAddress, null, claim);
    }
    Taken taken = new Taken(store, claim);
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

  /**
   * Whether the subnets read before the transaction are still as they were, now that they are
   * locked: a changed subnet (its pools, its gateway) has a new revision, a deleted one no row. A
   * subnet added to the network meanwhile is not seen; that create was not answered yet when the
   * subnets were read, so this port may come first, as if it had been made before it.
   */
  private static boolean subnetsUnchanged(Set<String> locked, Map<String, Subnet> byId, Map<String, Long> revisions) {
    for (String id : locked) {
      Long revision = revisions.get(id);
      if (revision == null || revision != byId.get(id).revision()) {
        return false;
      }
    }
    return true;
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
    boolean gateway = !mayTakeGateway && IpAddresses.parse(canonical).equals(IpAddresses.parse(subnet.gatewayIp()));
    // The gateway is refused as in use when it is, so it is looked up rather than taken.
    if (gateway ? taken.contains(subnet.id(), canonical) : !taken.take(subnet.id(), canonical)) {
      throw ServiceException.conflict(
          "IpAddressAlreadyAllocated", "IP address " + canonical + " already allocated in subnet " + subnet.id() + ".");
    }
    if (gateway) {
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
          if (taken.take(subnet.id(), ip.toString())) {
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
        if (!used.contains(text) && taken.take(subnet.id(), text)) {
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
