package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Networking driven by Debian's real {@code openstack} client (openstacksdk underneath). */
class OpenStackCliNetworkTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void networkSubnetAndPortLifecycle() throws Exception {
    JsonNode network = admin.json("network", "create", "cli-net");
    assertThat(network.get("status").asText()).isEqualTo("ACTIVE");
    JsonNode subnet =
        admin.json("subnet", "create", "--network", "cli-net", "--subnet-range", "10.44.0.0/24", "--dns-nameserver", "9.9.9.9", "cli-sub");
    assertThat(subnet.get("gateway_ip").asText()).isEqualTo("10.44.0.1");
    assertThat(subnet.get("allocation_pools").toString()).contains("10.44.0.2").contains("10.44.0.254");

    JsonNode port =
        admin.json("port", "create", "--network", "cli-net", "--fixed-ip", "subnet=cli-sub,ip-address=10.44.0.10", "cli-port");
    assertThat(port.get("fixed_ips").toString()).contains("10.44.0.10");
    assertThat(port.get("mac_address").asText()).startsWith("fa:16:3e:");
    assertThat(port.get("status").asText()).isEqualTo("DOWN");

    JsonNode ports = admin.json("port", "list", "--network", "cli-net");
    assertThat(ports).hasSize(1);
    assertThat(ports.get(0).get("ID").asText()).isEqualTo(port.get("id").asText());

    OpenStackCli.Result inUse = admin.run("network", "delete", "cli-net");
    assertThat(inUse.exitCode()).isNotZero();
    assertThat(inUse.stderr()).contains("409").contains("ports still in use");

    admin.ok("port", "set", "--name", "renamed-port", "cli-port");
    assertThat(admin.json("port", "show", "renamed-port").get("id").asText()).isEqualTo(port.get("id").asText());
    admin.ok("port", "delete", "renamed-port");
    admin.ok("subnet", "delete", "cli-sub");
    admin.ok("network", "delete", "cli-net");
    assertThat(admin.json("network", "list", "--name", "cli-net")).isEmpty();
  }

  @Test
  void badSubnetRangeIsRefusedWithNeutronsMessage() throws Exception {
    admin.json("network", "create", "cli-bad");
    OpenStackCli.Result result =
        admin.run("subnet", "create", "--network", "cli-bad", "--subnet-range", "10.0.0.1/24", "cli-bad-sub");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("10.0.0.0/24' is recommended");
    assertThat(admin.json("subnet", "list", "--network", "cli-bad")).isEmpty();
  }
}
