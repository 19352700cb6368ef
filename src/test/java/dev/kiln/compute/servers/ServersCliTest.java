package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Servers driven by Debian's real {@code openstack}: create and wait, list, show, delete and wait. */
class ServersCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void createListShowDelete() throws Exception {
    String net = admin.json("network", "create", "cli-net").get("id").asText();
    admin.ok("subnet", "create", "--network", "cli-net", "--subnet-range", "10.20.0.0/24", "cli-subnet");

    JsonNode created = admin.json("server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", net, "--wait", "s1");
    assertThat(created.get("status").asText()).isEqualTo("ACTIVE");
    String id = created.get("id").asText();

    JsonNode list = admin.json("server", "list");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("Name").asText()).isEqualTo("s1");
    assertThat(list.get(0).get("Status").asText()).isEqualTo("ACTIVE");

    JsonNode shown = admin.json("server", "show", "s1");
    assertThat(shown.get("id").asText()).isEqualTo(id);
    assertThat(shown.get("addresses").toString()).contains("cli-net").contains("10.20.0.");
    assertThat(shown.get("OS-EXT-SRV-ATTR:host").asText()).startsWith("kiln-compute-");

    admin.ok("server", "delete", "--wait", "s1");
    assertThat(admin.json("server", "list")).isEmpty();
    assertThat(admin.json("port", "list", "--network", net).toString()).doesNotContain("compute:");
  }
}
