package dev.kiln.compute.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quotas and limits driven by Debian's real {@code openstack}, which asks Compute, Block Storage
 * and Networking for one project's quotas at once.
 */
class QuotasCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @BeforeAll
  static void start() {
    admin.ok("project", "create", "cli-quotas");
  }

  @Test
  void quotaShowGathersComputeVolumeAndNetworkQuotas() {
    JsonNode shown = admin.json("quota", "show", "cli-quotas");
    assertThat(shown.get("instances").asInt()).isEqualTo(10);
    assertThat(shown.get("cores").asInt()).isEqualTo(20);
    assertThat(shown.get("ram").asInt()).isEqualTo(51200);
    assertThat(shown.get("key-pairs").asInt()).isEqualTo(100);
    assertThat(shown.get("volumes").asInt()).isEqualTo(10);
    assertThat(shown.get("networks").asInt()).isEqualTo(100);
    assertThat(shown.get("ports").asInt()).isEqualTo(500);
    assertThat(shown.get("secgroups").asInt()).isEqualTo(10);
    assertThat(shown.get("secgroup-rules").asInt()).isEqualTo(100);
    assertThat(shown.get("project_name").asText()).isEqualTo("cli-quotas");

    JsonNode defaults = admin.json("quota", "show", "--default", "cli-quotas");
    assertThat(defaults.get("instances").asInt()).isEqualTo(10);
    assertThat(defaults.get("subnets").asInt()).isEqualTo(100);
  }

  @Test
  void quotaSetChangesComputeAndNetworkLimits() {
    admin.ok("project", "create", "cli-quotas-set");
    admin.ok("quota", "set", "--instances", "5", "--cores", "8", "--networks", "7", "cli-quotas-set");
    JsonNode shown = admin.json("quota", "show", "cli-quotas-set");
    assertThat(shown.get("instances").asInt()).isEqualTo(5);
    assertThat(shown.get("cores").asInt()).isEqualTo(8);
    assertThat(shown.get("networks").asInt()).isEqualTo(7);
    assertThat(shown.get("ram").asInt()).isEqualTo(51200);

    JsonNode computeList = admin.json("quota", "list", "--compute");
    assertThat(computeList.findValuesAsText("Instances")).contains("5");
    JsonNode detail = admin.json("quota", "list", "--detail", "--compute", "--project", "cli-quotas-set");
    Map<String, Integer> limits = new HashMap<>();
    detail.forEach(row -> limits.put(row.get("Resource").asText(), row.get("Limit").asInt()));
    assertThat(limits).containsEntry("instances", 5).containsEntry("cores", 8);
    JsonNode networkDetail = admin.json("quota", "list", "--detail", "--network", "--project", "cli-quotas-set");
    assertThat(networkDetail.findValuesAsText("Resource")).contains("networks", "ports");
  }

  @Test
  void limitsShowAbsoluteListsComputeLimitsAndUsage() {
    JsonNode limits = admin.json("limits", "show", "--absolute");
    Map<String, Integer> byName = new HashMap<>();
    limits.forEach(row -> byName.put(row.get("Name").asText(), row.get("Value").asInt()));
    assertThat(byName)
        .containsEntry("maxTotalInstances", 10)
        .containsEntry("maxTotalCores", 20)
        .containsEntry("maxTotalRAMSize", 51200)
        .containsEntry("maxTotalKeypairs", 100)
        .containsEntry("totalInstancesUsed", 0)
        .containsKey("maxServerMeta")
        .containsEntry("maxTotalVolumes", 10)
        .containsEntry("totalVolumesUsed", 0);

    admin.ok("project", "create", "cli-quotas-limits");
    admin.ok("quota", "set", "--instances", "4", "cli-quotas-limits");
    JsonNode other = admin.json("limits", "show", "--absolute", "--project", "cli-quotas-limits");
    Map<String, Integer> otherByName = new HashMap<>();
    other.forEach(row -> otherByName.put(row.get("Name").asText(), row.get("Value").asInt()));
    assertThat(otherByName).containsEntry("maxTotalInstances", 4);
  }

  @Test
  void quotaSetClassDefaultChangesEveryProjectsDefaults() {
    admin.ok("project", "create", "cli-quotas-class");
    admin.ok("quota", "set", "--class", "--key-pairs", "42", "default");
    try {
      assertThat(admin.json("quota", "show", "--default", "cli-quotas-class").get("key-pairs").asInt()).isEqualTo(42);
      assertThat(admin.json("quota", "show", "cli-quotas-class").get("key-pairs").asInt()).isEqualTo(42);
    } finally {
      admin.ok("quota", "set", "--class", "--key-pairs", "100", "default");
    }
  }
}
