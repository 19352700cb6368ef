package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import dev.kiln.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's os-collect-config (python3-os-collect-config), unchanged, polls a SOFTWARE_CONFIG
 * server's metadata from Kiln with its heat collector or (POLL_TEMP_URL) its request collector,
 * using the settings the server boots with (the os-collect-config section of its cfn-init-data),
 * and finds the server's deployments; a guest's signal PUT to the TEMP_URL_SIGNAL URL completes the
 * deployment.
 */
class OsCollectConfigTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpenStackCli cli;

  @BeforeAll
  static void project() {
    Tenant member = Tenant.create(kiln, kiln.admin(), "occ", "occ-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.40.0.0/24");
  }

  @Test
  void theRequestCollectorReadsTheDeploymentsThroughTheTempUrlAndAGuestSignalsThroughItsOwn() throws Exception {
    Path template = dir.resolve("occ-temp.yaml");
    Files.writeString(
        template,
        """
        heat_template_version: 2018-08-31
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: script
              inputs: [{name: greeting}]
              outputs: [{name: answer}]
              config: "#!/bin/sh\\necho $greeting\\n"
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              metadata: {kiln_guest_agent: "off"}
              user_data_format: SOFTWARE_CONFIG
              software_config_transport: POLL_TEMP_URL
          deployment:
            type: OS::Heat::SoftwareDeployment
            properties:
              name: 30_swift
              config: {get_resource: config}
              server: {get_resource: server}
              input_values: {greeting: bonjour}
              signal_transport: TEMP_URL_SIGNAL
        outputs:
          answer: {value: {get_attr: [deployment, answer]}}
        """);
    cli.ok("stack", "create", "-t", template.toString(), "occ-temp");
    JsonNode request = poll(() -> {
      JsonNode section = bootSection("occ-temp");
      return section == null ? null : section.get("request");
    }, "the server to boot");

    Path cache = Files.createDirectories(dir.resolve("cache-request"));
    // What the request collector read: the deployments (os-collect-config splits them out by name).
    JsonNode printed = poll(() -> {
      JsonNode out = collect(List.of(
          "/usr/bin/os-collect-config", "--one-time", "--print", "--cachedir", cache.toString(),
          "--request-metadata-url", request.get("metadata_url").asText(), "request"));
      return out.toString().contains("30_swift") ? out : null;
    }, "the deployment to reach the metadata object");
    assertThat(printed.toString()).contains("echo $greeting").contains("bonjour").contains("TEMP_URL_SIGNAL");
    String signalUrl = null;
    for (JsonNode input : printed.findParents("name")) {
      if (input.get("name").asText().equals("deploy_signal_id")) {
        signalUrl = input.get("value").asText();
      }
    }
    assertThat(signalUrl).contains("temp_url_sig=");

    // The guest's signal, as heat-config-notify sends it: a PUT of JSON to the URL, with no token.
    HttpResponse<String> put = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(signalUrl))
            .PUT(HttpRequest.BodyPublishers.ofString(
                "{\"deploy_stdout\": \"bonjour\\n\", \"deploy_stderr\": \"\", \"deploy_status_code\": 0,"
                    + " \"answer\": \"42\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(201);

    Await.until(() -> cli.json("stack", "show", "occ-temp").get("stack_status").asText().equals("CREATE_COMPLETE"),
        Duration.ofSeconds(60), "the signal to complete the stack");
    assertThat(cli.json("stack", "output", "show", "occ-temp", "answer").get("output_value").asText()).isEqualTo("42");
  }

  @Test
  void theCfnCollectorReadsTheDeploymentsThroughTheCfnApi() throws Exception {
    Path template = dir.resolve("occ-cfn.yaml");
    Files.writeString(
        template,
        """
        heat_template_version: 2018-08-31
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: script
              config: "#!/bin/sh\\necho cfn\\n"
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              metadata: {kiln_guest_agent: "off"}
              user_data_format: SOFTWARE_CONFIG
              software_config_transport: POLL_SERVER_CFN
          deployment:
            type: OS::Heat::SoftwareDeployment
            properties:
              name: 40_cfn
              config: {get_resource: config}
              server: {get_resource: server}
              signal_transport: NO_SIGNAL
        """);
    cli.ok("stack", "create", "-t", template.toString(), "--wait", "occ-cfn");
    JsonNode cfn = bootSection("occ-cfn").get("cfn");
    assertThat(cfn.get("metadata_url").asText()).endsWith("/heat-api-cfn/v1/");
    assertThat(cfn.get("path").asText()).isEqualTo("server.Metadata");

    Path cache = Files.createDirectories(dir.resolve("cache-cfn"));
    List<String> command = List.of(
        "/usr/bin/os-collect-config", "--one-time", "--print", "--cachedir", cache.toString(),
        "--cfn-metadata-url", cfn.get("metadata_url").asText(), "--cfn-stack-name", cfn.get("stack_name").asText(),
        "--cfn-path", cfn.get("path").asText(), "--cfn-access-key-id", cfn.get("access_key_id").asText(),
        "--cfn-secret-access-key", cfn.get("secret_access_key").asText(), "cfn");
    JsonNode printed = collect(command);
    assertThat(printed.toString()).contains("40_cfn").contains("echo cfn");

    // A wrong secret signs differently: the CFN API refuses it and the collector gets nothing.
    List<String> wrong = new ArrayList<>(command);
    wrong.set(wrong.indexOf(cfn.get("secret_access_key").asText()), "not-the-secret");
    Process run = new ProcessBuilder(wrong).redirectErrorStream(true).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).doesNotContain("40_cfn");
  }

  /** The os-collect-config section in the server's boot user data, or null before the server exists. */
  private static JsonNode bootSection(String stack) throws IOException {
    JsonNode resource = cli.json("stack", "resource", "show", stack, "server");
    String serverId = resource.path("physical_resource_id").asText("");
    if (serverId.isEmpty()) {
      return null;
    }
    JsonNode server = kiln.admin().withHeader("X-OpenStack-Nova-API-Version", "2.3")
        .get(Cloud.NOVA + "/servers/" + serverId).expect(200).get("server");
    String userData = new String(Base64.getDecoder().decode(server.get("OS-EXT-SRV-ATTR:user_data").asText()),
        StandardCharsets.UTF_8);
    String json = userData.substring(userData.indexOf("{\"deployments\""));
    return JSON.readTree(json.substring(0, json.indexOf('\n'))).get("os-collect-config");
  }

  private static JsonNode collect(List<String> command) throws Exception {
    Process run = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(out).isZero();
    return JSON.readTree(out);
  }

  interface Probe {
    JsonNode get() throws Exception;
  }

  /** Polls until the probe answers non-null (a minute at most). */
  private static JsonNode poll(Probe probe, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(500);
    }
  }

  @Test
  void theHeatCollectorReadsTheServersDeployments() throws Exception {
    Path template = dir.resolve("occ.yaml");
    Files.writeString(
        template,
        """
        heat_template_version: 2018-08-31
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: script
              inputs: [{name: greeting}]
              config: "#!/bin/sh\\necho $greeting\\n"
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
              name: 10_hello
              config: {get_resource: config}
              server: {get_resource: server}
              input_values: {greeting: hello}
              signal_transport: NO_SIGNAL
        """);
    cli.ok("stack", "create", "-t", template.toString(), "--wait", "occ-stack");
    String serverId = cli.json("stack", "resource", "show", "occ-stack", "server").get("physical_resource_id").asText();
    JsonNode server = kiln.admin().withHeader("X-OpenStack-Nova-API-Version", "2.3")
        .get(Cloud.NOVA + "/servers/" + serverId).expect(200).get("server");
    String userData = new String(Base64.getDecoder().decode(server.get("OS-EXT-SRV-ATTR:user_data").asText()),
        StandardCharsets.UTF_8);
    String json = userData.substring(userData.indexOf("{\"deployments\""));
    JsonNode heat = JSON.readTree(json.substring(0, json.indexOf('\n'))).get("os-collect-config").get("heat");

    Path cache = Files.createDirectories(dir.resolve("cache"));
    List<String> command = new ArrayList<>(List.of(
        "/usr/bin/os-collect-config", "--one-time", "--print", "--cachedir", cache.toString(),
        "--heat-user-id", heat.get("user_id").asText(), "--heat-password", heat.get("password").asText(),
        "--heat-auth-url", heat.get("auth_url").asText(), "--heat-project-id", heat.get("project_id").asText(),
        "--heat-stack-id", heat.get("stack_id").asText(), "--heat-resource-name", heat.get("resource_name").asText(),
        "heat"));
    Process run = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(out).isZero();
    JsonNode printed = JSON.readTree(out);
    // The collector splits the deployments list into one entry per deployment, by config name.
    assertThat(printed.toString()).contains("10_hello").contains("echo $greeting").contains("deploy_server_id")
        .contains(serverId);
    JsonNode collected = printed.get("heat");
    assertThat(collected.get("os-collect-config").get("heat").get("resource_name").asText()).isEqualTo("server");
  }
}
