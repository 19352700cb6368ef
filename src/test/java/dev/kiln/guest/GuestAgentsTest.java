package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers of a real Kiln run their agents: the heat collector reads a stack resource's metadata
 * through Keystone and the orchestration API, the script runs, and its Heat signal completes a
 * wait condition of the stack.
 */
class GuestAgentsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static Tenant tenant;
  private static String image;
  private static String network;

  /** A stack whose resource {@code box} carries, as Heat would write it, a script deployment signalling {@code handle}. */
  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      parameters:
        auth_url: {type: string}
        user_id: {type: string}
        password: {type: string, hidden: true}
        project_id: {type: string}
      resources:
        handle:
          type: OS::Heat::WaitConditionHandle
        wait:
          type: OS::Heat::WaitCondition
          properties: {handle: {get_resource: handle}, timeout: 60}
        box:
          type: OS::Heat::None
          metadata:
            deployments:
            - id: dep-1
              name: hello
              group: script
              config: |
                #!/bin/bash
                echo "hello $greeting"
                echo -n "made by $greeting" > $heat_outputs_path.data
              outputs: [{name: data}]
              inputs:
              - {name: greeting, value: kiln, type: String}
              - {name: deploy_action, value: CREATE}
              - {name: deploy_signal_transport, value: HEAT_SIGNAL}
              - {name: deploy_auth_url, value: {get_param: auth_url}}
              - {name: deploy_user_id, value: {get_param: user_id}}
              - {name: deploy_password, value: {get_param: password}}
              - {name: deploy_project_id, value: {get_param: project_id}}
              - {name: deploy_stack_id, value: {list_join: ['/', [{get_param: 'OS::stack_name'}, {get_param: 'OS::stack_id'}]]}}
              - {name: deploy_resource_name, value: handle}
      outputs:
        data:
          value: {get_attr: [wait, data]}
      """;

  @BeforeAll
  static void cloud() {
    tenant = Tenant.create(kiln, kiln.admin(), "guests", "guest-user");
    image = Cloud.cirros(tenant.api());
    network = Cloud.network(tenant.api(), "guest-net", "10.9.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  /** user_data as Heat's SOFTWARE_CONFIG format builds it: the server's metadata in the cfn-init-data part. */
  private static String softwareConfigUserData(String stackPath, String resource) {
    String metadata = "{\"os-collect-config\": {\"heat\": {\"auth_url\": \"" + kiln.authUrl() + "\", \"user_id\": \""
        + tenant.userId() + "\", \"password\": \"" + Tenant.PASSWORD + "\", \"project_id\": \"" + tenant.projectId()
        + "\", \"stack_id\": \"" + stackPath + "\", \"resource_name\": \"" + resource + "\"},"
        + " \"collectors\": [\"ec2\", \"heat\", \"local\"], \"polling_interval\": 0.2}, \"deployments\": []}";
    String mime = String.join("\n",
        "Content-Type: multipart/mixed; boundary=\"===============1==\"",
        "MIME-Version: 1.0",
        "",
        "--===============1==",
        "Content-Type: text/x-cfninitdata; charset=\"utf-8\"",
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"cfn-init-data\"",
        "",
        Base64.getMimeEncoder().encodeToString(metadata.getBytes(StandardCharsets.UTF_8)),
        "--===============1==--",
        "");
    return Base64.getEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8));
  }

  static String bootWithUserData(Api api, String image, String network, String name, String userData) {
    return api.post(Cloud.NOVA + "/servers",
            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + image
                + "\", \"networks\": [{\"uuid\": \"" + network + "\"}], \"user_data\": \"" + userData + "\"}}")
        .expect(202).at("/server/id").asText();
  }

  private static JsonNode stack(String name, String id) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id)).expect(200).get("stack");
  }

  @Test
  void aServersAgentRunsTheDeploymentInItsResourceMetadataAndSignalsTheStack() throws Exception {
    String parameters = "{\"auth_url\": \"" + kiln.authUrl() + "\", \"user_id\": \"" + tenant.userId()
        + "\", \"password\": \"" + Tenant.PASSWORD + "\", \"project_id\": \"" + tenant.projectId() + "\"}";
    String stackId = tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"agents\", \"template\": " + GuestHttp.JSON.valueToTree(TEMPLATE) + ", \"parameters\": "
                + parameters + "}")
        .expect(201).at("/stack/id").asText();

    String server = Cloud.awaitActive(tenant.api(),
        bootWithUserData(tenant.api(), image, network, "configured", softwareConfigUserData("agents/" + stackId, "box")));

    Await.until(() -> !stack("agents", stackId).path("stack_status").asText().equals("CREATE_IN_PROGRESS"),
        Duration.ofSeconds(30), "the wait condition to be signalled by the server's agent");
    assertThat(stack("agents", stackId).path("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    JsonNode data = tenant.api().get(heat("/stacks/agents/" + stackId + "/outputs/data")).expect(200);
    // Heat gives a wait condition's data as JSON text.
    assertThat(data.at("/output/output_value").asText()).isEqualTo("{\"1\":\"made by kiln\"}");
    Path sandbox = kiln.config().dataDir().resolve("guests").resolve(server);
    assertThat(sandbox.resolve("deployed/dep-1.CREATE.notify.json")).content()
        .contains("\"deploy_stdout\" : \"hello kiln\\n\"", "\"deploy_status_code\" : 0");

    Cloud.deleteServer(tenant.api(), server);
    Cloud.awaitGone(tenant.api(), server);
    Await.until(() -> !sandbox.toFile().exists(), "the deleted server's sandbox to go");
  }

  @Test
  void agentsOfActiveServersResumeAfterARestartWithoutRunningAgainWhatRan() throws Exception {
    java.util.List<String> signals = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<String> metadata = new java.util.concurrent.atomic.AtomicReference<>("{}");
    com.sun.net.httpserver.HttpServer site =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    site.createContext("/meta", exchange -> {
      byte[] body = metadata.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    site.createContext("/signal", exchange -> {
      signals.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    site.start();
    String base = "http://127.0.0.1:" + site.getAddress().getPort();
    java.util.function.Function<String, String> item = id -> "{\"id\": \"" + id + "\", \"group\": \"script\","
        + " \"config\": \"#!/bin/sh\\necho ran " + id + "\\n\", \"inputs\": [{\"name\": \"deploy_signal_transport\","
        + " \"value\": \"CFN_SIGNAL\"}, {\"name\": \"deploy_signal_id\", \"value\": \"" + base + "/signal/" + id + "\"}]}";
    String userData = Base64.getEncoder().encodeToString(
        ("{\"os-collect-config\": {\"request\": {\"metadata_url\": \"" + base + "/meta\"}, \"polling_interval\": 0.2}}")
            .getBytes(StandardCharsets.UTF_8));
    Path dataDir = java.nio.file.Files.createTempDirectory("kiln-guest-restart-");
    try {
      String server;
      try (dev.kiln.testing.RunningKiln first = dev.kiln.testing.RunningKiln.start(dataDir)) {
        Tenant owner = Tenant.create(first, first.admin(), "restarts", "restarter");
        server = Cloud.awaitActive(owner.api(), bootWithUserData(
            owner.api(), Cloud.cirros(owner.api()), Cloud.network(owner.api(), "n", "10.8.0.0/24"), "keeps", userData));
        metadata.set("{\"deployments\": [" + item.apply("a") + "]}");
        Await.until(() -> signals.size() == 1, "the first deployment to signal");
      }
      metadata.set("{\"deployments\": [" + item.apply("a") + ", " + item.apply("b") + "]}");

      try (dev.kiln.testing.RunningKiln second = dev.kiln.testing.RunningKiln.start(dataDir)) {
        Await.until(() -> signals.size() == 2, "the resumed agent to run the new deployment");
        Thread.sleep(600); // three more polls: "a" must not run again
        assertThat(signals).containsExactly(
            "/signal/a {\"deploy_stdout\":\"ran a\\n\",\"deploy_stderr\":\"\",\"deploy_status_code\":0}",
            "/signal/b {\"deploy_stdout\":\"ran b\\n\",\"deploy_stderr\":\"\",\"deploy_status_code\":0}");
        assertThat(dataDir.resolve("guests").resolve(server).resolve("deployed/b.CREATE.json")).exists();
      }
    } finally {
      site.stop(0);
      try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dataDir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theHeatCollectorLogsInAgainAfterItsTokenIsRevoked() throws Exception {
    String stackId = tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"meta\", \"template\": {\"heat_template_version\": \"2018-08-31\", \"resources\":"
                + " {\"r\": {\"type\": \"OS::Heat::None\", \"metadata\": {\"answer\": 42}}}}}")
        .expect(201).at("/stack/id").asText();
    Await.until(() -> stack("meta", stackId).path("stack_status").asText().equals("CREATE_COMPLETE"), "the stack");
    GuestHttp http = GuestHttp.create();
    KeystoneSession keystone = new KeystoneSession(
        http, java.time.Clock.systemUTC(), kiln.baseUrl() + "/identity", tenant.userId(), Tenant.PASSWORD, tenant.projectId(), null);
    HeatCollector collector = new HeatCollector(http, keystone,
        new GuestBootstrap.Heat(kiln.authUrl(), tenant.userId(), Tenant.PASSWORD, tenant.projectId(), "meta/" + stackId, "r", null));

    assertThat(collector.collect().toString()).isEqualTo("{\"answer\":42}");
    tenant.api().withHeader("X-Subject-Token", keystone.token()).delete("/identity/v3/auth/tokens").expect(204);

    org.assertj.core.api.Assertions.assertThatThrownBy(collector::collect)
        .isInstanceOf(GuestException.class)
        .hasMessage("metadata of r not available (401)");
    assertThat(collector.collect().toString()).as("a new login").isEqualTo("{\"answer\":42}");
    http.close();
  }
}
