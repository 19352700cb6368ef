package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
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
  void dottedQuadsAreReadAsNeutronAcceptsThem() {
    assertThat(IpAddresses.parse("10.0.0.1").value().longValue()).isEqualTo(0x0A000001L);
    assertThat(IpAddresses.parse("255.255.255.255").value().longValue()).isEqualTo(0xFFFFFFFFL);
    assertThat(IpAddresses.parse("0.0.0.0").version()).isEqualTo(4);
    for (String bad : List.of("", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "1.2.3.0004",
        "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.a", "300.1.1.1", "1.2.3.00")) {
      assertThat(IpAddresses.parse(bad)).as(bad).isNull();
    }
  }

  /** The reading by hand accepts exactly what the regular expression it replaced accepted. */
  @Test
  void dottedQuadsAcceptWhatTheEarlierPatternAccepted() {
    Pattern earlier =
        Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    Random random = new Random(7);
    String alphabet = "0123456789.9.25x";
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(16);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      texts.add(text.toString());
      texts.add(random.nextInt(300) + "." + random.nextInt(300) + "." + random.nextInt(300) + "." + random.nextInt(300));
    }
    for (String text : texts) {
      boolean accepted = IpAddresses.dottedQuad(text) >= 0;
      assertThat(accepted).as(text).isEqualTo(earlier.matcher(text).matches());
      if (accepted) {
        long expected = 0;
        for (String part : text.split("\\.")) {
          expected = (expected << 8) | Integer.parseInt(part);
        }
        assertThat(IpAddresses.dottedQuad(text)).as(text).isEqualTo(expected);
      }
    }
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
