package dev.kiln.orchestration.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Software configs and deployments through Debian's real {@code openstack software config/deployment}
 * commands (python3-heatclient), and the raw API's refusals in Heat's fault format.
 */
class SoftwareConfigCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static Tenant member;
  private static OpenStackCli cli;
  private static OpenStackCli stranger;

  @BeforeAll
  static void users() {
    member = Tenant.create(kiln, kiln.admin(), "sw-cli", "sw-cli-user");
    cli = member.cli(kiln.authUrl());
    stranger = Tenant.create(kiln, kiln.admin(), "sw-other", "sw-other-user").cli(kiln.authUrl());
  }

  private static Api heat() {
    return member.api();
  }

  private static String path(String rest) {
    return "/heat-api/v1/" + member.projectId() + rest;
  }

  @Test
  void configCreateShowListDeleteThroughTheCli() throws IOException {
    Path script = dir.resolve("hello.sh");
    Files.writeString(script, "#!/bin/sh\necho hello > $heat_outputs_path.result\n");
    Path definition = dir.resolve("def.yaml");
    Files.writeString(
        definition,
        "inputs:\n- name: foo\n  type: String\n  default: bar\noutputs:\n- name: result\noptions:\n  debug: true\n");
    JsonNode made =
        cli.json("software", "config", "create", "--config-file", script.toString(), "--definition-file",
            definition.toString(), "--group", "script", "hello-config");
    String id = made.get("id").asText();
    assertThat(made.get("group").asText()).isEqualTo("script");

    JsonNode shown = cli.json("software", "config", "show", id);
    assertThat(shown.get("name").asText()).isEqualTo("hello-config");
    assertThat(shown.get("config").asText()).contains("echo hello");
    assertThat(shown.get("inputs").get(0).get("default").asText()).isEqualTo("bar");
    assertThat(shown.get("outputs").get(0).get("name").asText()).isEqualTo("result");
    assertThat(shown.get("options").get("debug").asBoolean()).isTrue();
    assertThat(cli.ok("software", "config", "show", "--config-only", id)).contains("echo hello");

    assertThat(cli.json("software", "config", "list").findValuesAsText("id")).contains(id);
    assertThat(stranger.run("software", "config", "show", id).exitCode()).isNotZero();
    assertThat(stranger.json("software", "config", "list").findValuesAsText("id")).doesNotContain(id);

    cli.ok("software", "config", "delete", id);
    assertThat(cli.run("software", "config", "show", id).exitCode()).isNotZero();
  }

  @Test
  void deploymentCreateShowOutputAndDeleteThroughTheCli() throws IOException {
    Path script = dir.resolve("out.sh");
    Files.writeString(script, "#!/bin/sh\necho -n $foo > $heat_outputs_path.result\n");
    Path definition = dir.resolve("out.yaml");
    Files.writeString(definition, "inputs:\n- name: foo\noutputs:\n- name: result\n");
    String configId =
        cli.json("software", "config", "create", "--config-file", script.toString(), "--definition-file",
            definition.toString(), "--group", "script", "out-config").get("id").asText();

    JsonNode deployment =
        cli.json("software", "deployment", "create", "--config", configId, "--server", "server-1",
            "--input-value", "foo=fooooo", "--signal-transport", "NO_SIGNAL", "--action", "CREATE", "dep-1");
    String id = deployment.get("id").asText();
    assertThat(deployment.get("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(deployment.get("server_id").asText()).isEqualTo("server-1");
    // heatclient derived a config holding the input's value and the deploy_* inputs.
    String derived = deployment.get("config_id").asText();
    assertThat(derived).isNotEqualTo(configId);

    JsonNode metadata = heat().get(path("/software_deployments/metadata/server-1")).expect(200).get("metadata");
    assertThat(metadata).hasSize(1);
    assertThat(metadata.get(0).get("id").asText()).isEqualTo(derived);
    assertThat(metadata.get(0).get("name").asText()).isEqualTo("dep-1");
    assertThat(metadata.get(0).get("group").asText()).isEqualTo("script");
    JsonNode inputs = metadata.get(0).get("inputs");
    assertThat(inputs.findValuesAsText("name")).contains("foo", "deploy_server_id", "deploy_action");
    assertThat(inputs.get(0).get("value").asText()).isEqualTo("fooooo");

    // A guest reports its outputs by updating the deployment.
    heat().put(path("/software_deployments/" + id),
            "{\"status\": \"COMPLETE\", \"status_reason\": \"Outputs received\", \"output_values\": {\"result\": \"fooooo\","
                + " \"deploy_stdout\": \"ok\", \"deploy_stderr\": \"\", \"deploy_status_code\": 0}}")
        .expect(200);
    JsonNode shown = cli.json("software", "deployment", "show", id);
    assertThat(shown.get("status").asText()).isEqualTo("COMPLETE");
    assertThat(cli.ok("software", "deployment", "output", "show", id, "result")).contains("fooooo");
    assertThat(cli.json("software", "deployment", "list", "--server", "server-1").findValuesAsText("id"))
        .containsExactly(id);
    assertThat(stranger.run("software", "deployment", "show", id).exitCode()).isNotZero();

    cli.ok("software", "deployment", "delete", id);
    assertThat(cli.run("software", "deployment", "show", id).exitCode()).isNotZero();
    // The CLI deletes the derived config with the deployment.
    assertThat(cli.run("software", "config", "show", derived).exitCode()).isNotZero();
  }

  @Test
  void badConfigsAndDeploymentsAnswer400InHeatsFormat() {
    Api.Response badType =
        heat().post(path("/software_configs"),
            "{\"name\": \"x\", \"group\": \"script\", \"config\": \"\", \"inputs\": [{\"name\": \"a\", \"type\": \"Integer\"}]}");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.json().get("error").get("message").asText()).contains("inputs[0].type").contains("Integer");
    assertThat(badType.json().get("title").asText()).isEqualTo("Bad Request");

    String configId =
        heat().post(path("/software_configs"), "{\"name\": \"ok\", \"group\": \"script\", \"config\": \"true\"}")
            .expect(200).get("software_config").get("id").asText();
    Api.Response noServer = heat().post(path("/software_deployments"), "{\"config_id\": \"" + configId + "\"}");
    assertThat(noServer.status()).isEqualTo(400);
    assertThat(noServer.json().get("error").get("message").asText()).contains("server_id");
    Api.Response noConfig = heat().post(path("/software_deployments"), "{\"server_id\": \"s\"}");
    assertThat(noConfig.status()).isEqualTo(400);
    assertThat(noConfig.json().get("error").get("message").asText()).contains("config_id");
    Api.Response unknownConfig =
        heat().post(path("/software_deployments"), "{\"server_id\": \"s\", \"config_id\": \"nope\"}");
    assertThat(unknownConfig.status()).isEqualTo(404);
    assertThat(unknownConfig.json().get("error").get("message").asText())
        .isEqualTo("Software config with id nope not found");

    // A config a deployment uses cannot go.
    String deploymentId =
        heat().post(path("/software_deployments"), "{\"server_id\": \"s\", \"config_id\": \"" + configId + "\"}")
            .expect(200).get("software_deployment").get("id").asText();
    assertThat(heat().delete(path("/software_configs/" + configId)).status()).isEqualTo(400);
    heat().delete(path("/software_deployments/" + deploymentId)).expect(204);
    heat().delete(path("/software_configs/" + configId)).expect(204);
  }

  @Test
  void overLongNamesAnswer400NamingTheFieldAndTheLimit() {
    Api.Response longName =
        heat().post(path("/software_configs"), "{\"name\": \"" + "n".repeat(256) + "\", \"group\": \"script\", \"config\": \"\"}");
    assertThat(longName.status()).isEqualTo(400);
    assertThat(longName.json().get("error").get("message").asText()).contains("name").contains("255");
    Api.Response longServer =
        heat().post(path("/software_deployments"), "{\"server_id\": \"" + "s".repeat(70_000) + "\", \"config_id\": \"c\"}");
    assertThat(longServer.status()).isEqualTo(400);
    assertThat(longServer.json().get("error").get("message").asText()).contains("server_id").contains("255");
    assertThat(heat().get(path("/software_configs")).expect(200).get("software_configs").findValuesAsText("name"))
        .noneMatch(n -> n.startsWith("nnnn"));
  }
}
