package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/** A Neutron subnet: a CIDR on a network, and the pools its ports get addresses from. */
public record Subnet(
    String id,
    String projectId,
    String networkId,
    String name,
    String description,
    int ipVersion,
    String cidr,
    String gatewayIp,
    boolean enableDhcp,
    List<Pool> allocationPools,
    List<String> dnsNameservers,
    List<Route> hostRoutes,
    String ipv6RaMode,
    String ipv6AddressMode,
    long revision,
    Instant createdAt,
    Instant updatedAt,
    String subnetpoolId) {

  public Subnet {
    allocationPools = List.copyOf(allocationPools);
    dnsNameservers = List.copyOf(dnsNameservers);
    hostRoutes = List.copyOf(hostRoutes);
  }

  /** The CIDR's prefix as a mask (24 → 255.255.255.0), as instances are told it. */
  public String netmask() {
    IpNetwork network = IpNetwork.parse(cidr);
    return network == null ? null : network.netmask();
  }

  /** A range of addresses ports are given from, both ends included. */
  public record Pool(String start, String end) {}

  /** A static route handed to instances by DHCP. */
  public record Route(String destination, String nexthop) {
    /** The destination's network address, or null when the destination is not a CIDR. */
    public String destinationAddress() {
      IpNetwork network = IpNetwork.parse(destination);
      return network == null ? null : IpAddresses.format(network.first());
    }

    /** The destination's prefix as a mask, or null when the destination is not a CIDR. */
    public String destinationNetmask() {
      IpNetwork network = IpNetwork.parse(destination);
      return network == null ? null : network.netmask();
    }
  }
}
