package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.IpAddresses.Ip;
import dev.kiln.network.SecurityGroupRule.Direction;
import dev.kiln.network.SecurityGroupRule.Ethertype;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Neutron's checks of a security group's and a rule's fields (protocols, port ranges, ICMP
 * values, directions, ether types, prefixes, names) and the errors it answers them with, apart
 * from {@link SecurityGroups}, which keeps the groups and their rules.
 */
final class SecurityGroupFields {
  private SecurityGroupFields() {}

  /** Protocol names Neutron accepts, with their IP protocol numbers. */
  static final Map<String, Integer> PROTOCOLS = protocols();
  /** Protocols whose rules may name a port range. */
  static final Set<Integer> PORT_PROTOCOLS = Set.of(6, 17, 33, 132, 136);
  /** Protocols that only exist on IPv6, by name and number. */
  static final Set<String> IPV6_ONLY_PROTOCOLS =
      Set.of(
          "ipv6-encap", "ipv6-frag", "ipv6-icmp", "icmpv6", "ipv6-nonxt", "ipv6-opts", "ipv6-route",
          "41", "44", "58", "59", "60", "43");
  /** The IP protocol number of a normalized protocol, or null for any protocol. */
  static Integer protocolNumber(String protocol) {
    if (protocol == null) {
      return null;
    }
    Integer known = PROTOCOLS.get(protocol);
    return known != null ? known : Integer.valueOf(protocol);
  }

  static void checkPortRange(String protocol, Integer min, Integer max) {
    if (min == null && max == null) {
      return;
    }
    if (protocol == null) {
      throw ServiceException.invalid(
          "SecurityGroupProtocolRequiredWithPorts",
          "Must also specify protocol if port range is given.");
    }
    int number = protocolNumber(protocol);
    if (PORT_PROTOCOLS.contains(number)) {
      if (Integer.valueOf(0).equals(min) || Integer.valueOf(0).equals(max)) {
        throw invalidPort("0");
      }
      if (min == null || max == null || min > max) {
        throw ServiceException.invalid(
            "SecurityGroupInvalidPortRange",
            "For TCP/UDP protocols, port_range_min must be <= port_range_max");
      }
    } else if (number == 1 || number == 58) {
      if (min != null && min > 255) {
        throw invalidIcmp("type", "port_range_min", min);
      }
      if (max != null && max > 255) {
        throw invalidIcmp("code", "port_range_max", max);
      }
      if (min == null) {
        throw ServiceException.invalid(
            "SecurityGroupMissingIcmpType",
            "ICMP code (port-range-max) " + max + " is provided but ICMP type (port-range-min) is"
                + " missing.");
      }
    } else {
      throw ServiceException.invalid(
          "SecurityGroupInvalidProtocolForPort",
          "Ports cannot be specified for protocol "
              + number
              + ". Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.");
    }
  }

  static ServiceException invalidIcmp(String field, String attr, int value) {
    return ServiceException.invalid(
        "SecurityGroupInvalidIcmpValue",
        "Invalid value for ICMP " + field + " (" + attr + ") " + value + ". It must be 0 to 255.");
  }

  static ServiceException invalidPort(String port) {
    return ServiceException.invalid("SecurityGroupInvalidPortValue", "Invalid value for port " + port);
  }

  static Direction direction(String value) {
    for (Direction d : Direction.values()) {
      if (d.value().equals(value)) {
        return d;
      }
    }
    throw ServiceException.invalid(
        "HTTPBadRequest",
        "Invalid input for direction. Reason: '" + value + "' is not in ['ingress', 'egress'].");
  }

