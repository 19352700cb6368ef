package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A config input declared {@code replace_on_change: true}: a stack update that changes its value
 * replaces the deployment (a new one, the old one gone), while a change of any other input updates
 * the same deployment in place.
 */
class ReplaceOnChangeTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      parameters:
        foo: {type: string}
        bar: {type: string}
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            group: script
            inputs: [{name: foo, replace_on_change: true}, {name: bar}]
            config: "#!/bin/sh\\necho $foo $bar\\n"
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{network: private}]
        deployment:
          type: OS::Heat::SoftwareDeployment
          properties:
            config: {get_resource: config}
            server: {get_resource: server}
            input_values: {foo: {get_param: foo}, bar: {get_param: bar}}
            signal_transport: NO_SIGNAL
      """;

  private static Tenant tenant;

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "roc", "roc-user");
    Cloud.network(tenant.api(), "private", "10.34.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static String status(String id) {
    return tenant.api().get(heat("/stacks/roc/" + id)).expect(200).at("/stack/stack_status").asText();
  }

  private static String deploymentId(String id) {
    return tenant.api().get(heat("/stacks/roc/" + id + "/resources/deployment")).expect(200)
        .at("/resource/physical_resource_id").asText();
  }

  private static JsonNode stack(String id) {
    return tenant.api().get(heat("/stacks/roc/" + id)).expect(200).get("stack");
  }

  /** Updates the parameters and waits for that update (a new updated_time) to end. */
  private static void update(String id, String foo, String bar) throws InterruptedException {
    // updated_time has whole seconds: a second later, this update's time cannot be the last one's.
    Thread.sleep(1100);
    String before = stack(id).path("updated_time").asText("");
    tenant.api().patch(heat("/stacks/roc/" + id),
        "{\"parameters\": {\"foo\": \"" + foo + "\", \"bar\": \"" + bar + "\"}}").expect(202);
    Await.until(() -> {
      JsonNode s = stack(id);
      return !s.path("updated_time").asText("").equals(before) && !s.path("stack_status").asText().endsWith("_IN_PROGRESS");
    }, Duration.ofSeconds(60), "the update to end");
    assertThat(status(id)).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void changingAReplaceOnChangeInputReplacesTheDeploymentAndAnotherInputUpdatesIt() throws Exception {
    String id = tenant.api().post(heat("/stacks"), "{\"stack_name\": \"roc\", \"template\": "
            + JSON.writeValueAsString(TEMPLATE) + ", \"parameters\": {\"foo\": \"a\", \"bar\": \"x\"}}")
        .expect(201).at("/stack/id").asText();
    Await.until(() -> !status(id).endsWith("_IN_PROGRESS"), Duration.ofSeconds(60), "the stack to settle");
    assertThat(status(id)).isEqualTo("CREATE_COMPLETE");
    String first = deploymentId(id);

    update(id, "a", "y");
    assertThat(deploymentId(id)).isEqualTo(first);

    update(id, "b", "y");
    String second = deploymentId(id);
    assertThat(second).isNotEqualTo(first);
    tenant.api().get(heat("/software_deployments/" + first)).expect(404);
    JsonNode now = tenant.api().get(heat("/software_deployments/" + second)).expect(200).get("software_deployment");
    assertThat(now.at("/input_values/foo").asText()).isEqualTo("b");
    assertThat(now.get("action").asText()).isEqualTo("CREATE");
  }
}
