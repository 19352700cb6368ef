package dev.kiln.orchestration.resources.software;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.orchestration.software.StackUsers;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A SOFTWARE_CONFIG server inside a nested stack gets its stack user in that stack's user project;
 * deleting the top-level stack deletes that project too, so nothing of the stack stays in Identity.
 */
class NestedStackUsersTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String INNER = """
      heat_template_version: 2018-08-31
      resources:
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{network: private}]
            user_data_format: SOFTWARE_CONFIG
            metadata: {kiln_guest_agent: "off"}
      """;

  private static Tenant tenant;

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "nested-users", "nested-users-user");
    Cloud.network(tenant.api(), "private", "10.53.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  @Test
  void deletingTheTopStackDeletesTheNestedStacksUserProjects() throws Exception {
    String outer = "heat_template_version: 2018-08-31\nresources:\n  inner:\n    type: OS::Heat::Stack\n"
        + "    properties:\n      template: " + JSON.writeValueAsString(INNER) + "\n";
    String id = tenant.api().post(heat("/stacks"), "{\"stack_name\": \"nested-users\", \"template\": "
            + JSON.writeValueAsString(outer) + "}").expect(201).at("/stack/id").asText();
    Await.until(
        () -> !tenant.api().get(heat("/stacks/nested-users/" + id)).expect(200).at("/stack/stack_status").asText().endsWith("_IN_PROGRESS"),
        Duration.ofSeconds(90), "the stack to settle");
    JsonNode stack = tenant.api().get(heat("/stacks/nested-users/" + id)).expect(200).get("stack");
    assertThat(stack.get("stack_status").asText()).as(stack.path("stack_status_reason").asText()).isEqualTo("CREATE_COMPLETE");
    String child = tenant.api().get(heat("/stacks/nested-users/" + id + "/resources/inner")).expect(200)
        .at("/resource/physical_resource_id").asText();
    String childProject = "/identity/v3/projects/" + StackUsers.projectIdOf(child);
    kiln.admin().get(childProject).expect(200);

    tenant.api().delete(heat("/stacks/nested-users/" + id)).expect(204);

    Await.until(() -> kiln.admin().get(childProject).status() == 404, Duration.ofSeconds(60), "the nested stack's user project to go");
  }
}
