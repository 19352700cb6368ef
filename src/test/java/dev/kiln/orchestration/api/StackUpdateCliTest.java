package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stack updates driven by Debian's real {@code openstack stack update} (with {@code --existing},
 * {@code --rollback}, {@code --dry-run}) and {@code openstack stack cancel}, as a project member.
 */
class StackUpdateCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      parameters:
        value: {type: string, default: one}
        replace: {type: boolean, default: false}
        wait: {type: number, default: 0}
      resources:
        stored:
          type: OS::Heat::TestResource
          properties:
            value: {get_param: value}
            update_replace: {get_param: replace}
            action_wait_secs: {update: {get_param: wait}}
        steady:
          type: OS::Heat::TestResource
          properties: {value: steady}
      outputs:
        stored: {value: {get_attr: [stored, output]}}
      """;

  @BeforeAll
  static void users() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "heat-update", "heat-update-user");
    cli = member.cli(kiln.authUrl());
    Files.writeString(dir.resolve("t.yaml"), TEMPLATE);
  }

  private static String template() {
    return dir.resolve("t.yaml").toString();
  }

  private static String physical(String stack, String resource) {
    return cli.json("stack", "resource", "show", stack, resource).get("physical_resource_id").asText();
  }

  @Test
  void updateInPlaceReplaceAndPatchThroughTheClient() {
    cli.ok("stack", "create", "-t", template(), "--wait", "upd");
    String stored = physical("upd", "stored");
    String steady = physical("upd", "steady");

    String updated = cli.ok("stack", "update", "-t", template(), "--parameter", "value=two", "--wait", "upd");
    assertThat(updated).contains("UPDATE_COMPLETE");
    assertThat(cli.json("stack", "output", "show", "upd", "stored").get("output_value").asText()).isEqualTo("two");
    assertThat(physical("upd", "stored")).isEqualTo(stored);
    assertThat(cli.json("stack", "resource", "show", "upd", "stored").get("resource_status").asText())
        .isEqualTo("UPDATE_COMPLETE");

    cli.ok("stack", "update", "--existing", "--parameter", "replace=true", "--wait", "upd");
    assertThat(physical("upd", "stored")).isNotEqualTo(stored);
    assertThat(physical("upd", "steady")).isEqualTo(steady);
    assertThat(cli.json("stack", "output", "show", "upd", "stored").get("output_value").asText())
        .as("--existing kept value=two").isEqualTo("two");
    assertThat(cli.json("stack", "show", "upd").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void dryRunListsTheChangesAndChangesNothing() {
    cli.ok("stack", "create", "-t", template(), "--wait", "dry");
    String stored = physical("dry", "stored");

    JsonNode changes = cli.json("stack", "update", "--dry-run", "-t", template(), "--parameter", "replace=true", "dry");

    // One row, a column per kind of change, each the JSON list of the resources it names.
    List<String> rows = new ArrayList<>();
    changes.fields().forEachRemaining(kind -> {
      JsonNode list = kind.getValue().isTextual() ? parse(kind.getValue().asText()) : kind.getValue();
      list.forEach(r -> rows.add(r.get("resource_name").asText() + " " + kind.getKey()));
    });
    assertThat(rows).containsExactlyInAnyOrder("stored replaced", "steady unchanged");
    assertThat(physical("dry", "stored")).isEqualTo(stored);
    assertThat(cli.json("stack", "show", "dry").get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
  }

  private static JsonNode parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aCancelledUpdateRollsBack() {
    cli.ok("stack", "create", "-t", template(), "--wait", "cancelled");
    cli.ok("stack", "update", "-t", template(), "--parameter", "value=slow", "--parameter", "wait=60", "cancelled");
    Await.until(() -> cli.json("stack", "resource", "show", "cancelled", "stored").get("resource_status").asText()
        .equals("UPDATE_IN_PROGRESS"), "the update to start");

    cli.ok("stack", "cancel", "cancelled");

    Await.until(() -> cli.json("stack", "show", "cancelled").get("stack_status").asText().equals("ROLLBACK_COMPLETE"),
        "the rollback to finish");
    assertThat(cli.json("stack", "output", "show", "cancelled", "stored").get("output_value").asText())
        .isEqualTo("one");
  }

  @Test
  void waitConditionSignalUrlsCarryThePortTheServerListensOn() throws IOException {
    Path handle = dir.resolve("handle.yaml");
    Files.writeString(handle, """
        heat_template_version: 2018-08-31
        resources:
          handle:
            type: OS::Heat::WaitConditionHandle
        outputs:
          endpoint: {value: {get_attr: [handle, endpoint]}}
        """);
    cli.ok("stack", "create", "-t", handle.toString(), "--wait", "signalled");

    String endpoint = cli.json("stack", "output", "show", "signalled", "endpoint").get("output_value").asText();

    assertThat(endpoint).startsWith(kiln.baseUrl() + "/heat-api/v1/");
  }
}
