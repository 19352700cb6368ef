package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.guest.GuestAgents;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code kiln.guest.mode=process} each server's agent is a process of its own, which talks to
 * Kiln only over HTTP: it runs the server's script deployment (the stack completes with the
 * script's output) and goes when its server does.
 */
class AgentProcessModeTest {
  static {
    System.setProperty("kiln.guest.mode", "process"); // read when the extension starts Kiln
  }

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            group: script
            outputs: [{name: where}]
            config: "#!/bin/sh\\necho -n \\"pid $PPID\\" > $heat_outputs_path.where\\n"
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{network: private}]
            user_data_format: SOFTWARE_CONFIG
        deployment:
          type: OS::Heat::SoftwareDeployment
          properties: {config: {get_resource: config}, server: {get_resource: server}}
      outputs:
        where: {value: {get_attr: [deployment, where]}}
      """;

  private static Tenant tenant;

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "agent-proc", "agent-proc-user");
    Cloud.network(tenant.api(), "private", "10.52.0.0/24");
  }

  @AfterAll
  static void back() {
    System.clearProperty("kiln.guest.mode");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static List<ProcessHandle> agentProcesses() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("-Dkiln.guest.server="))
        .toList();
  }

  @Test
  void eachServersAgentIsAProcessThatRunsItsDeploymentAndGoesWithTheServer() throws Exception {
    assertThat(GuestAgents.Mode.configured()).isEqualTo(GuestAgents.Mode.PROCESS);
    String id = tenant.api().post(heat("/stacks"), "{\"stack_name\": \"proc\", \"template\": "
            + JSON.writeValueAsString(TEMPLATE) + "}").expect(201).at("/stack/id").asText();
    Await.until(
        () -> !tenant.api().get(heat("/stacks/proc/" + id)).expect(200).at("/stack/stack_status").asText().endsWith("_IN_PROGRESS"),
        Duration.ofSeconds(120), "the stack to settle");
    JsonNode stack = tenant.api().get(heat("/stacks/proc/" + id)).expect(200).get("stack");
    assertThat(stack.get("stack_status").asText()).as(stack.path("stack_status_reason").asText()).isEqualTo("CREATE_COMPLETE");
    List<ProcessHandle> agents = agentProcesses();
    assertThat(agents)
        .as("descendants: %s", ProcessHandle.current().descendants().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList())
        .hasSize(1);
    // The script's parent is the agent's JVM, not Kiln's.
    String where = tenant.api().get(heat("/stacks/proc/" + id + "/outputs/where")).expect(200).at("/output/output_value").asText();
    assertThat(where).isNotEqualTo("pid " + ProcessHandle.current().pid());

    tenant.api().delete(heat("/stacks/proc/" + id)).expect(204);
    Await.until(() -> agentProcesses().isEmpty(), Duration.ofSeconds(60), "the agent process to end with its server");
  }
}
