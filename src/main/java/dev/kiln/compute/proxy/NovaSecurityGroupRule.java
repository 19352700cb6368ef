package dev.kiln.compute.proxy;

/**
 * An ingress rule as Nova's proxy shows it.
 *
 * @param protocol Networking's protocol (lower-case name or number), null for any
 * @param fromPort the first port (ICMP type); 1 for TCP/UDP and -1 for other protocols when the
 *     rule covers every port; null when the rule has no protocol
 * @param toPort the last port (ICMP code), filled in the same way
 * @param peer the group the rule lets traffic from, or null for a rule on an address range
 * @param cidr the address range (0.0.0.0/0 when Networking has none), or null for a group rule
 */
public record NovaSecurityGroupRule(
    String id, String parentGroupId, String protocol, Integer fromPort, Integer toPort, Peer peer, String cidr) {

  /** The remote group of a rule: its name and project, which Nova shows instead of its id. */
  public record Peer(String name, String projectId) {}
}
