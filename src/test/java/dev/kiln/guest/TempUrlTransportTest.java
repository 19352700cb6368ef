package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heat's temp-URL transports over Kiln's Object Storage: a POLL_TEMP_URL server's metadata is a
 * Swift object its agent reads through a GET temp URL (its os-collect-config section has no
 * credentials at all), and a TEMP_URL_SIGNAL deployment is signalled by the agent writing to a
 * PUT temp URL, which Kiln reads as the deployment's signal.
 */
class TempUrlTransportTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String TEMPLATE = """
      heat_template_version: 2018-08-31
      parameters:
        foo: {type: string, default: one}
      resources:
        config:
          type: OS::Heat::SoftwareConfig
          properties:
            group: script
            inputs: [{name: foo}]
            outputs: [{name: result}]
            config: |
              #!/bin/sh
              echo "configuring with $foo"
              echo -n "got $foo" > $heat_outputs_path.result
        server:
          type: OS::Nova::Server
          properties:
            image: cirros
            flavor: m1.tiny
            networks: [{network: private}]
            user_data_format: SOFTWARE_CONFIG
            software_config_transport: POLL_TEMP_URL
        deployment:
          type: OS::Heat::SoftwareDeployment
          properties:
            name: 20_temp
            config: {get_resource: config}
            server: {get_resource: server}
            input_values: {foo: {get_param: foo}}
            signal_transport: TEMP_URL_SIGNAL
      outputs:
        result: {value: {get_attr: [deployment, result]}}
        server: {value: {get_resource: server}}
      """;

  private static Tenant tenant;

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "tempurl", "tempurl-user");
    Cloud.network(tenant.api(), "private", "10.32.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static JsonNode stack(String name, String id) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id)).expect(200).get("stack");
  }

  private static JsonNode settled(String name, String id) {
    Await.until(() -> !stack(name, id).path("stack_status").asText().endsWith("_IN_PROGRESS"), Duration.ofSeconds(60),
        "stack " + name + " to settle");
    return stack(name, id);
  }

  private static String output(String name, String id, String output) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id + "/outputs/" + output)).expect(200)
        .at("/output/output_value").asText();
  }

  @Test
  void theAgentReadsItsMetadataFromTheObjectAndSignalsThroughTheTempUrl() {
    String id = tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"tu\", \"template\": " + GuestHttp.JSON.valueToTree(TEMPLATE) + "}")
        .expect(201).at("/stack/id").asText();

    assertThat(settled("tu", id).path("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(output("tu", id, "result")).isEqualTo("got one");

    // The server's section names only the request collector's temp URL: no credentials to poll Heat with.
    JsonNode section = tenant.api().get(heat("/stacks/tu/" + id + "/resources/server/metadata")).expect(200)
        .at("/metadata/os-collect-config");
    assertThat(section.has("heat")).isFalse();
    String metadataUrl = section.at("/request/metadata_url").asText();
    assertThat(metadataUrl).contains("/object-store/v1/AUTH_" + tenant.projectId() + "/").contains("temp_url_sig=");

    // The object itself, read with no token, holds the deployment.
    JsonNode object = new Api("").get(metadataUrl).expect(200);
    JsonNode deployment = object.at("/deployments/0");
    assertThat(deployment.path("name").asText()).isEqualTo("20_temp");
    String signalUrl = input(deployment, "deploy_signal_id");
    assertThat(input(deployment, "deploy_signal_transport")).isEqualTo("TEMP_URL_SIGNAL");
    assertThat(input(deployment, "deploy_signal_verb")).isEqualTo("PUT");
    assertThat(signalUrl).contains("/AUTH_" + tenant.projectId() + "/" + id + "/").contains("temp_url_sig=");

    // What the agent wrote to the signal object is the signal the deployment took.
    JsonNode signal = tenant.api().get(java.net.URI.create(signalUrl).getRawPath())
        .expect(200);
    assertThat(signal.path("deploy_stdout").asText()).isEqualTo("configuring with one\n");
    assertThat(signal.path("result").asText()).isEqualTo("got one");

    // An update rewrites the object; the agent runs the new config and signals again.
    tenant.api().patch(heat("/stacks/tu/" + id), "{\"parameters\": {\"foo\": \"two\"}}").expect(202);
    Await.until(() -> !stack("tu", id).path("stack_status").asText().equals("CREATE_COMPLETE"), "the update to start");
    assertThat(settled("tu", id).path("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(output("tu", id, "result")).isEqualTo("got two");
    JsonNode updated = new Api("").get(metadataUrl).expect(200).at("/deployments/0");
    assertThat(input(updated, "deploy_action")).isEqualTo("UPDATE");
    assertThat(input(updated, "foo")).isEqualTo("two");

    // Deleting the stack deletes both objects; the temp URLs answer 404 after.
    tenant.api().delete(heat("/stacks/tu/" + id)).expect(204);
    Await.until(() -> !stack("tu", id).path("stack_status").asText().endsWith("_IN_PROGRESS"), Duration.ofSeconds(30),
        "the stack to go");
    assertThat(stack("tu", id).path("stack_status").asText()).isEqualTo("DELETE_COMPLETE");
    assertThat(new Api("").get(metadataUrl).status()).isEqualTo(404);
  }

  private static String input(JsonNode config, String name) {
    for (JsonNode input : config.path("inputs")) {
      if (input.path("name").asText().equals(name)) {
        return input.path("value").asText();
      }
    }
    throw new AssertionError("no input " + name + " in " + config);
  }
}
