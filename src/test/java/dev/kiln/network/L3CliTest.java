package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routers, floating IPs and tags driven by Debian's real {@code openstack} client, as a template
 * author's tooling would: an external network, a router with a gateway and an interface, a server
 * given a floating IP.
 */
class L3CliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();
  private static OpenStackCli member;
  private static Tenant tenant;

  @BeforeAll
  static void start() {
    Api adminApi = kiln.admin();
    tenant = Tenant.create(kiln, adminApi, "l3-cli", "l3-user");
    member = tenant.cli(kiln.authUrl());
    admin.json("network", "create", "--external", "public");
    admin.json("subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "--no-dhcp", "public-subnet");
  }

  @Test
  void routerWithGatewayInterfaceRoutesAndTags() {
    member.json("network", "create", "app-net");
    member.json("subnet", "create", "--network", "app-net", "--subnet-range", "10.60.0.0/24", "app-subnet");
    JsonNode router = member.json("router", "create", "--tag", "blue", "app-router");
    String routerId = router.get("id").asText();
    assertThat(router.get("status").asText()).isEqualTo("ACTIVE");

    member.ok("router", "set", "--external-gateway", "public", "app-router");
    member.ok("router", "add", "subnet", "app-router", "app-subnet");
    JsonNode shown = member.json("router", "show", "app-router");
    assertThat(shown.get("external_gateway_info").toString()).contains("172.24.4.");
    assertThat(shown.get("interfaces_info").toString()).contains("10.60.0.1");
    assertThat(shown.get("tags").toString()).contains("blue");

    member.ok("router", "add", "route", "--route", "destination=192.168.50.0/24,gateway=10.60.0.20", "app-router");
    assertThat(member.json("router", "show", "app-router").get("routes").toString()).contains("192.168.50.0/24");
    member.ok("router", "remove", "route", "--route", "destination=192.168.50.0/24,gateway=10.60.0.20", "app-router");

    assertThat(member.json("router", "list", "--tags", "blue")).hasSize(1);
    assertThat(member.json("port", "list", "--router", "app-router")).hasSize(1);

    OpenStackCli.Result inUse = member.run("router", "delete", "app-router");
    assertThat(inUse.exitCode()).isNotZero();
    OpenStackCli.Result subnetInUse = member.run("subnet", "delete", "app-subnet");
    assertThat(subnetInUse.exitCode()).isNotZero();
    assertThat(subnetInUse.stderr()).contains("One or more ports have an IP allocation from this subnet");

    member.ok("router", "remove", "subnet", "app-router", "app-subnet");
    member.ok("router", "unset", "--external-gateway", "app-router");
    assertThat(member.json("router", "show", "app-router").get("external_gateway_info").isNull()
        || member.json("router", "show", "app-router").get("external_gateway_info").isEmpty()).isTrue();
    member.ok("router", "delete", "app-router");
    assertThat(member.run("router", "show", routerId).exitCode()).isNotZero();
  }

  @Test
  void serverGetsAndLosesAFloatingIp() {
    Api api = tenant.api();
    member.json("network", "create", "web-net");
    member.json("subnet", "create", "--network", "web-net", "--subnet-range", "10.61.0.0/24", "web-subnet");
    member.json("router", "create", "web-router");
    member.ok("router", "set", "--external-gateway", "public", "web-router");
    member.ok("router", "add", "subnet", "web-router", "web-subnet");
    String networkId = member.json("network", "show", "web-net").get("id").asText();
    String server = Cloud.bootActive(api, Cloud.cirros(api), networkId, "web-1");

    JsonNode fip = member.json("floating", "ip", "create", "--description", "for web-1", "public");
    String address = fip.get("floating_ip_address").asText();
    assertThat(address).startsWith("172.24.4.");
    member.ok("server", "add", "floating", "ip", server, address);
    JsonNode associated = member.json("floating", "ip", "show", address);
    assertThat(associated.get("fixed_ip_address").asText()).startsWith("10.61.0.");
    assertThat(associated.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(member.json("floating", "ip", "list", "--port", associated.get("port_id").asText())).hasSize(1);

    member.ok("server", "remove", "floating", "ip", server, address);
    assertThat(member.json("floating", "ip", "show", address).get("port_id").isNull()).isTrue();
    member.ok("floating", "ip", "set", "--port", associated.get("port_id").asText(), address);
    member.ok("floating", "ip", "unset", "--port", address);
    member.ok("floating", "ip", "delete", address);
    assertThat(member.json("floating", "ip", "list")).isEmpty();
    Cloud.deleteServer(api, server);
  }

  @Test
  void networksTakeTagsAndListsFilterOnThem() {
    member.json("network", "create", "--tag", "red", "--tag", "prod", "tagged-a");
    member.json("network", "create", "--tag", "red", "tagged-b");
    member.ok("network", "set", "--tag", "green", "tagged-b");
    assertThat(member.json("network", "list", "--tags", "red,prod")).hasSize(1);
    assertThat(member.json("network", "list", "--any-tags", "prod,green")).hasSize(2);
    assertThat(member.json("network", "list", "--not-tags", "red", "--name", "tagged-a")).isEmpty();
    member.ok("network", "unset", "--tag", "red", "tagged-b");
    assertThat(member.json("network", "show", "tagged-b").get("tags").toString()).doesNotContain("red").contains("green");
  }
}
