package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent against a small HTTP server standing in for a metadata URL and the signal URLs
 * (what Heat's POLL_TEMP_URL and CFN_SIGNAL / TEMP_URL_SIGNAL transports point a guest at).
 */
class GuestAgentTest {
  @TempDir Path dir;

  private HttpServer server;
  private volatile String metadata = "{}";
  private final List<String> signals = new CopyOnWriteArrayList<>();
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/meta", exchange -> {
      byte[] body = metadata.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/signal", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      signals.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private GuestAgent agent(ConfigHooks hooks) {
    GuestHttp http = GuestHttp.create();
    return new GuestAgent(
        "server-1", List.of(new RequestCollector(http, base + "/meta")), new Sandbox(dir.resolve("server-1")), hooks,
        new DeploymentSignals(http, Clock.systemUTC(), Duration.ofMillis(10)), Duration.ofMillis(50),
        Duration.ofSeconds(20));
  }

  private GuestAgent agent() {
    return agent(ConfigHooks.loaded());
  }

  private String item(String id, String group, String config, String action, String transport, String path) {
    return "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"group\": \"" + group + "\", \"config\": "
        + GuestHttp.JSON.valueToTree(config) + ", \"outputs\": [{\"name\": \"result\"}], \"inputs\": ["
        + "{\"name\": \"who\", \"value\": \"kiln\", \"type\": \"String\"},"
        + "{\"name\": \"deploy_action\", \"value\": \"" + action + "\"},"
        + "{\"name\": \"deploy_signal_transport\", \"value\": \"" + transport + "\"},"
        + "{\"name\": \"deploy_signal_id\", \"value\": \"" + base + "/signal/" + path + "\"},"
        + "{\"name\": \"deploy_signal_verb\", \"value\": \"" + (transport.equals("TEMP_URL_SIGNAL") ? "PUT" : "POST") + "\"}]}";
  }

  private static final String HELLO = "#!/bin/sh\necho hello $who\nprintf 'done by %s' $who > $heat_outputs_path.result\n";

  private void deployments(String... items) {
    metadata = "{\"os-collect-config\": {}, \"deployments\": [" + String.join(", ", items) + "]}";
  }

  @Test
  void eachNewDeploymentRunsOnceAndSignalsItsOutcome() throws Exception {
    deployments(item("a", "script", HELLO, "CREATE", "CFN_SIGNAL", "a"), item("b", "script", "#!/bin/sh\nexit 2\n", "CREATE",
        "TEMP_URL_SIGNAL", "b"));
    GuestAgent agent = agent();

    assertThat(agent.poll()).isEqualTo(2);

    assertThat(signals).containsExactly(
        "POST /signal/a application/json {\"result\":\"done by kiln\",\"deploy_stdout\":\"hello kiln\\n\","
            + "\"deploy_stderr\":\"\",\"deploy_status_code\":0}",
        "PUT /signal/b application/json {\"deploy_stdout\":\"\",\"deploy_stderr\":\"\",\"deploy_status_code\":2}");
    assertThat(agent.poll()).as("the metadata did not change").isZero();

    deployments(item("a", "script", HELLO, "CREATE", "CFN_SIGNAL", "a"), item("b", "script", "#!/bin/sh\nexit 2\n", "CREATE",
        "TEMP_URL_SIGNAL", "b"), item("c", "script", HELLO, "CREATE", "CFN_SIGNAL", "c"));
    assertThat(agent.poll()).as("only the new deployment runs").isEqualTo(1);
    assertThat(signals).hasSize(3).last().asString().startsWith("POST /signal/c ");
  }

  @Test
  void deployedMarkersOnDiskKeepARestartedAgentFromRunningAgain() throws Exception {
    deployments(item("a", "script", HELLO, "CREATE", "CFN_SIGNAL", "a"));
    assertThat(agent().poll()).isEqualTo(1);

    GuestAgent restarted = agent();
    assertThat(restarted.poll()).as("cached metadata, unchanged").isZero();
    deployments(item("a", "script", HELLO, "CREATE", "CFN_SIGNAL", "a"), item("a", "script", HELLO, "CREATE", "CFN_SIGNAL", "x"));
    assertThat(agent().poll()).as("changed metadata, but 'a' was deployed for CREATE").isZero();

    deployments(item("a", "script", HELLO, "UPDATE", "CFN_SIGNAL", "a-update"));
    assertThat(agent().poll()).as("the same deployment for another action runs").isEqualTo(1);
    assertThat(signals).hasSize(2).last().asString().startsWith("POST /signal/a-update ");
    assertThat(dir.resolve("server-1/deployed/a.CREATE.json")).exists();
    assertThat(dir.resolve("server-1/deployed/a.UPDATE.notify.json")).content().contains("\"deploy_status_code\" : 0");
  }

  @Test
  void aGroupWithoutAHookFailsWithItsReason() throws Exception {
    deployments(item("p", "puppet", "class {}", "CREATE", "CFN_SIGNAL", "p"));

    assertThat(agent().poll()).isEqualTo(1);

    JsonNode signal = GuestHttp.JSON.readTree(signals.getFirst().substring(signals.getFirst().indexOf('{')));
    assertThat(signal.path("deploy_status_code").asInt()).isEqualTo(GuestAgent.NO_HOOK);
    assertThat(signal.path("deploy_stderr").asText())
        .isEqualTo("Kiln's agent has no hook for the config group 'puppet' (hooks: script); deployment p was not run.");
  }

  @Test
  void ungroupedConfigsAreLeftToOsApplyConfigAndNoSignalMeansNone() throws Exception {
    deployments(item("u", "Heat::Ungrouped", "{}", "CREATE", "CFN_SIGNAL", "u"),
        item("q", "script", HELLO, "CREATE", "NO_SIGNAL", "q"));

    assertThat(agent().poll()).as("only the script runs").isEqualTo(1);

    assertThat(signals).isEmpty();
    assertThat(dir.resolve("server-1/deployed/u.CREATE.json")).doesNotExist();
    assertThat(dir.resolve("server-1/deployed/q.CREATE.notify.json")).exists();
  }

  @Test
  void aComponentRunsTheConfigForItsAction() throws Exception {
    String component = "{\"id\": \"k\", \"name\": \"k\", \"group\": \"component\", \"config\": {\"configs\": ["
        + "{\"actions\": [\"CREATE\"], \"tool\": \"script\", \"config\": \"#!/bin/sh\\necho created\\n\"},"
        + "{\"actions\": [\"DELETE\"], \"tool\": \"script\", \"config\": \"#!/bin/sh\\necho deleted\\n\"}]},"
        + " \"inputs\": [{\"name\": \"deploy_action\", \"value\": \"DELETE\"},"
        + " {\"name\": \"deploy_signal_id\", \"value\": \"" + base + "/signal/k\"}]}";
    deployments(component);

    assertThat(agent().poll()).isEqualTo(1);

    assertThat(signals).singleElement().asString()
        .isEqualTo("POST /signal/k application/json {\"deploy_stdout\":\"deleted\\n\",\"deploy_stderr\":\"\",\"deploy_status_code\":0}");
  }

  @Test
  void aHookAddedInCodeRunsItsGroup() throws Exception {
    ConfigHook upper = new ConfigHook() {
      @Override
      public String group() {
        return "upper";
      }

      @Override
      public HookResult run(Deployment deployment, HookContext context) {
        String text = deployment.config().asText().toUpperCase(java.util.Locale.ROOT);
        return new HookResult(Map.of("result", TextNode.valueOf(text)), text, "", 0);
      }
    };
    deployments(item("h", "upper", "shout", "CREATE", "CFN_SIGNAL", "h"));

    assertThat(agent(ConfigHooks.loaded().with(upper)).poll()).isEqualTo(1);

    assertThat(signals).singleElement().asString().contains("\"result\":\"SHOUT\"", "\"deploy_status_code\":0");
    assertThat(ConfigHooks.loaded().with(upper).groups()).containsExactly("script", "upper");
  }

  @Test
  void anAgentOnItsThreadPollsUntilStopped() throws Exception {
    GuestAgent agent = agent();
    Thread thread = Thread.ofVirtual().start(agent);
    deployments(item("t", "script", HELLO, "CREATE", "CFN_SIGNAL", "t"));

    dev.kiln.testing.Await.until(() -> signals.size() == 1, "the agent to run the deployment");
    agent.stop();
    thread.interrupt();

    assertThat(thread.join(Duration.ofSeconds(5))).isTrue();
  }
}
