package dev.kiln.network;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Set arithmetic on CIDR blocks of one family, for subnet pools: merging a pool's prefixes, the
 * blocks still free once its subnets are taken out, and choosing where a new subnet goes.
 */
final class Prefixes {
  private Prefixes() {}

  private record Range(BigInteger first, BigInteger last) {}

  /** The blocks covering exactly the addresses of {@code prefixes}, merged and in order. */
  static List<IpNetwork> merge(int version, List<IpNetwork> prefixes) {
    return blocks(version, union(prefixes));
  }

  /**
   * The free blocks of the pool: its prefixes minus the taken ones, as the largest aligned CIDR
   * blocks, smallest first (so allocation fills gaps before it cuts into large free space).
   */
  static List<IpNetwork> free(int version, List<IpNetwork> prefixes, List<IpNetwork> taken) {
    List<Range> ranges = union(prefixes);
    for (Range t : union(taken)) {
      List<Range> next = new ArrayList<>();
      for (Range r : ranges) {
        if (t.last().compareTo(r.first()) < 0 || t.first().compareTo(r.last()) > 0) {
          next.add(r);
          continue;
        }
        if (t.first().compareTo(r.first()) > 0) {
          next.add(new Range(r.first(), t.first().subtract(BigInteger.ONE)));
        }
        if (t.last().compareTo(r.last()) < 0) {
          next.add(new Range(t.last().add(BigInteger.ONE), r.last()));
        }
      }
      ranges = next;
    }
    List<IpNetwork> out = blocks(version, ranges);
    out.sort(Comparator.comparingInt(IpNetwork::prefix).reversed().thenComparing(IpNetwork::network));
    return out;
  }

  /** Where a subnet of {@code prefixlen} goes: the start of the smallest free block that holds it. */
  static IpNetwork allocate(List<IpNetwork> free, int prefixlen) {
    for (IpNetwork block : free) {
      if (block.prefix() <= prefixlen) {
        return new IpNetwork(block.version(), block.network(), prefixlen);
      }
    }
    return null;
  }

  /** Whether {@code cidr} lies wholly inside one free block. */
  static boolean fits(List<IpNetwork> free, IpNetwork cidr) {
    return free.stream()
        .anyMatch(b -> b.prefix() <= cidr.prefix() && b.contains(cidr.first()) && b.contains(cidr.last()));
  }

  /** Whether every address of {@code inner} is in {@code outer}. */
  static boolean covers(int version, List<IpNetwork> outer, List<IpNetwork> inner) {
    return free(version, inner, outer).isEmpty();
  }

  private static List<Range> union(List<IpNetwork> cidrs) {
    List<Range> sorted = new ArrayList<>();
    for (IpNetwork c : cidrs) {
      sorted.add(new Range(c.first().value(), c.last().value()));
    }
    sorted.sort(Comparator.comparing(Range::first));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      if (!out.isEmpty() && out.getLast().last().add(BigInteger.ONE).compareTo(r.first()) >= 0) {
        Range last = out.removeLast();
        out.add(new Range(last.first(), last.last().max(r.last())));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  /** Splits ranges into the largest aligned CIDR blocks. */
  private static List<IpNetwork> blocks(int version, List<Range> ranges) {
    int bits = IpNetwork.bits(version);
    List<IpNetwork> out = new ArrayList<>();
    for (Range r : ranges) {
      BigInteger start = r.first();
      while (start.compareTo(r.last()) <= 0) {
        int size = start.signum() == 0 ? bits : Math.min(bits, start.getLowestSetBit());
        while (start.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(r.last()) > 0) {
          size--;
        }
        out.add(new IpNetwork(version, start, bits - size));
        start = start.add(BigInteger.ONE.shiftLeft(size));
      }
    }
    return out;
  }
}
