package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Cloud;
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
 * Software deployments end to end with Kiln's in-instance agent: the server's agent polls its
 * metadata, really runs the script config and signals back, so stacks complete (or fail) through
 * the real {@code openstack stack} client with the script's outputs; an update with new input
 * values runs it again with the UPDATE action, and an action-aware config runs its entry for the
 * action.
 */
class SoftwareAgentEndToEndTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      parameters:
        name: {type: string, default: world}
        code: {type: number, default: 0}
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            group: script
            inputs: [{name: name}, {name: code}]
            outputs: [{name: greeting}]
            config: |
              #!/bin/sh
              echo -n "hello $name during $deploy_action" > $heat_outputs_path.greeting
              echo "ran for $name"
              if [ "$code" != 0 ]; then echo "it broke for $name" >&2; exit $code; fi
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{network: private}]
            user_data_format: SOFTWARE_CONFIG
        deployment:
          type: OS::Heat::SoftwareDeployment
          properties:
            config: {get_resource: config}
            server: {get_resource: server}
            input_values: {name: {get_param: name}, code: {get_param: code}}
      outputs:
        greeting: {value: {get_attr: [deployment, greeting]}}
        stdout: {value: {get_attr: [deployment, deploy_stdout]}}
      """;

  @BeforeAll
  static void project() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "sd-e2e", "sd-e2e-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.50.0.0/24");
    Files.writeString(dir.resolve("e2e.yaml"), TEMPLATE);
  }

  private static String output(String stack, String name) {
    return cli.json("stack", "output", "show", stack, name).get("output_value").asText();
  }

  @Test
  void aScriptDeploymentCompletesWithItsOutputAndRunsAgainOnUpdate() {
    cli.ok("stack", "create", "-t", dir.resolve("e2e.yaml").toString(), "--wait", "e2e-ok");
    assertThat(output("e2e-ok", "greeting")).isEqualTo("hello world during CREATE");
    assertThat(output("e2e-ok", "stdout")).contains("ran for world");

    cli.ok("stack", "update", "-t", dir.resolve("e2e.yaml").toString(), "--parameter", "name=kiln", "--wait", "e2e-ok");
    assertThat(cli.json("stack", "show", "e2e-ok").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(output("e2e-ok", "greeting")).isEqualTo("hello kiln during UPDATE");
    cli.ok("stack", "delete", "--yes", "--wait", "e2e-ok");
  }

  @Test
  void aScriptThatExitsThreeFailsTheStackWithItsStderr() {
    OpenStackCli.Result result =
        cli.run("stack", "create", "-t", dir.resolve("e2e.yaml").toString(), "--parameter", "code=3", "--wait", "e2e-bad");
    assertThat(result.exitCode()).isNotZero();
    var stack = cli.json("stack", "show", "e2e-bad");
    assertThat(stack.get("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(stack.get("stack_status_reason").asText())
        .contains("Deployment exited with non-zero status code: 3")
        .contains("it broke for world");
  }

  @Test
  void anActionAwareConfigRunsTheEntryForTheAction() throws IOException {
    Path template = dir.resolve("aware.yaml");
    Files.writeString(
        template,
        """
        heat_template_version: 2018-08-31
        parameters:
          size: {type: string, default: small}
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: script
              inputs: [{name: size}]
              outputs: [{name: did}]
              config: "#!/bin/sh\\necho -n fallback > $heat_outputs_path.did\\n"
              configs:
                create: "#!/bin/sh\\necho -n installed $size > $heat_outputs_path.did\\n"
                update: "#!/bin/sh\\necho -n resized to $size > $heat_outputs_path.did\\n"
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              user_data_format: SOFTWARE_CONFIG
          deployment:
            type: OS::Heat::SoftwareDeployment
            properties:
              config: {get_resource: config}
              server: {get_resource: server}
              input_values: {size: {get_param: size}}
        outputs:
          did: {value: {get_attr: [deployment, did]}}
        """);
    cli.ok("stack", "create", "-t", template.toString(), "--wait", "e2e-aware");
    assertThat(output("e2e-aware", "did")).isEqualTo("installed small");
    cli.ok("stack", "update", "-t", template.toString(), "--parameter", "size=large", "--wait", "e2e-aware");
    assertThat(output("e2e-aware", "did")).isEqualTo("resized to large");
    cli.ok("stack", "delete", "--yes", "--wait", "e2e-aware");
  }
}
