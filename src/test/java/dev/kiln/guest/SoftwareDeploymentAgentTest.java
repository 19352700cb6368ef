package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heat's software deployments with nobody playing the guest: a SOFTWARE_CONFIG server's agent
 * polls the server resource's metadata with the server's stack user, runs each deployment's
 * script and signals the deployment, so the stack completes (or fails) on its own.
 */
class SoftwareDeploymentAgentTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static Tenant tenant;

  private static String template(String group, String script) {
    return """
        heat_template_version: 2018-08-31
        parameters:
          foo: {type: string, default: one}
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: %s
              inputs: [{name: foo}]
              outputs: [{name: result}]
              config: |
        %s
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              user_data_format: SOFTWARE_CONFIG
              software_config_transport: POLL_SERVER_HEAT
          deployment:
            type: OS::Heat::SoftwareDeployment
            properties:
              config: {get_resource: config}
              server: {get_resource: server}
              input_values: {foo: {get_param: foo}}
              signal_transport: HEAT_SIGNAL
        outputs:
          result: {value: {get_attr: [deployment, result]}}
          stdout: {value: {get_attr: [deployment, deploy_stdout]}}
          code: {value: {get_attr: [deployment, deploy_status_code]}}
          server: {value: {get_resource: server}}
        """.formatted(group, script.indent(10).stripTrailing());
  }

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "sd-agent", "sd-agent-user");
    Cloud.network(tenant.api(), "private", "10.31.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static String create(String name, String template, String foo) {
    return tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"" + name + "\", \"template\": " + GuestHttp.JSON.valueToTree(template)
                + ", \"parameters\": {\"foo\": \"" + foo + "\"}}")
        .expect(201).at("/stack/id").asText();
  }

  private static JsonNode stack(String name, String id) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id)).expect(200).get("stack");
  }

  /** The stack once its operation ended (a minute at most: a shared machine may be slow). */
  private static JsonNode settled(String name, String id) {
    Await.until(() -> !stack(name, id).path("stack_status").asText().endsWith("_IN_PROGRESS"), Duration.ofSeconds(60),
        "stack " + name + " to settle");
    return stack(name, id);
  }

  private static JsonNode output(String name, String id, String output) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id + "/outputs/" + output)).expect(200).at("/output/output_value");
  }

  @Test
  void theServersAgentRunsTheDeploymentAndRunsItAgainOnUpdate() {
    String template = template("script", """
        #!/bin/sh
        echo "configuring with $foo"
        echo -n "got $foo" > $heat_outputs_path.result
        """);
    String id = create("sd-run", template, "one");

    assertThat(settled("sd-run", id).path("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(output("sd-run", id, "result").asText()).isEqualTo("got one");
    assertThat(output("sd-run", id, "stdout").asText()).isEqualTo("configuring with one\n");
    assertThat(output("sd-run", id, "code").asInt()).isZero();
    String server = output("sd-run", id, "server").asText();
    Path sandbox = kiln.config().dataDir().resolve("guests").resolve(server);
    assertThat(sandbox.resolve("deployed")).isDirectory();

    tenant.api().patch(heat("/stacks/sd-run/" + id), "{\"parameters\": {\"foo\": \"two\"}}").expect(202);
    Await.until(() -> !stack("sd-run", id).path("stack_status").asText().equals("CREATE_COMPLETE"), "the update to start");
    assertThat(settled("sd-run", id).path("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(output("sd-run", id, "result").asText()).isEqualTo("got two");

    tenant.api().delete(heat("/stacks/sd-run/" + id)).expect(204);
    Await.until(() -> tenant.api().get(heat("/stacks/sd-run/" + id)).status() == 404
            || tenant.api().get(heat("/stacks/sd-run/" + id)).json().at("/stack/stack_status").asText().equals("DELETE_COMPLETE"),
        Duration.ofSeconds(30), "the stack to go");
    Await.until(() -> !sandbox.toFile().exists(), "the server's sandbox to go with it");
  }

  @Test
  void aFailingScriptFailsTheStackWithItsStatusAndStderr() {
    String id = create("sd-bad", template("script", """
        #!/bin/bash
        echo "cannot reach the database" >&2
        exit 3
        """), "one");

    JsonNode stack = settled("sd-bad", id);

    assertThat(stack.path("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(stack.path("stack_status_reason").asText())
        .contains("Deployment to server failed", "status code: 3", "cannot reach the database");
  }

  @Test
  void aGroupWithoutAHookFailsTheStackWithTheReason() {
    String id = create("sd-puppet", template("puppet", "class { 'ntp': }"), "one");

    JsonNode stack = settled("sd-puppet", id);

    assertThat(stack.path("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(stack.path("stack_status_reason").asText())
        .contains("status code: 1", "Kiln's agent has no hook for the config group 'puppet'");
  }
}
