package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.RunningKiln;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Volume types and quotas driven by Debian's real clients: {@code openstack} for types and {@code
 * quota set}, and {@code cinder} for showing quotas, because {@code openstack quota show} also asks
 * Compute and Networking for their quotas.
 */
class VolumeTypesAndQuotasCliTest {
  private static final Path CINDER = Path.of("/usr/bin/cinder");

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void volumeTypeWithPropertiesLifecycle() throws Exception {
    JsonNode created = admin.json("volume", "type", "create", "--property", "multiattach=<is> True", "mtype");
    assertThat(created.get("name").asText()).isEqualTo("mtype");
    assertThat(created.at("/properties/multiattach").asText()).isEqualTo("<is> True");

    admin.ok("volume", "type", "set", "--property", "tier=gold", "--description", "shared disks", "mtype");
    JsonNode shown = admin.json("volume", "type", "show", "mtype");
    assertThat(shown.get("id").asText()).isEqualTo(created.get("id").asText());
    assertThat(shown.get("description").asText()).isEqualTo("shared disks");
    assertThat(shown.at("/properties/multiattach").asText()).isEqualTo("<is> True");
    assertThat(shown.at("/properties/tier").asText()).isEqualTo("gold");

    admin.ok("volume", "type", "unset", "--property", "tier", "mtype");
    JsonNode listed = admin.json("volume", "type", "list", "--long");
    assertThat(listed.findValuesAsText("Name")).contains("mtype", "__DEFAULT__");
    assertThat(admin.json("volume", "type", "show", "mtype").get("properties").has("tier")).isFalse();

    admin.ok("volume", "type", "delete", "mtype");
    assertThat(admin.json("volume", "type", "list").findValuesAsText("Name")).doesNotContain("mtype");
    OpenStackCli.Result refused = admin.run("volume", "type", "delete", "__DEFAULT__");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("is a default volume type and cannot be deleted");
  }

  @Test
  void quotaSetWithOpenstackThenShowAndUpdateWithCinder() throws Exception {
    String project = admin.json("project", "create", "quota-demo").get("id").asText();
    admin.ok("quota", "set", "--volumes", "3", "--gigabytes", "30", "quota-demo");

    String shown = cinder("quota-show", project);
    assertThat(shown).containsPattern("\\|\\s+volumes\\s+\\|\\s+3\\s+\\|");
    assertThat(shown).containsPattern("\\|\\s+gigabytes\\s+\\|\\s+30\\s+\\|");
    assertThat(shown).containsPattern("\\|\\s+snapshots\\s+\\|\\s+10\\s+\\|");

    cinder("quota-update", "--snapshots", "4", project);
    String usage = cinder("quota-usage", project);
    assertThat(usage).containsPattern("\\|\\s+snapshots\\s+\\|\\s+0\\s+\\|\\s+0\\s+\\|\\s+4\\s+\\|");
    assertThat(cinder("quota-defaults", project)).containsPattern("\\|\\s+volumes\\s+\\|\\s+10\\s+\\|");
  }

  /** Runs Debian's {@code cinder} with the admin's credentials; it must succeed. */
  private static String cinder(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(CINDER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    builder.environment().put("OS_AUTH_URL", kiln.authUrl());
    builder.environment().put("OS_USERNAME", "admin");
    builder.environment().put("OS_PASSWORD", RunningKiln.ADMIN_PASSWORD);
    builder.environment().put("OS_PROJECT_NAME", "admin");
    builder.environment().put("OS_USER_DOMAIN_NAME", "Default");
    builder.environment().put("OS_PROJECT_DOMAIN_NAME", "Default");
    builder.environment().put("OS_INTERFACE", "public");
    Path out = Files.createTempFile("cinder-out", ".txt");
    Path err = Files.createTempFile("cinder-err", ".txt");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("cinder " + String.join(" ", args) + " did not finish in 120 s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "cinder " + String.join(" ", args) + " failed (" + process.exitValue() + "): "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
