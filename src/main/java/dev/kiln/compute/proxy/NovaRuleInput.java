package dev.kiln.compute.proxy;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.proxy.SecurityGroupProxy.NewRule;
import dev.kiln.compute.proxy.SecurityGroupProxy.RuleRequest;
import dev.kiln.network.SecurityGroupRule;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Nova's reading of a security group rule request, before Networking sees it: the defaults for a
 * rule on a remote group, the protocol (tcp, udp or icmp when ports are given), the port ranges
 * and the address range; and Nova's view of a rule Networking has.
 */
final class NovaRuleInput {
  private static final String ANY_V4 = "0.0.0.0/0";

  private NovaRuleInput() {}

  /** The rule a create asks for, in Nova's terms; a 400 naming what is wrong otherwise. */
  static NewRule ingress(RuleRequest request) {
    String protocol = request.protocol();
    String from = request.fromPort();
    String to = request.toPort();
    String groupId = request.groupId();
    String cidr = null;
    if (groupId != null) {
      // Without ports, a rule on a remote group opens the whole protocol.
      String upper = protocol == null ? "" : protocol.toUpperCase(Locale.ROOT);
      if (from == null && to == null) {
        if (upper.equals("ICMP")) {
          from = "-1";
          to = "-1";
        } else if (upper.equals("TCP") || upper.equals("UDP")) {
          from = "1";
          to = "65535";
        }
      }
    } else {
      cidr = cidr(request.cidr());
    }
    if (protocol == null || protocol.isEmpty() || from == null || to == null) {
      if (groupId == null) {
        throw ServiceException.invalid("HTTPBadRequest", "Not enough parameters to build a valid rule.");
      }
      // As Nova: a group rule without a protocol and both ports allows any protocol.
      return new NewRule(groupId, null, null, null, null);
    }
    String upper = protocol.toUpperCase(Locale.ROOT);
    boolean icmp = upper.equals("ICMP");
    long fromPort = integer(from, icmp);
    long toPort = integer(to, icmp);
    if (!upper.equals("TCP") && !upper.equals("UDP") && !icmp) {
      throw ServiceException.invalid("InvalidIpProtocol", "Invalid IP protocol " + protocol + ".");
    }
    if (!icmp && fromPort > toPort) {
      throw portRange(fromPort, toPort, "Former value cannot be greater than the later");
    }
    if (!icmp && (fromPort < 1 || toPort > 65535)) {
      throw portRange(fromPort, toPort, "Valid " + upper + " ports should be between 1-65535");
    }
    if (icmp && (fromPort < -1 || fromPort > 255 || toPort < -1 || toPort > 255)) {
      throw portRange(fromPort, toPort, "For ICMP, the type:code must be valid");
    }
    if (cidr != null) {
      String[] parts = cidr.split("/", 2);
      if (!parts[0].equals("0.0.0.0") && !parts[0].equals("::") && parts[1].equals("0")) {
        throw ServiceException.invalid("HTTPBadRequest", "Bad prefix for network in cidr " + cidr);
      }
    }
    return new NewRule(groupId, cidr, protocol, (int) fromPort, (int) toPort);
  }

  /** A rule Networking has, as Nova reads it back: ports filled in for whole protocols. */
  static NewRule shown(SecurityGroupRule r) {
    Integer from = r.portRangeMin();
    Integer to = r.portRangeMax();
    if (r.protocol() != null && from == null && to == null) {
      boolean ports = r.protocol().equalsIgnoreCase("tcp") || r.protocol().equalsIgnoreCase("udp");
      from = ports ? 1 : -1;
      to = ports ? 65535 : -1;
    }
    String cidr = r.remoteIpPrefix() == null || r.remoteIpPrefix().isEmpty() ? ANY_V4 : r.remoteIpPrefix();
    return new NewRule(r.remoteGroupId(), cidr, r.protocol(), from, to);
  }

  /** Whether the text is a UUID in one of the forms oslo's is_uuid_like takes. */
  static boolean isUuidLike(String text) {
    String hex = text.replace("-", "").replace("{", "").replace("}", "").replace("urn:uuid:", "");
    return hex.length() == 32 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** Nova's parse_cidr: none is 0.0.0.0/0; else URL-decoded, an address with a prefix length. */
  private static String cidr(String text) {
    if (text == null || text.isEmpty()) {
      return ANY_V4;
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidCidr(text);
    }
    String[] parts = decoded.split("/", -1);
    if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
      throw invalidCidr(decoded);
    }
    int bits;
    if (parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String octet : parts[0].split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw invalidCidr(decoded);
        }
      }
      bits = 32;
    } else if (parts[0].contains(":") && parts[0].matches("[0-9A-Fa-f:.]+") && isIpv6(parts[0])) {
      bits = 128;
    } else {
      throw invalidCidr(decoded);
    }
    if (Integer.parseInt(parts[1]) > bits) {
      throw invalidCidr(decoded);
    }
    return decoded;
  }

  private static boolean isIpv6(String text) {
    try {
      return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Python's int() of the request's value: an optionally signed whole number. */
  private static long integer(String text, boolean icmp) {
    String t = text.strip();
    if (!t.matches("[+-]?\\d+")) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input received: "
              + (icmp ? "Type and Code must be integers for ICMP protocol type" : "To and From ports must be integers"));
    }
    BigInteger value = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
    // Beyond a long is far outside every range the checks allow: kept at a long's end, still refused.
    return value.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }

  private static ServiceException portRange(long from, long to, String why) {
    return ServiceException.invalid("InvalidPortRange", "Invalid port range " + from + ":" + to + ". " + why);
  }

  private static ServiceException invalidCidr(String cidr) {
    return ServiceException.invalid("InvalidCidr", cidr + " is not a valid IP network.");
  }
}
