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

  /** A range of addresses ports are given from, both ends included. */
  public record Pool(String start, String end) {}

  /** A static route handed to instances by DHCP. */
  public record Route(String destination, String nexthop) {}
}
