package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressesTest {
  @Test
  void ipv6IsPrintedCompressed() {
    assertThat(IpAddresses.canonical("fd00:0:0:0:0:0:0:1")).isEqualTo("fd00::1");
    assertThat(IpAddresses.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddresses.canonical("::")).isEqualTo("::");
    assertThat(IpAddresses.canonical("::ffff:10.0.0.1")).isEqualTo("::ffff:a00:1");
  }

  @Test
  void malformedAddressesAreNotAddresses() {
    assertThat(IpAddresses.parse("10.0.0.256")).isNull();
    assertThat(IpAddresses.parse("01.0.0.1")).isNull();
    assertThat(IpAddresses.parse("fd00::1::2")).isNull();
    assertThat(IpAddresses.parse("example.org")).isNull();
    assertThat(IpAddresses.parse("1:2:3:4:5:6:7:8:9")).isNull();
  }

  @Test
  void cidrsKnowTheirRangeAndOverlaps() {
    IpNetwork net = IpNetwork.parse("10.0.0.0/24");
    assertThat(net.first().toString()).isEqualTo("10.0.0.0");
    assertThat(net.last().toString()).isEqualTo("10.0.0.255");
    assertThat(net.overlaps(IpNetwork.parse("10.0.0.128/25"))).isTrue();
    assertThat(net.overlaps(IpNetwork.parse("10.0.1.0/24"))).isFalse();
    assertThat(IpNetwork.parse("10.0.0.1/24").isNormalized()).isFalse();
    assertThat(IpNetwork.parse("10.0.0.1/24").normalized().toString()).isEqualTo("10.0.0.0/24");
    assertThat(IpNetwork.parse("10.0.0.0/33")).isNull();
    assertThat(IpNetwork.parse("fd00::/64").last().toString()).isEqualTo("fd00::ffff:ffff:ffff:ffff");
  }
}
