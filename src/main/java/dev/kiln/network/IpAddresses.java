package dev.kiln.network;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Parsing and printing of IPv4 and IPv6 addresses as numbers, without name lookups. IPv6 is
 * printed in the compressed form of RFC 5952 ({@code fd00::1}), as Neutron shows it.
 */
public final class IpAddresses {
  private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private IpAddresses() {}

  /** An address and its family. */
  public record Ip(int version, BigInteger value) implements Comparable<Ip> {
    @Override
    public int compareTo(Ip other) {
      return value.compareTo(other.value);
    }

    public Ip plus(long n) {
      return new Ip(version, value.add(BigInteger.valueOf(n)));
    }

    @Override
    public String toString() {
      return format(this);
    }
  }

  /** Parses an address; null when the text is not one. */
  public static Ip parse(String text) {
    if (text == null) {
      return null;
    }
    long v4 = dottedQuad(text);
    if (v4 >= 0) {
      return new Ip(4, BigInteger.valueOf(v4));
    }
    if (text.contains(":") && V6_CHARS.matcher(text).matches()) {
      return parseV6(text);
    }
    return null;
  }

  /**
   * The value of an IPv4 address in dotted-quad form (four numbers 0-255, no leading zeros, as
   * Neutron accepts them), or -1. Read by hand: every address a port gets is parsed, and a regular
   * expression with a split cost a port create more than the rest of its address work.
   */
  static long dottedQuad(String text) {
    long value = 0;
    int at = 0;
    int length = text.length();
    for (int part = 0; part < 4; part++) {
      if (part > 0) {
        if (at >= length || text.charAt(at) != '.') {
          return -1;
        }
        at++;
      }
      int start = at;
      int number = 0;
      while (at < length && at - start < 4) {
        char c = text.charAt(at);
        if (c < '0' || c > '9') {
          break;
        }
        number = number * 10 + (c - '0');
        at++;
      }
      int digits = at - start;
      if (digits == 0 || digits > 3 || number > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | number;
    }
    return at == length ? value : -1;
  }

  private static Ip parseV6(String text) {
    int doubleColon = text.indexOf("::");
    if (doubleColon != text.lastIndexOf("::")) {
      return null;
    }
    String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
    String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
    int[] headGroups = groups(head);
    int[] tailGroups = groups(tail);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if ((doubleColon < 0 && total != 8) || (doubleColon >= 0 && total > 7)) {
      return null;
    }
    BigInteger value = BigInteger.ZERO;
    for (int g : headGroups) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    value = value.shiftLeft(16 * (8 - total));
    for (int g : tailGroups) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    return new Ip(6, value);
  }

  /** The 16-bit groups of one side of an IPv6 address; an IPv4 tail counts as two groups. */
  private static int[] groups(String side) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    int extra = parts[parts.length - 1].contains(".") ? 1 : 0;
    int[] out = new int[parts.length + extra];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.contains(".")) {
        long v4 = dottedQuad(p);
        if (v4 < 0) {
          return null;
        }
        out[i] = (int) (v4 >>> 16);
        out[i + 1] = (int) (v4 & 0xffff);
      } else {
        if (p.isEmpty() || p.length() > 4 || p.contains(".")) {
          return null;
        }
        out[i] = Integer.parseInt(p, 16);
      }
    }
    return out;
  }

  public static String format(Ip ip) {
    if (ip.version() == 4) {
      long v = ip.value().longValue();
      return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ip.value().shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    // Compress the longest run of two or more zero groups (the first, on a tie).
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }

  /** The canonical text of an address, so equal addresses compare equal as strings. */
  public static String canonical(String text) {
    Ip ip = parse(text);
    return ip == null ? text : format(ip);
  }
}
