package dev.kiln.compute.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.proxy.SecurityGroupProxy.NewRule;
import dev.kiln.compute.proxy.SecurityGroupProxy.RuleRequest;
import dev.kiln.network.SecurityGroupRule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Nova's reading of os-security-group-rules requests, before Networking sees them. */
class NovaRuleInputTest {
  private static final String PARENT = "0b5b1d6e-0d1e-4c0e-9a53-6f4b2f3f3a11";
  private static final String PEER = "7f3e1a0c-6c55-4e36-b1a4-0a1b2c3d4e5f";

  private static NewRule read(String groupId, String protocol, String from, String to, String cidr) {
    return NovaRuleInput.ingress(new RuleRequest(PARENT, groupId, protocol, from, to, cidr));
  }

  private static void refused(String groupId, String protocol, String from, String to, String cidr, String message) {
    assertThatThrownBy(() -> read(groupId, protocol, from, to, cidr))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID))
        .hasMessageContaining(message);
  }

  @Test
  void aRangeRuleWithoutCidrIsOpenToEveryIpv4Address() {
    NewRule rule = read(null, "tcp", "22", "22", null);
    assertThat(rule).isEqualTo(new NewRule(null, "0.0.0.0/0", "tcp", 22, 22));
    assertThat(rule.ethertype()).isEqualTo("IPv4");
  }

  @Test
  void anIpv6RangeMakesAnIpv6RuleAndKeepsTheAddressAsGiven() {
    NewRule rule = read(null, "udp", "53", "53", "2001:db8::5/64");
    assertThat(rule.cidr()).isEqualTo("2001:db8::5/64");
    assertThat(rule.ethertype()).isEqualTo("IPv6");
    assertThat(read(null, "tcp", "1", "2", "10.2.3.124%2F24").cidr()).isEqualTo("10.2.3.124/24");
  }

  @Test
  void aGroupRuleWithoutPortsOpensTheWholeProtocol() {
    assertThat(read(PEER, "TCP", null, null, null)).isEqualTo(new NewRule(PEER, null, "TCP", 1, 65535));
    assertThat(read(PEER, "icmp", null, null, null)).isEqualTo(new NewRule(PEER, null, "icmp", -1, -1));
    assertThat(read(PEER, null, null, null, null)).isEqualTo(new NewRule(PEER, null, null, null, null));
  }

  @Test
  void aRangeRuleNeedsAProtocolAndBothPorts() {
    refused(null, null, "22", "22", null, "Not enough parameters to build a valid rule.");
    refused(null, "tcp", "22", null, "10.0.0.0/8", "Not enough parameters to build a valid rule.");
  }

  @Test
  void portsMustBeWholeNumbersInTheProtocolsRange() {
    refused(null, "tcp", "x", "22", null, "To and From ports must be integers");
    refused(null, "icmp", "8", "a", null, "Type and Code must be integers for ICMP protocol type");
    refused(null, "tcp", "65536", "65536", null, "Valid TCP ports should be between 1-65535");
    refused(null, "tcp", "22", "99999999999999999999999", null, "Valid TCP ports should be between 1-65535");
    refused(null, "udp", "0", "22", null, "Valid UDP ports should be between 1-65535");
    refused(null, "tcp", "22", "21", null, "Invalid port range 22:21. Former value cannot be greater than the later");
    refused(null, "icmp", "256", "0", null, "For ICMP, the type:code must be valid");
    assertThat(read(null, "tcp", " +22 ", "23", null).fromPort()).isEqualTo(22);
  }

  @Test
  void onlyTcpUdpAndIcmpTakePorts() {
    refused(null, "999abc", "22", "22", null, "Invalid IP protocol 999abc.");
    refused(null, "6", "22", "22", null, "Invalid IP protocol 6.");
  }

  @Test
  void aCidrMustBeAnAddressWithAPrefixLength() {
    refused(null, "tcp", "22", "22", "10.0.0.1", "10.0.0.1 is not a valid IP network.");
    refused(null, "tcp", "22", "22", "10.0.0.300/24", "is not a valid IP network.");
    refused(null, "tcp", "22", "22", "10.0.0.0/33", "is not a valid IP network.");
    refused(null, "tcp", "22", "22", "fe80::zz/64", "is not a valid IP network.");
    refused(null, "tcp", "22", "22", "10.0.0.0/0", "Bad prefix for network in cidr 10.0.0.0/0");
    assertThat(read(null, "tcp", "22", "22", "::/0").cidr()).isEqualTo("::/0");
  }

  @Test
  void networkingsRulesReadBackWithTheWholeProtocolsPorts() {
    assertThat(NovaRuleInput.shown(rule("tcp", null, null, null))).isEqualTo(new NewRule(null, "0.0.0.0/0", "tcp", 1, 65535));
    assertThat(NovaRuleInput.shown(rule("icmp", 8, null, "10.0.0.0/8"))).isEqualTo(new NewRule(null, "10.0.0.0/8", "icmp", 8, null));
    assertThat(NovaRuleInput.shown(rule(null, null, null, null))).isEqualTo(new NewRule(null, "0.0.0.0/0", null, null, null));
    assertThat(NovaRuleInput.shown(rule("ipv6-icmp", null, null, null)).fromPort()).isEqualTo(-1);
  }

  @Test
  void aRuleThatNovaWouldMakeAgainIsTheSame() {
    assertThat(read(null, "tcp", "1", "65535", null).sameAs(rule("tcp", null, null, null))).isTrue();
    assertThat(read(null, "tcp", "22", "22", null).sameAs(rule("tcp", 22, 22, "0.0.0.0/0"))).isTrue();
    assertThat(read(null, "TCP", "22", "22", null).sameAs(rule("tcp", 22, 22, null))).isFalse();
    assertThat(read(null, "tcp", "22", "22", "10.0.0.0/8").sameAs(rule("tcp", 22, 22, null))).isFalse();
  }

  @Test
  void uuidsAreTakenInTheFormsOsloTakes() {
    assertThat(NovaRuleInput.isUuidLike(PARENT)).isTrue();
    assertThat(NovaRuleInput.isUuidLike(PARENT.replace("-", "").toUpperCase())).isTrue();
    assertThat(NovaRuleInput.isUuidLike("non_int_id-123")).isFalse();
  }

  private static SecurityGroupRule rule(String protocol, Integer min, Integer max, String prefix) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new SecurityGroupRule(
        "r", PARENT, "p", SecurityGroupRule.Direction.INGRESS, SecurityGroupRule.Ethertype.IPV4, protocol, min, max,
        prefix, null, null, "", false, 1, now, now);
  }
}
