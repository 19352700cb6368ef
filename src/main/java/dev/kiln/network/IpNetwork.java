package dev.kiln.network;

import dev.kiln.network.IpAddresses.Ip;
import java.math.BigInteger;

/** A CIDR block: a family, a first address and a prefix length. */
public record IpNetwork(int version, BigInteger network, int prefix) {

  /**
   * Parses {@code 10.0.0.0/24} or {@code fd00::/64}.
   *
   * @return null when the text is not a CIDR
   */
  public static IpNetwork parse(String text) {
    if (text == null) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return null;
    }
    Ip ip = IpAddresses.parse(text.substring(0, slash));
    if (ip == null) {
      return null;
    }
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (prefix < 0 || prefix > bits(ip.version()) || !text.substring(slash + 1).matches("\\d+")) {
      return null;
    }
    return new IpNetwork(ip.version(), ip.value(), prefix);
  }

  static int bits(int version) {
    return version == 4 ? 32 : 128;
  }

  private BigInteger hostMask() {
    return BigInteger.ONE.shiftLeft(bits(version) - prefix).subtract(BigInteger.ONE);
  }

  /** Whether the address has no host bits set, as a subnet's CIDR must. */
  public boolean isNormalized() {
    return network.and(hostMask()).signum() == 0;
  }

  /** The same block with its host bits cleared. */
  public IpNetwork normalized() {
    return new IpNetwork(version, network.andNot(hostMask()), prefix);
  }

  public Ip first() {
    return new Ip(version, network.andNot(hostMask()));
  }

  public Ip last() {
    return new Ip(version, network.or(hostMask()));
  }

  /** The prefix length as a mask: 24 → 255.255.255.0, 64 → ffff:ffff:ffff:ffff::. */
  public String netmask() {
    int bits = bits(version);
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    return IpAddresses.format(new Ip(version, all.shiftRight(bits - prefix).shiftLeft(bits - prefix)));
  }

  public boolean contains(Ip ip) {
    return ip.version() == version && ip.compareTo(first()) >= 0 && ip.compareTo(last()) <= 0;
  }

  public boolean overlaps(IpNetwork other) {
    return version == other.version
        && first().compareTo(other.last()) <= 0
        && other.first().compareTo(last()) <= 0;
  }

  @Override
  public String toString() {
    return IpAddresses.format(new Ip(version, network)) + "/" + prefix;
  }
}