  /** IPv4 or IPv6, in any letter case, as Neutron accepts them. */
  static Ethertype ethertype(String value) {
    for (Ethertype e : Ethertype.values()) {
      if (e.value().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw ServiceException.invalid(
        "SecurityGroupRuleInvalidEtherType",
        "Security group rule for ethertype '"
            + value
            + "' not supported. Allowed values are ['IPv4', 'IPv6'].");
  }

  /** A known name (lower-cased), or a number 0-255; {@code any} and null mean any protocol. */
  static String protocol(String value) {
    if (value == null || value.equals("any")) {
      return null;
    }
    if (value.matches("\\d{1,9}")) {
      int number = Integer.parseInt(value);
      if (number <= 255) {
        return Integer.toString(number);
      }
    } else {
      String name = value.toLowerCase(Locale.ROOT);
      if (PROTOCOLS.containsKey(name)) {
        return name;
      }
    }
    throw ServiceException.invalid(
        "SecurityGroupRuleInvalidProtocol",
        "Security group rule protocol "
            + value
            + " not supported. Only protocol values [None, 'any', "
            + PROTOCOLS.keySet().stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
            + "] and integer representations [0 to 255] are supported.");
  }

  static Integer port(Integer value) {
    if (value != null && (value < 0 || value > 65535)) {
      throw invalidPort(value.toString());
    }
    return value;
  }

  /**
   * A remote prefix with its mask made explicit ({@code 10.0.0.5} is {@code 10.0.0.5/32}) in the
   * canonical spelling; host bits are kept, as Neutron keeps them.
   */
  static String cidr(String text) {
    int slash = text.indexOf('/');
    Ip address = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
    if (address != null) {
      int bits = address.version() == 4 ? 32 : 128;
      String length = slash < 0 ? Integer.toString(bits) : text.substring(slash + 1);
      if (length.matches("\\d{1,3}") && Integer.parseInt(length) <= bits) {
        return SecurityGroupRule.prefix(address, Integer.parseInt(length));
      }
    }
    throw ServiceException.invalid("InvalidCIDR", "Invalid CIDR " + text + " given as IP prefix.");
  }

  static String checkName(String name) {
    if (name.length() > SecurityGroups.NAME_MAX) {
      throw ServiceException.invalid(
          "HTTPBadRequest",
          "Invalid input for name. Reason: '" + name + "' exceeds maximum length of " + SecurityGroups.NAME_MAX + ".");
    }
    if (name.equalsIgnoreCase(SecurityGroup.DEFAULT_NAME)) {
      throw ServiceException.conflict(
          "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    }
    return name;
  }

  static String checkDescription(String description) {
    if (description.length() > SecurityGroups.DESCRIPTION_MAX) {
      throw ServiceException.invalid(
          "HTTPBadRequest",
          "Invalid input for description. Reason: '"
              + description
              + "' exceeds maximum length of "
              + SecurityGroups.DESCRIPTION_MAX
              + ".");
    }
    return description;
  }

  static ServiceException requiredAttribute(String name) {
    return ServiceException.invalid(
        "HTTPBadRequest", "Failed to parse request. Required attribute '" + name + "' not specified");
  }

  static ServiceException groupNotFound(String id) {
    return ServiceException.notFound("SecurityGroupNotFound", "Security group " + id + " does not exist");
  }

  static ServiceException ruleNotFound(String id) {
    return ServiceException.notFound(
        "SecurityGroupRuleNotFound", "Security group rule " + id + " does not exist");
  }

  static ServiceException ruleExists(String id) {
    return ServiceException.conflict(
        "SecurityGroupRuleExists", "Security group rule already exists. Rule id is " + id + ".");
  }

  static ServiceException groupInUse(String id) {
    return ServiceException.conflict("SecurityGroupInUse", "Security Group " + id + " in use.");
  }

  static Map<String, Integer> protocols() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("ah", 51);
    m.put("dccp", 33);
    m.put("egp", 8);
    m.put("esp", 50);
    m.put("gre", 47);
    m.put("hopopt", 0);
    m.put("icmp", 1);
    m.put("igmp", 2);
    m.put("ip", 0);
    m.put("ipip", 4);
    m.put("ipv6-encap", 41);
    m.put("ipv6-frag", 44);
    m.put("ipv6-icmp", 58);
    m.put("icmpv6", 58);
    m.put("ipv6-nonxt", 59);
    m.put("ipv6-opts", 60);
    m.put("ipv6-route", 43);
    m.put("ospf", 89);
    m.put("pgm", 113);
    m.put("rsvp", 46);
    m.put("sctp", 132);
    m.put("tcp", 6);
    m.put("udp", 17);
    m.put("udplite", 136);
    m.put("vrrp", 112);
    return Collections.unmodifiableMap(m);
  }
}
