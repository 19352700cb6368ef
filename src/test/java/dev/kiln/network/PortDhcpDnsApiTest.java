package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Extra DHCP options, DNS names and domains, and the default external network, over HTTP. */
class PortDhcpDnsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String net;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "dhcp-dns", "dhcp-dns-user").api();
    net = RoutersApiTest.network(member, "dhcp-net");
    RoutersApiTest.subnet(member, net, "10.85.0.0/24");
  }

  @Test
  void extraDhcpOptionsAreStoredMergedAndRemoved() {
    JsonNode port =
        member.post(
                NET + "/ports",
                "{\"port\": {\"network_id\": \"" + net + "\", \"extra_dhcp_opts\": ["
                    + "{\"opt_name\": \"bootfile-name\", \"opt_value\": \"pxelinux.0\"},"
                    + "{\"opt_name\": \"tftp-server\", \"opt_value\": \"10.0.0.5\", \"ip_version\": 4},"
                    + "{\"opt_name\": \"dns-server\", \"opt_value\": \"2001:db8::1\", \"ip_version\": 6}]}}")
            .expect(201).get("port");
    String id = port.get("id").asText();
    assertThat(port.get("extra_dhcp_opts")).hasSize(3);
    assertThat(port.at("/extra_dhcp_opts/0/opt_name").asText()).isEqualTo("bootfile-name");
    assertThat(port.at("/extra_dhcp_opts/0/ip_version").asInt()).isEqualTo(4);
    assertThat(member.get(NET + "/ports/" + id).expect(200).at("/port/extra_dhcp_opts/2/opt_value").asText())
        .isEqualTo("2001:db8::1");

    JsonNode updated =
        member.put(
                NET + "/ports/" + id,
                "{\"port\": {\"extra_dhcp_opts\": [{\"opt_name\": \"bootfile-name\", \"opt_value\": \"changed.0\"},"
                    + "{\"opt_name\": \"tftp-server\", \"opt_value\": null},"
                    + "{\"opt_name\": \"server-ip-address\", \"opt_value\": \"10.0.0.6\"}]}}")
            .expect(200).get("port");
    assertThat(updated.get("extra_dhcp_opts").findValuesAsText("opt_name"))
        .containsExactlyInAnyOrder("bootfile-name", "dns-server", "server-ip-address");
    assertThat(updated.get("extra_dhcp_opts").toString()).contains("changed.0").doesNotContain("pxelinux.0");

    for (String bad :
        new String[] {
          "[{\"opt_value\": \"x\"}]", "[{\"opt_name\": \"a\", \"opt_value\": \"x\", \"ip_version\": 5}]",
          "[{\"opt_name\": \"a\", \"opt_value\": \"\"}]", "[{\"opt_name\": \"a\", \"opt_value\": \"x\", \"color\": 1}]"
        }) {
      Api.Response r = member.put(NET + "/ports/" + id, "{\"port\": {\"extra_dhcp_opts\": " + bad + "}}");
      assertThat(r.status()).as(bad).isEqualTo(400);
    }
    assertThat(member.get(NET + "/ports/" + id).expect(200).at("/port/extra_dhcp_opts")).hasSize(3);
  }

  @Test
  void dnsNameAndAssignment() {
    JsonNode port =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\", \"dns_name\": \"Web-1\"}}")
            .expect(201).get("port");
    String ip = port.at("/fixed_ips/0/ip_address").asText();
    assertThat(port.get("dns_name").asText()).isEqualTo("web-1");
    assertThat(port.at("/dns_assignment/0/hostname").asText()).isEqualTo("web-1");
    assertThat(port.at("/dns_assignment/0/ip_address").asText()).isEqualTo(ip);
    assertThat(port.at("/dns_assignment/0/fqdn").asText()).startsWith("web-1.");

    JsonNode plain = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).get("port");
    String plainIp = plain.at("/fixed_ips/0/ip_address").asText();
    assertThat(plain.get("dns_name").asText()).isEmpty();
    assertThat(plain.at("/dns_assignment/0/hostname").asText()).isEqualTo("host-" + plainIp.replace('.', '-'));

    String id = port.get("id").asText();
    assertThat(member.put(NET + "/ports/" + id, "{\"port\": {\"dns_name\": \"web-2\"}}").expect(200).at("/port/dns_name").asText())
        .isEqualTo("web-2");
    for (String bad : new String[] {"-bad", "a..b", "x".repeat(64), "host.123", "under_score"}) {
      Api.Response r = member.put(NET + "/ports/" + id, "{\"port\": {\"dns_name\": \"" + bad + "\"}}");
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().at("/NeutronError/type").asText()).isEqualTo("InvalidInput");
    }
    assertThat(member.get(NET + "/ports?dns_name=web-2").expect(200).get("ports")).hasSize(1);
  }

  @Test
  void networkDnsDomain() {
    JsonNode n = member.post(NET + "/networks", "{\"network\": {\"name\": \"dns\", \"dns_domain\": \"example.org.\"}}")
        .expect(201).get("network");
    assertThat(n.get("dns_domain").asText()).isEqualTo("example.org.");
    String id = n.get("id").asText();
    assertThat(member.put(NET + "/networks/" + id, "{\"network\": {\"dns_domain\": \"other.org.\"}}").expect(200)
        .at("/network/dns_domain").asText()).isEqualTo("other.org.");
    assertThat(member.put(NET + "/networks/" + id, "{\"network\": {\"dns_domain\": \"no-final-dot.org\"}}").status())
        .isEqualTo(400);
  }

  @Test
  void oneDefaultExternalNetwork() {
    JsonNode first =
        admin.post(NET + "/networks", "{\"network\": {\"name\": \"ext-a\", \"router:external\": true, \"is_default\": true}}")
            .expect(201).get("network");
    assertThat(first.get("is_default").asBoolean()).isTrue();
    String second =
        admin.post(NET + "/networks", "{\"network\": {\"name\": \"ext-b\", \"router:external\": true}}").expect(201)
            .at("/network/id").asText();
    Api.Response another = admin.put(NET + "/networks/" + second, "{\"network\": {\"is_default\": true}}");
    assertThat(another.status()).isEqualTo(409);
    assertThat(another.json().at("/NeutronError/type").asText()).isEqualTo("DefaultExternalNetworkExists");
    assertThat(admin.get(NET + "/networks?is_default=true").expect(200).get("networks")).hasSize(1);

    assertThat(member.post(NET + "/networks", "{\"network\": {\"name\": \"n\", \"is_default\": true}}").status()).isEqualTo(403);
    assertThat(member.post(NET + "/networks", "{\"network\": {\"name\": \"n\", \"is_default\": false}}").status())
        .as("openstack4j sends false with every network").isEqualTo(201);
    assertThat(admin.post(NET + "/networks", "{\"network\": {\"name\": \"internal\", \"is_default\": true}}").status())
        .isEqualTo(400);

    admin.put(NET + "/networks/" + first.get("id").asText(), "{\"network\": {\"is_default\": false}}").expect(200);
    assertThat(admin.put(NET + "/networks/" + second, "{\"network\": {\"is_default\": true}}").expect(200)
        .at("/network/is_default").asBoolean()).isTrue();
  }

  @Test
  void extensionsAreListed() {
    JsonNode aliases = member.get(NET + "/extensions").expect(200).get("extensions");
    assertThat(aliases.findValuesAsText("alias")).contains("extra_dhcp_opt", "dns-integration");
  }
}
