package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.network.SecurityGroupRule;
import dev.kiln.network.SecurityGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Security group rules as templates write them and as Networking keeps them, and the key Heat
 * compares them by (direction, ethertype, protocol, ports, remote), so that a group's rules can be
 * brought to what the template says without touching the ones that already match.
 */
final class SecurityRules {
  /** The protocols Heat's schema allows: the numbers 0-255 and these names. */
  static final List<String> PROTOCOL_NAMES =
      List.of(
          "ah", "dccp", "egp", "esp", "gre", "icmp", "icmpv6", "igmp", "ipv6-encap", "ipv6-frag", "ipv6-icmp",
          "ipv6-nonxt", "ipv6-opts", "ipv6-route", "ospf", "pgm", "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp");

  private SecurityRules() {}

  static List<JsonNode> allowedProtocols() {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      out.add(IntNode.valueOf(i));
    }
    PROTOCOL_NAMES.forEach(n -> out.add(TextNode.valueOf(n)));
    return out;
  }

  /** The fields a rule is compared by. */
  record Key(
      String direction, String ethertype, String protocol, Integer min, Integer max, String remoteGroup,
      String remotePrefix) {

    static Key of(SecurityGroups.RuleSpec r) {
      return new Key(
          r.direction(), r.ethertype(), normalProtocol(r.protocol()), r.portRangeMin(), r.portRangeMax(), r.remoteGroupId(),
          prefix(r.remoteIpPrefix()));
    }

    static Key of(SecurityGroupRule r) {
      return new Key(
          r.direction().value(), r.ethertype().value(), normalProtocol(r.protocol()), r.portRangeMin(), r.portRangeMax(),
          r.remoteGroupId(), prefix(r.remoteIpPrefix()));
    }

    boolean matches(Key other) {
      return Objects.equals(direction.toLowerCase(Locale.ROOT), other.direction.toLowerCase(Locale.ROOT))
          && ethertype.equalsIgnoreCase(other.ethertype)
          && Objects.equals(protocol, other.protocol)
          && Objects.equals(min, other.min)
          && Objects.equals(max, other.max)
          && Objects.equals(remoteGroup, other.remoteGroup)
          && Objects.equals(remotePrefix, other.remotePrefix);
    }
  }

  private static String normalProtocol(String protocol) {
    if (protocol == null || protocol.equalsIgnoreCase("any")) {
      return null;
    }
    return protocol.toLowerCase(Locale.ROOT);
  }

  private static String prefix(String prefix) {
    if (prefix == null) {
      return null;
    }
    if (prefix.contains("/")) {
      return prefix.toLowerCase(Locale.ROOT);
    }
    return prefix.toLowerCase(Locale.ROOT) + (prefix.contains(":") ? "/128" : "/32");
  }

  /**
   * A rule of an {@code OS::Neutron::SecurityGroup}'s {@code rules}, as Heat formats it: the remote
   * is a prefix, or a group (this group when none is named) when {@code remote_mode} says so.
   */
  static SecurityGroups.RuleSpec fromGroupRule(JsonNode rule, String groupId, String remoteGroupId) {
    boolean byGroup = "remote_group_id".equals(Read.text(rule, "remote_mode"));
    return new SecurityGroups.RuleSpec(
        null, groupId, orDefault(Read.text(rule, "direction"), "ingress"), orDefault(Read.text(rule, "ethertype"), "IPv4"),
        Read.text(rule, "protocol"), Read.integer(rule, "port_range_min"), Read.integer(rule, "port_range_max"),
        byGroup ? null : Read.text(rule, "remote_ip_prefix"),
        byGroup ? (remoteGroupId != null ? remoteGroupId : groupId) : null, null, Read.text(rule, "description"));
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
