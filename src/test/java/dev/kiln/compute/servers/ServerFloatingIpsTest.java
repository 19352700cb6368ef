package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Floating IPs as Compute shows them: in the server's {@code addresses} after the fixed address
 * they map to, matched by the {@code ip} list filter, and let go of when the server is deleted.
 * Driven through Debian's {@code openstack} and checked against Nova's body.
 */
class ServerFloatingIpsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();
  private static Tenant tenant;
  private static OpenStackCli member;
  private static String networkId;
  private static String image;

  @BeforeAll
  static void start() {
    tenant = Tenant.create(kiln, kiln.admin(), "fip-compute", "fip-user");
    member = tenant.cli(kiln.authUrl());
    admin.json("network", "create", "--external", "public");
    admin.json("subnet", "create", "--network", "public", "--subnet-range", "172.24.8.0/24", "--no-dhcp", "public-subnet");
    networkId = member.json("network", "create", "app-net").get("id").asText();
    member.json("subnet", "create", "--network", "app-net", "--subnet-range", "10.71.0.0/24", "app-subnet");
    member.json("router", "create", "app-router");
    member.ok("router", "set", "--external-gateway", "public", "app-router");
    member.ok("router", "add", "subnet", "app-router", "app-subnet");
    image = Cloud.cirros(tenant.api());
  }

  @Test
  void aFloatingAddressFollowsItsFixedAddressAndTheIpFilterFindsBoth() {
    Api api = tenant.api();
    String server = Cloud.bootActive(api, image, networkId, "fip-web");
    String other = Cloud.bootActive(api, image, networkId, "fip-other");
    String floating = member.json("floating", "ip", "create", "public").get("floating_ip_address").asText();
    member.ok("server", "add", "floating", "ip", server, floating);

    JsonNode list = Cloud.server(api, server).at("/addresses/app-net");
    assertThat(list).hasSize(2);
    String fixed = list.get(0).get("addr").asText();
    assertThat(list.get(0).get("OS-EXT-IPS:type").asText()).isEqualTo("fixed");
    assertThat(list.get(1).get("addr").asText()).isEqualTo(floating);
    assertThat(list.get(1).get("OS-EXT-IPS:type").asText()).isEqualTo("floating");
    assertThat(list.get(1).get("version").asInt()).isEqualTo(4);
    assertThat(list.get(1).get("OS-EXT-IPS-MAC:mac_addr").asText()).isEqualTo(list.get(0).get("OS-EXT-IPS-MAC:mac_addr").asText());
    assertThat(member.json("server", "show", server).get("addresses").toString()).contains(fixed).contains(floating);

    assertThat(names(member.json("server", "list", "--ip", floating))).containsExactly("fip-web");
    assertThat(names(member.json("server", "list", "--ip", fixed.replace(".", "\\.") + "$"))).containsExactly("fip-web");
    assertThat(names(member.json("server", "list", "--ip", "10\\.71\\."))).containsExactlyInAnyOrder("fip-web", "fip-other");
    assertThat(names(member.json("server", "list", "--ip", "192\\.0\\.2\\."))).isEmpty();
    assertThat(names(member.json("server", "list", "--ip6", "fe80::"))).isEmpty();

    member.ok("server", "remove", "floating", "ip", server, floating);
    assertThat(Cloud.server(api, server).at("/addresses/app-net")).hasSize(1);
    assertThat(names(member.json("server", "list", "--ip", floating))).isEmpty();
    Cloud.deleteServer(api, server);
    Cloud.deleteServer(api, other);
  }

  @Test
  void deletingAServerLetsGoOfTheFloatingIpsOfItsUserPortsAndKeepsThemAllocated() {
    Api api = tenant.api();
    String portId = member.json("port", "create", "--network", "app-net", "user-port").get("id").asText();
    String server =
        Cloud.awaitActive(api, Cloud.boot(api, image, "[{\"port\": \"" + portId + "\"}]", "fip-user-port"));
    String floating = member.json("floating", "ip", "create", "--port", portId, "public").get("floating_ip_address").asText();
    assertThat(Cloud.server(api, server).at("/addresses/app-net/1/addr").asText()).isEqualTo(floating);

    member.ok("server", "delete", "--wait", server);

    JsonNode fip = member.json("floating", "ip", "show", floating);
    assertThat(fip.get("port_id").isNull()).as(fip.toString()).isTrue();
    assertThat(fip.get("status").asText()).isEqualTo("DOWN");
    JsonNode port = member.json("port", "show", portId);
    assertThat(port.get("device_id").asText()).isEmpty();
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(s -> names.add(s.get("Name").asText()));
    return names;
  }
}
