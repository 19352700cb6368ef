package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Validate, preview and stack tags against the real engine, in the shapes heat-tempest-plugin
 * checks.
 */
class TemplateValidateTest {
  private static final String VALUE =
      "heat_template_version: 2018-08-31\nresources:\n  v: {type: OS::Heat::Value, properties: {value: x}}\n";
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final JsonMapper J = new JsonMapper();
  private static final String NESTED =
      """
      heat_template_version: 2014-10-16
      description: the nested one
      parameters:
        aparam: {type: number, default: 10}
      resources:
        myres:
          type: OS::Heat::RandomString
          properties: {length: {get_param: aparam}}
      """;
  private static final String PARENT =
      """
      heat_template_version: 2014-10-16
      description: the parent template
      resources:
        nres:
          type: mynested.yaml
      """;
  private static Tenant member;

  @BeforeAll
  static void tenant() {
    member = Tenant.create(kiln, kiln.admin(), "validate", "validate-user");
  }

  @Test
  void aTemplateFileTypeIsShownInTheRegistryMappedToItself() {
    ObjectNode body = J.createObjectNode().put("template", PARENT);
    body.putObject("files").put("mynested.yaml", NESTED);
    JsonNode answer = member.api().post("/heat-api/v1/" + member.projectId() + "/validate", body.toString()).expect(200);
    assertThat(answer.at("/Description").asText()).isEqualTo("the parent template");
    assertThat(answer.at("/Environment/resource_registry/mynested.yaml").asText()).isEqualTo("mynested.yaml");
    assertThat(answer.at("/Environment/resource_registry/resources").isObject()).isTrue();
  }

  @Test
  void aPreviewShowsTheStackUnstored() {
    ObjectNode body = J.createObjectNode().put("stack_name", "unstored").put("template", NESTED);
    JsonNode stack = member.api().post("/heat-api/v1/" + member.projectId() + "/stacks/preview", body.toString())
        .expect(200).get("stack");
    assertThat(stack.get("id").asText()).isEqualTo("None");
    assertThat(stack.at("/parameters/OS::stack_id").asText()).isEqualTo("None");
    JsonNode resource = stack.at("/resources/0");
    assertThat(resource.at("/resource_identity/stack_id").asText()).isEqualTo("None");
    assertThat(resource.get("creation_time").isNull()).isTrue();
    assertThat(resource.get("resource_action").asText()).isEqualTo("INIT");
    assertThat(member.api().get("/heat-api/v1/" + member.projectId() + "/stacks?name=unstored").expect(200).get("stacks"))
        .isEmpty();
  }

  @Test
  void aFullUpdateWithoutTagsClearsThemAndAPatchKeepsThem() {
    String stacks = "/heat-api/v1/" + member.projectId() + "/stacks";
    ObjectNode create = J.createObjectNode().put("stack_name", "tagged").put("template", VALUE).put("tags", "foo,bar");
    String id = member.api().post(stacks, create.toString()).expect(201).at("/stack/id").asText();
    String stack = stacks + "/tagged/" + id;
    awaitStatus(stack, "CREATE_COMPLETE");
    assertThat(member.api().get(stack).expect(200).at("/stack/tags").toString()).isEqualTo("[\"foo\",\"bar\"]");

    member.api().patch(stack, "{\"parameters\": {}}").expect(202);
    awaitStatus(stack, "UPDATE_COMPLETE");
    assertThat(member.api().get(stack).expect(200).at("/stack/tags").toString()).isEqualTo("[\"foo\",\"bar\"]");

    member.api().put(stack, J.createObjectNode().put("template", VALUE).toString()).expect(202);
    // Within the same second as the PATCH, updated_time cannot tell the two updates apart: wait for
    // the outcome itself (a stack that kept its tags never gets there).
    dev.kiln.testing.Await.until(
        () -> {
          JsonNode shown = member.api().get(stack).json().get("stack");
          return shown.get("stack_status").asText().equals("UPDATE_COMPLETE") && shown.get("tags").isNull();
        },
        java.time.Duration.ofSeconds(30), "the full update clearing the tags");
  }

  private static void awaitStatus(String stack, String status) {
    dev.kiln.testing.Await.until(
        () -> status.equals(member.api().get(stack).json().at("/stack/stack_status").asText()),
        java.time.Duration.ofSeconds(30), stack + " " + status);
  }
}
