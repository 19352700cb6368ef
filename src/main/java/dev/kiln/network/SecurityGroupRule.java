package dev.kiln.network;

import dev.kiln.network.IpAddresses.Ip;
import java.time.Instant;

/**
 * One rule of a security group, as Neutron shows it.
 *
 * @param protocol null for any protocol, a lower-case name ({@code tcp}, {@code ipv6-icmp}) or a
 *     number 0-255 as text
 * @param portRangeMin the first port, or for ICMP the type; null for none
 * @param portRangeMax the last port, or for ICMP the code; null for none
 * @param remoteIpPrefix the prefix as the user gave it, with its mask made explicit; host bits are
 *     kept (see {@link #normalizedCidr()})
 * @param inDefaultGroup whether the rule belongs to its project's default group (Neutron's {@code
 *     belongs_to_default_sg})
 */
public record SecurityGroupRule(
    String id,
    String securityGroupId,
    String projectId,
    Direction direction,
    Ethertype ethertype,
    String protocol,
    Integer portRangeMin,
    Integer portRangeMax,
    String remoteIpPrefix,
    String remoteGroupId,
    String remoteAddressGroupId,
    String description,
    boolean inDefaultGroup,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  /** Which traffic a rule lets through: to the port, or from it. */
  public enum Direction {
    INGRESS("ingress"),
    EGRESS("egress");

    private final String value;

    Direction(String value) {
      this.value = value;
    }

    /** The name in Neutron's API and in the table. */
    public String value() {
      return value;
    }

    public static Direction fromValue(String value) {
      for (Direction d : values()) {
        if (d.value.equals(value)) {
          return d;
        }
      }
      throw new IllegalArgumentException("not a direction: " + value);
    }
  }

  /** The IP version a rule applies to. */
  public enum Ethertype {
    IPV4("IPv4", 4),
    IPV6("IPv6", 6);

    private final String value;
    private final int version;

    Ethertype(String value, int version) {
      this.value = value;
      this.version = version;
    }

    /** The name in Neutron's API and in the table. */
    public String value() {
      return value;
    }

    public int version() {
      return version;
    }

    public static Ethertype fromValue(String value) {
      for (Ethertype e : values()) {
        if (e.value.equals(value)) {
          return e;
        }
      }
      throw new IllegalArgumentException("not an ethertype: " + value);
    }
  }

  /** The remote prefix with its host bits cleared ({@code 10.0.0.0/24} for {@code 10.0.0.7/24}). */
  public String normalizedCidr() {
    if (remoteIpPrefix == null) {
      return null;
    }
    IpNetwork network = IpNetwork.parse(remoteIpPrefix);
    return network == null ? remoteIpPrefix : network.normalized().toString();
  }

  /** Formats an address with its prefix length in the one canonical spelling. */
  static String prefix(Ip address, int length) {
    return IpAddresses.format(address) + "/" + length;
  }
}
