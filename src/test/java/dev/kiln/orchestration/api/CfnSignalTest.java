package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CFN_SIGNAL: a deployment's {@code deploy_signal_id} is a URL of Kiln's CFN API pre-signed with
 * the stack user's EC2 key; a POST of the signal JSON to it, with no token, signals the deployment,
 * and a URL whose signature does not match is refused.
 */
class CfnSignalTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Tenant tenant;

  private static String template(boolean agent) {
    return """
        heat_template_version: 2018-08-31
        resources:
          config:
            type: OS::Heat::SoftwareConfig
            properties:
              group: script
              outputs: [{name: answer}]
              config: |
                #!/bin/sh
                echo -n 42 > $heat_outputs_path.answer
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              metadata: {kiln_guest_agent: "%s"}
              user_data_format: SOFTWARE_CONFIG
          deployment:
            type: OS::Heat::SoftwareDeployment
            properties:
              config: {get_resource: config}
              server: {get_resource: server}
              signal_transport: CFN_SIGNAL
        outputs:
          answer: {value: {get_attr: [deployment, answer]}}
        """.formatted(agent ? "on" : "off");
  }

  @BeforeAll
  static void project() {
    tenant = Tenant.create(kiln, kiln.admin(), "cfn", "cfn-user");
    Cloud.network(tenant.api(), "private", "10.33.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static String create(String name, String template) throws Exception {
    return tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"" + name + "\", \"template\": " + JSON.writeValueAsString(template) + "}")
        .expect(201).at("/stack/id").asText();
  }

  private static String status(String name, String id) {
    return tenant.api().get(heat("/stacks/" + name + "/" + id)).expect(200).at("/stack/stack_status").asText();
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPostToThePresignedUrlSignalsTheDeploymentAndATamperedOneIsRefused() throws Exception {
    String id = create("cfn-guest", template(false));
    String[] url = new String[1];
    Await.until(() -> {
      JsonNode metadata = tenant.api().get(heat("/stacks/cfn-guest/" + id + "/resources/server/metadata")).json();
      for (JsonNode input : metadata.at("/metadata/deployments/0/inputs")) {
        if (input.path("name").asText().equals("deploy_signal_id")) {
          url[0] = input.path("value").asText();
        }
      }
      return url[0] != null;
    }, Duration.ofSeconds(60), "the deployment to reach the server's metadata");
    String signalUrl = url[0];
    assertThat(signalUrl).contains("/heat-api-cfn/v1/signal/arn%3Aopenstack%3Aheat%3A%3A" + tenant.projectId())
        .contains("/resources/deployment?").contains("SignatureVersion=2").contains("Signature=");

    String signal = "{\"deploy_stdout\": \"ok\", \"deploy_stderr\": \"\", \"deploy_status_code\": 0, \"answer\": \"42\"}";
    String tampered = signalUrl.replaceFirst("Signature=[^&]*", "Signature=AAAA");
    assertThat(post(tampered, signal).statusCode()).isEqualTo(403);
    String unsigned = signalUrl.substring(0, signalUrl.indexOf('?'));
    assertThat(post(unsigned, signal).statusCode()).isEqualTo(403);
    assertThat(status("cfn-guest", id)).isEqualTo("CREATE_IN_PROGRESS");

    assertThat(post(signalUrl, signal).statusCode()).isEqualTo(200);
    Await.until(() -> status("cfn-guest", id).equals("CREATE_COMPLETE"), Duration.ofSeconds(30), "the signal to count");
    assertThat(tenant.api().get(heat("/stacks/cfn-guest/" + id + "/outputs/answer")).expect(200)
        .at("/output/output_value").asText()).isEqualTo("42");
  }

  @Test
  void aPollServerCfnServersAgentReadsItsMetadataThroughTheCfnApi() throws Exception {
    // The server's section has only the cfn collector's EC2 key: the agent must use the CFN API.
    String id = create("cfn-poll", template(true).replace("user_data_format: SOFTWARE_CONFIG",
        "user_data_format: SOFTWARE_CONFIG\n      software_config_transport: POLL_SERVER_CFN"));

    Await.until(() -> !status("cfn-poll", id).endsWith("_IN_PROGRESS"), Duration.ofSeconds(60), "the stack to settle");

    assertThat(status("cfn-poll", id)).isEqualTo("CREATE_COMPLETE");
    JsonNode section = tenant.api().get(heat("/stacks/cfn-poll/" + id + "/resources/server/metadata")).expect(200)
        .at("/metadata/os-collect-config");
    assertThat(section.has("heat")).isFalse();
    assertThat(section.at("/cfn/access_key_id").asText()).isNotEmpty();
  }

  @Test
  void theServersAgentSignalsThroughTheCfnUrl() throws Exception {
    String id = create("cfn-agent", template(true));

    Await.until(() -> !status("cfn-agent", id).endsWith("_IN_PROGRESS"), Duration.ofSeconds(60), "the stack to settle");

    assertThat(status("cfn-agent", id)).isEqualTo("CREATE_COMPLETE");
    assertThat(tenant.api().get(heat("/stacks/cfn-agent/" + id + "/outputs/answer")).expect(200)
        .at("/output/output_value").asText()).isEqualTo("42");

    // The stack's user project goes with the stack.
    String userProject = "/identity/v3/projects/" + dev.kiln.orchestration.software.StackUsers.projectIdOf(id);
    kiln.admin().get(userProject).expect(200);
    tenant.api().delete(heat("/stacks/cfn-agent/" + id)).expect(204);
    Await.until(() -> status("cfn-agent", id).equals("DELETE_COMPLETE"), Duration.ofSeconds(30), "the stack to go");
    Await.until(() -> kiln.admin().get(userProject).status() == 404, "the stack's user project to go");
  }
}
