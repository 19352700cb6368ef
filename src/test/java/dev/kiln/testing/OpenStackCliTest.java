package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client driver runs the installed programs' own code: the same commands give the same exit
 * codes and output through it as through {@code /usr/bin/openstack}, {@code heat}, {@code cinder}
 * and {@code nova} started as processes, and its {@code --wait} loops still wait for the end.
 */
class OpenStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli driven;
  private static OpenStackCli installed;

  @BeforeAll
  static void project() {
    Tenant member = Tenant.create(kiln, kiln.admin(), "cli-driver", "cli-driver-user");
    Cloud.network(member.api(), "private", "10.77.0.0/24");
    driven = member.cli(kiln.authUrl());
    installed = driven.processPerCommand();
  }

  @Test
  void eachDriverShortensOnlyTheWaitLoopsOfItsOwnClient() {
    assertThat(OpenStackDriver.ready("openstack").get("capped_waits")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(
            "heatclient.common.event_utils.poll_for_events", "osc_lib.utils.wait_for_status",
            "osc_lib.utils.wait_for_delete");
    assertThat(OpenStackDriver.ready("heat").get("capped_waits")).extracting(JsonNode::asText)
        .containsExactly("heatclient.common.event_utils.poll_for_events");
    assertThat(OpenStackDriver.ready("cinder").get("capped_waits")).isEmpty();
    assertThat(OpenStackDriver.ready("nova").get("capped_waits")).isEmpty();
  }

  @Test
  void commandsAnswerAlikeThroughTheDriverAndAsProcesses() {
    List<List<String>> commands =
        List.of(
            List.of("openstack", "flavor", "list", "-f", "json"),
            List.of("openstack", "network", "show", "private", "-f", "json", "-c", "name", "-c", "status"),
            List.of("openstack", "server", "show", "no-such-server"),
            List.of("openstack", "no-such-command"),
            List.of("heat", "stack-list"),
            List.of("heat", "stack-show", "no-such-stack"),
            List.of("cinder", "list"),
            List.of("cinder", "show", "no-such-volume"),
            List.of("nova", "flavor-list"),
            List.of("nova", "show", "no-such-server"));
    for (List<String> command : commands) {
      OpenStackCli.Result viaDriver = run(driven, command);
      OpenStackCli.Result asProcess = run(installed, command);
      assertThat(viaDriver).as(String.join(" ", command)).isEqualTo(asProcess);
    }
  }

  @Test
  void stackCommandsThatWaitReturnOnlyOnceTheStackIsComplete() throws IOException {
    Path template = dir.resolve("slow.yaml");
    Files.writeString(
        template,
        """
        heat_template_version: 2018-08-31
        resources:
          slow:
            type: OS::Heat::TestResource
            properties: {action_wait_secs: {create: 2, delete: 2}}
        """);
    assertThat(driven.ok("stack", "create", "-t", template.toString(), "--wait", "slow-stack")).contains("CREATE_COMPLETE");
    assertThat(driven.json("stack", "show", "slow-stack").get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    driven.ok("stack", "delete", "--yes", "--wait", "slow-stack");
    assertThat(driven.run("stack", "show", "slow-stack").exitCode()).as("the stack is gone when delete --wait ends").isNotZero();
  }

  private static OpenStackCli.Result run(OpenStackCli cli, List<String> command) {
    String[] args = command.subList(1, command.size()).toArray(String[]::new);
    return switch (command.getFirst()) {
      case "openstack" -> cli.run(args);
      case "heat" -> cli.heat(args);
      case "cinder" -> cli.cinder("3.0", args);
      case "nova" -> cli.nova("2.1", args);
      default -> throw new IllegalArgumentException(command.getFirst());
    };
  }
}
