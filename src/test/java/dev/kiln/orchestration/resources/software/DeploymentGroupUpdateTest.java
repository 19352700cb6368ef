package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OS::Heat::SoftwareDeploymentGroup updated in place, as Heat's group (a ResourceGroup) is: the
 * child stack stays, a server added to {@code servers} gets a deployment, one taken out loses its
 * own, and new input values update the members that stay (the same deployments, now UPDATE).
 */
class DeploymentGroupUpdateTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      parameters:
        greeting: {type: string}
        members: {type: string, default: a}
      conditions:
        with_b: {equals: [{get_param: members}, "a,b"]}
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            group: script
            inputs: [{name: greeting}]
            config: "#!/bin/sh\\necho $greeting\\n"
        one:
          type: OS::Nova::Server
          properties: {image: cirros, flavor: m1.tiny, networks: [{network: private}]}
        two:
          type: OS::Nova::Server
          properties: {image: cirros, flavor: m1.tiny, networks: [{network: private}]}
        group:
          type: OS::Heat::SoftwareDeploymentGroup
          properties:
            config: {get_resource: config}
            servers:
              if: [with_b, {a: {get_resource: one}, b: {get_resource: two}}, {a: {get_resource: one}}]
            input_values: {greeting: {get_param: greeting}}
            signal_transport: NO_SIGNAL
      """;

  private static Tenant tenant;

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "dgu", "dgu-user");
    Cloud.network(tenant.api(), "private", "10.36.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static JsonNode stack(String id) {
    return tenant.api().get(heat("/stacks/dgu/" + id)).expect(200).get("stack");
  }

  private static String physicalId(String stackId, String resource) {
    return tenant.api().get(heat("/stacks/dgu/" + stackId + "/resources/" + resource)).expect(200)
        .at("/resource/physical_resource_id").asText();
  }

  /** The group's member deployments (physical ids), by member name, as the stack's nested listing shows them. */
  private static JsonNode members(String stackId) {
    JsonNode resources =
        tenant.api().get(heat("/stacks/dgu/" + stackId + "/resources?nested_depth=1")).expect(200).get("resources");
    ObjectNode out = JSON.createObjectNode();
    resources.forEach(r -> {
      if (r.path("parent_resource").asText("").equals("group")) {
        out.put(r.get("resource_name").asText(), r.get("physical_resource_id").asText());
      }
    });
    return out;
  }

  private static void update(String id, String greeting, String members) throws InterruptedException {
    Thread.sleep(1100); // updated_time has whole seconds
    String before = stack(id).path("updated_time").asText("");
    tenant.api().patch(heat("/stacks/dgu/" + id),
        "{\"parameters\": {\"greeting\": \"" + greeting + "\", \"members\": \"" + members + "\"}}").expect(202);
    Await.until(() -> {
      JsonNode s = stack(id);
      return !s.path("updated_time").asText("").equals(before) && !s.path("stack_status").asText().endsWith("_IN_PROGRESS");
    }, Duration.ofSeconds(90), "the update to end");
    assertThat(stack(id).get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
  }

  @Test
  void aGroupUpdateAddsAndRemovesMembersAndUpdatesTheOthersInPlace() throws Exception {
    String id = tenant.api().post(heat("/stacks"), "{\"stack_name\": \"dgu\", \"template\": "
            + JSON.writeValueAsString(TEMPLATE) + ", \"parameters\": {\"greeting\": \"hello\", \"members\": \"a\"}}")
        .expect(201).at("/stack/id").asText();
    Await.until(() -> !stack(id).get("stack_status").asText().endsWith("_IN_PROGRESS"), Duration.ofSeconds(90), "create");
    assertThat(stack(id).get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    String child = physicalId(id, "group");
    String a = members(id).get("a").asText();
    assertThat(members(id).has("b")).isFalse();

    update(id, "hi", "a,b");

    assertThat(physicalId(id, "group")).isEqualTo(child);
    JsonNode grown = members(id);
    assertThat(grown.get("a").asText()).isEqualTo(a);
    assertThat(grown.has("b")).isTrue();
    JsonNode deployment = tenant.api().get(heat("/software_deployments/" + a)).expect(200).get("software_deployment");
    assertThat(deployment.at("/input_values/greeting").asText()).isEqualTo("hi");
    assertThat(deployment.get("action").asText()).isEqualTo("UPDATE");
    String b = grown.get("b").asText();

    update(id, "hi", "a");

    assertThat(physicalId(id, "group")).isEqualTo(child);
    assertThat(members(id).has("b")).isFalse();
    assertThat(members(id).get("a").asText()).isEqualTo(a);
    tenant.api().get(heat("/software_deployments/" + b)).expect(404);
  }
}
