package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SoftwareConfig + SoftwareDeployment on a SOFTWARE_CONFIG server, driven by the real {@code
 * openstack stack} client, with the test playing the guest exactly as os-collect-config and
 * heat-config-notify do over HTTP: it polls the server resource's metadata with the server's stack
 * user credentials (from the os-collect-config section) and signals with the deployment's
 * (deploy_user_id/deploy_password/deploy_project_id, HEAT_SIGNAL).
 */
class SoftwareDeploymentStackTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpenStackCli cli;
  private static Tenant member;

  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      parameters:
        foo: {type: string, default: one}
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            # Kiln's in-instance agent leaves Heat::Ungrouped alone: the test is this server's guest.
            group: Heat::Ungrouped
            inputs: [{name: foo}]
            outputs: [{name: result}]
            config: |
              #!/bin/sh
              echo -n "got $foo" > $heat_outputs_path.result
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
      """;

  @BeforeAll
  static void project() throws IOException {
    member = Tenant.create(kiln, kiln.admin(), "sd-stack", "sd-stack-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.30.0.0/24");
    Files.writeString(dir.resolve("deploy.yaml"), TEMPLATE);
  }

  /** A token for a stack user, as keystoneclient gets one from the collector's settings. */
  private static String token(String userId, String password, String projectId) {
    Api.Response r =
        kiln.api().post("/identity/v3/auth/tokens",
            "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"" + userId
                + "\", \"password\": \"" + password + "\"}}}, \"scope\": {\"project\": {\"id\": \"" + projectId + "\"}}}}");
    r.expect(201);
    return r.header("X-Subject-Token");
  }

  /** The guest's view: the os-collect-config heat settings of the server, from its boot user data. */
  private static JsonNode collectorSettings(String serverId) throws IOException {
    // Nova shows user_data to admins only.
    JsonNode server = kiln.admin().withHeader("X-OpenStack-Nova-API-Version", "2.3").get(Cloud.NOVA + "/servers/" + serverId).expect(200).get("server");
    String userData = new String(Base64.getDecoder().decode(server.get("OS-EXT-SRV-ATTR:user_data").asText()),
        StandardCharsets.UTF_8);
    assertThat(userData).contains("filename=\"cfn-init-data\"");
    String json = userData.substring(userData.indexOf("{\"deployments\""));
    json = json.substring(0, json.indexOf('\n'));
    return JSON.readTree(json).get("os-collect-config").get("heat");
  }

  private static JsonNode poll(JsonNode heat) {
    Api guest = kiln.api().withToken(token(heat.get("user_id").asText(), heat.get("password").asText(),
        heat.get("project_id").asText()));
    return guest.get("/heat-api/v1/" + heat.get("project_id").asText() + "/stacks/" + heat.get("stack_id").asText()
        + "/resources/" + heat.get("resource_name").asText() + "/metadata").expect(200).get("metadata");
  }

  private static String input(JsonNode deployment, String name) {
    for (JsonNode i : deployment.get("inputs")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("value").asText();
      }
    }
    throw new AssertionError("no input " + name + " in " + deployment);
  }

  /** Signals as heat-config-notify does for HEAT_SIGNAL; returns the HTTP status. */
  private static int signal(JsonNode deployment, ObjectNode body) {
    Api notifier = kiln.api().withToken(token(input(deployment, "deploy_user_id"), input(deployment, "deploy_password"),
        input(deployment, "deploy_project_id")));
    return notifier.post("/heat-api/v1/" + input(deployment, "deploy_project_id") + "/stacks/"
        + input(deployment, "deploy_stack_id") + "/resources/" + input(deployment, "deploy_resource_name") + "/signal",
        body.toString()).status();
  }

  private static JsonNode awaitDeployment(JsonNode heat, String action) {
    return Await.value(() -> {
      JsonNode md = poll(heat);
      JsonNode ds = md.path("deployments");
      return ds.size() == 1 && input(ds.get(0), "deploy_action").equals(action) ? ds.get(0) : null;
    }, d -> d != null);
  }

  private static String status(String stack) {
    return cli.json("stack", "show", stack).get("stack_status").asText();
  }

  @Test
  void deploymentWaitsForItsSignalAndShowsOutputsThenReRunsOnUpdate() throws IOException {
    cli.ok("stack", "create", "-t", dir.resolve("deploy.yaml").toString(), "--parameter", "foo=one", "sd-ok");
    String serverId =
        Await.value(() -> cli.json("stack", "resource", "show", "sd-ok", "server").path("physical_resource_id").asText(""),
            id -> !id.isEmpty());
    JsonNode heat = collectorSettings(serverId);
    assertThat(heat.get("resource_name").asText()).isEqualTo("server");
    assertThat(heat.get("auth_url").asText()).endsWith("/identity/v3");

    JsonNode deployment = awaitDeployment(heat, "CREATE");
    assertThat(deployment.get("group").asText()).isEqualTo("Heat::Ungrouped");
    assertThat(deployment.get("config").asText()).contains("heat_outputs_path.result");
    assertThat(input(deployment, "foo")).isEqualTo("one");
    assertThat(input(deployment, "deploy_server_id")).isEqualTo(serverId);
    assertThat(input(deployment, "deploy_signal_transport")).isEqualTo("HEAT_SIGNAL");
    assertThat(input(deployment, "deploy_resource_name")).isEqualTo("deployment");
    assertThat(status("sd-ok")).isEqualTo("CREATE_IN_PROGRESS");

    // The server's stack user sees none of the owner's project.
    Api guest = kiln.api().withToken(token(heat.get("user_id").asText(), heat.get("password").asText(),
        heat.get("project_id").asText()));
    assertThat(guest.get(Cloud.NOVA + "/servers").expect(200).get("servers")).isEmpty();
    assertThat(guest.get(Cloud.NOVA + "/servers/" + serverId).status()).isEqualTo(404);
    assertThat(guest.get("/heat-api/v1/" + heat.get("project_id").asText() + "/stacks").status()).isEqualTo(403);

    // A wrong password gets no token; a valid stack user of another stack may not signal this one.
    Api.Response wrong = kiln.api().post("/identity/v3/auth/tokens",
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \""
            + input(deployment, "deploy_user_id") + "\", \"password\": \"nope\"}}}}}");
    assertThat(wrong.status()).isEqualTo(401);

    ObjectNode done = JSON.createObjectNode();
    done.put("deploy_stdout", "all good");
    done.put("deploy_stderr", "");
    done.put("deploy_status_code", 0);
    done.put("result", "got one");
    assertThat(signal(deployment, done)).isEqualTo(200);
    Await.until(() -> status("sd-ok").equals("CREATE_COMPLETE"), Duration.ofSeconds(20), "sd-ok complete");
    assertThat(cli.json("stack", "output", "show", "sd-ok", "result").get("output_value").asText()).isEqualTo("got one");
    assertThat(cli.json("stack", "output", "show", "sd-ok", "stdout").get("output_value").asText()).isEqualTo("all good");

    // New input values re-run the config with the UPDATE action.
    cli.ok("stack", "update", "-t", dir.resolve("deploy.yaml").toString(), "--parameter", "foo=two", "sd-ok");
    JsonNode updated = awaitDeployment(heat, "UPDATE");
    assertThat(input(updated, "foo")).isEqualTo("two");
    assertThat(status("sd-ok")).isEqualTo("UPDATE_IN_PROGRESS");
    done.put("result", "got two");
    assertThat(signal(updated, done)).isEqualTo(200);
    Await.until(() -> status("sd-ok").equals("UPDATE_COMPLETE"), Duration.ofSeconds(20), "sd-ok updated");
    assertThat(cli.json("stack", "output", "show", "sd-ok", "result").get("output_value").asText()).isEqualTo("got two");

    cli.ok("stack", "delete", "--yes", "--wait", "sd-ok");
    assertThat(cli.json("software", "deployment", "list", "--server", serverId).size()).isZero();
  }

  @Test
  void aNonZeroStatusCodeFailsTheStackWithStderr() throws IOException {
    cli.ok("stack", "create", "-t", dir.resolve("deploy.yaml").toString(), "sd-fail");
    String serverId =
        Await.value(() -> cli.json("stack", "resource", "show", "sd-fail", "server").path("physical_resource_id").asText(""),
            id -> !id.isEmpty());
    JsonNode deployment = awaitDeployment(collectorSettings(serverId), "CREATE");
    ObjectNode failed = JSON.createObjectNode();
    failed.put("deploy_stdout", "");
    failed.put("deploy_stderr", "cannot reach the database");
    failed.put("deploy_status_code", 3);
    assertThat(signal(deployment, failed)).isEqualTo(200);
    Await.until(() -> status("sd-fail").equals("CREATE_FAILED"), Duration.ofSeconds(20), "sd-fail failed");
    String reason = cli.json("stack", "show", "sd-fail").get("stack_status_reason").asText();
    assertThat(reason).contains("Deployment to server failed").contains("status code: 3").contains("cannot reach the database");
  }

  @Test
  void aStackUserMaySignalOnlyItsOwnStack() throws IOException {
    String noSignal = Files.readString(dir.resolve("deploy.yaml")).replace("signal_transport: HEAT_SIGNAL",
        "signal_transport: NO_SIGNAL");
    Files.writeString(dir.resolve("nosignal.yaml"), noSignal);
    cli.ok("stack", "create", "-t", dir.resolve("nosignal.yaml").toString(), "--wait", "sd-quiet");
    assertThat(status("sd-quiet")).isEqualTo("CREATE_COMPLETE");
    String quietServer = cli.json("stack", "resource", "show", "sd-quiet", "server").get("physical_resource_id").asText();
    JsonNode quiet = collectorSettings(quietServer);

    cli.ok("stack", "create", "-t", dir.resolve("deploy.yaml").toString(), "sd-other");
    String serverId =
        Await.value(() -> cli.json("stack", "resource", "show", "sd-other", "server").path("physical_resource_id").asText(""),
            id -> !id.isEmpty());
    JsonNode deployment = awaitDeployment(collectorSettings(serverId), "CREATE");
    // sd-quiet's server user, valid but of another stack, is refused on sd-other.
    Api intruder = kiln.api().withToken(token(quiet.get("user_id").asText(), quiet.get("password").asText(),
        quiet.get("project_id").asText()));
    int refused = intruder.post("/heat-api/v1/" + quiet.get("project_id").asText() + "/stacks/"
        + input(deployment, "deploy_stack_id") + "/resources/deployment/signal", "{\"deploy_status_code\": 0}").status();
    assertThat(refused).isEqualTo(403);
    assertThat(status("sd-other")).isEqualTo("CREATE_IN_PROGRESS");
    ObjectNode done = JSON.createObjectNode();
    done.put("deploy_status_code", 0);
    assertThat(signal(deployment, done)).isEqualTo(200);
    Await.until(() -> status("sd-other").equals("CREATE_COMPLETE"), Duration.ofSeconds(20), "sd-other complete");
    cli.ok("stack", "delete", "--yes", "--wait", "sd-other");
    cli.ok("stack", "delete", "--yes", "--wait", "sd-quiet");
  }

  @Test
  void aDeploymentThatIsNeverSignalledFailsCleanlyAtTheStackTimeout() throws IOException {
    cli.ok("stack", "create", "-t", dir.resolve("deploy.yaml").toString(), "--timeout", "1", "sd-late");
    String serverId =
        Await.value(() -> cli.json("stack", "resource", "show", "sd-late", "server").path("physical_resource_id").asText(""),
            id -> !id.isEmpty());
    JsonNode deployment = awaitDeployment(collectorSettings(serverId), "CREATE");
    Await.until(() -> status("sd-late").equals("CREATE_FAILED"), Duration.ofSeconds(120), "sd-late timed out");
    String deploymentId = cli.json("software", "deployment", "list", "--server", serverId).get(0).get("id").asText();
    JsonNode shown = cli.json("software", "deployment", "show", deploymentId);
    assertThat(shown.get("status").asText()).isEqualTo("FAILED");
    // A signal that comes after the timeout changes nothing.
    ObjectNode late = JSON.createObjectNode();
    late.put("deploy_status_code", 0);
    signal(deployment, late);
    assertThat(cli.json("software", "deployment", "show", deploymentId).get("status").asText()).isEqualTo("FAILED");
    assertThat(status("sd-late")).isEqualTo("CREATE_FAILED");
  }
}
