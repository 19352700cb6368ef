package dev.kiln.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.catalog.SshKeysTest;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flavors, keypairs, hypervisors, services and zones driven by Debian's real {@code openstack}
 * (python3-openstackclient 6.0, with openstacksdk and novaclient underneath).
 */
class ComputeCliTest {
  @TempDir static Path files;
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void flavorLifecycle() throws Exception {
    assertThat(admin.json("flavor", "list").findValuesAsText("Name")).containsExactly("m1.tiny", "m1.small", "m1.medium", "m1.large");

    JsonNode created = admin.json("flavor", "create", "--vcpus", "2", "--ram", "1024", "--disk", "10", "k1.custom");
    assertThat(created.get("name").asText()).isEqualTo("k1.custom");
    String id = created.get("id").asText();

    JsonNode shown = admin.json("flavor", "show", "k1.custom");
    assertThat(shown.get("id").asText()).isEqualTo(id);
    assertThat(shown.get("vcpus").asInt()).isEqualTo(2);
    assertThat(shown.get("ram").asInt()).isEqualTo(1024);
    assertThat(shown.get("disk").asInt()).isEqualTo(10);
    assertThat(admin.json("flavor", "list").findValuesAsText("Name")).contains("k1.custom");

    admin.ok("flavor", "delete", "k1.custom");
    assertThat(admin.json("flavor", "list").findValuesAsText("Name")).doesNotContain("k1.custom");
    OpenStackCli.Result gone = admin.run("flavor", "show", id);
    assertThat(gone.exitCode()).isNotZero();
  }

  @Test
  void keypairLifecycle() throws Exception {
    String printed = admin.ok("keypair", "create", "k1");
    assertThat(printed).contains("-----BEGIN RSA PRIVATE KEY-----").contains("-----END RSA PRIVATE KEY-----");

    Path pub = files.resolve("k2.pub");
    Files.writeString(pub, SshKeysTest.ED25519 + "\n");
    JsonNode imported = admin.json("keypair", "create", "--public-key", pub.toString(), "k2");
    assertThat(imported.get("fingerprint").asText()).isEqualTo("05:62:20:8c:f2:60:55:5e:a7:bb:e4:a6:ba:c6:03:ad");

    assertThat(admin.json("keypair", "list").findValuesAsText("Name")).containsExactly("k1", "k2");
    admin.ok("keypair", "delete", "k1", "k2");
    assertThat(admin.json("keypair", "list")).isEmpty();
  }

  @Test
  void fleetReports() throws Exception {
    JsonNode hypervisors = admin.json("hypervisor", "list");
    assertThat(hypervisors.findValuesAsText("Hypervisor Hostname"))
        .containsExactly("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");
    assertThat(hypervisors.findValuesAsText("State")).containsOnly("up");

    JsonNode one = admin.json("hypervisor", "show", "kiln-compute-2");
    assertThat(one.get("hypervisor_hostname").asText()).isEqualTo("kiln-compute-2");
    assertThat(one.get("vcpus").asInt()).isEqualTo(16);

    JsonNode stats = admin.json("hypervisor", "stats", "show");
    assertThat(stats.get("count").asInt()).isEqualTo(3);

    JsonNode services = admin.json("compute", "service", "list");
    assertThat(services.findValuesAsText("Binary"))
        .containsExactly("nova-scheduler", "nova-conductor", "nova-compute", "nova-compute", "nova-compute");
    assertThat(services.findValuesAsText("State")).containsOnly("up");

    JsonNode zones = admin.json("availability", "zone", "list", "--compute");
    assertThat(zones.findValuesAsText("Zone Name")).contains("nova");
  }

  @Test
  void disablingAComputeService() throws Exception {
    admin.ok("compute", "service", "set", "--disable", "--disable-reason", "fixing", "--down", "kiln-compute-3", "nova-compute");
    JsonNode compute3 = admin.json("compute", "service", "list", "--long", "--host", "kiln-compute-3").get(0);
    assertThat(compute3.get("Status").asText()).isEqualTo("disabled");
    assertThat(compute3.get("State").asText()).isEqualTo("down");
    assertThat(compute3.get("Disabled Reason").asText()).isEqualTo("fixing");
    admin.ok("compute", "service", "set", "--enable", "--up", "kiln-compute-3", "nova-compute");
    assertThat(admin.json("compute", "service", "list").findValuesAsText("Status")).containsOnly("enabled");
  }
}
