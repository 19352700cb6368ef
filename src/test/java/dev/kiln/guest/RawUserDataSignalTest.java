package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server whose RAW user_data is a shell script that signals a wait condition handle with the
 * handle's {@code curl_cli} (heat-tempest-plugin's OS::Heat::WaitCondition test): the script runs
 * when the server boots, its curl passes Keystone with the handle's stack-user token, and the
 * wait condition completes with the signals' data.
 */
class RawUserDataSignalTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static Tenant tenant;
  private static String image;
  private static String network;

  private static final String TEMPLATE = """
      heat_template_version: 2013-05-23
      parameters:
        image: {type: string}
        network: {type: string}
      resources:
        instance1:
          type: OS::Nova::Server
          properties:
            flavor: m1.tiny
            image: {get_param: image}
            networks: [{network: {get_param: network}}]
            user_data_format: RAW
            user_data:
              str_replace:
                template: |
                  #!/bin/sh
                  wc_notify --data-binary '{"status": "SUCCESS", "reason": "r1", "data": "d1"}'
                  wc_notify --data-binary '{"status": "SUCCESS", "id": "two", "data": "d2"}'
                params:
                  wc_notify: {get_attr: [wait_handle, curl_cli]}
        wait_condition:
          type: OS::Heat::WaitCondition
          depends_on: instance1
          properties:
            count: 2
            handle: {get_resource: wait_handle}
            timeout: 60
        wait_handle:
          type: OS::Heat::WaitConditionHandle
      outputs:
        wc_data: {value: {get_attr: [wait_condition, data]}}
      """;

  @BeforeAll
  static void cloud() {
    tenant = Tenant.create(kiln, kiln.admin(), "raw-user-data", "raw-user-data-user");
    image = Cloud.cirros(tenant.api());
    network = Cloud.network(tenant.api(), "raw-net", "10.19.0.0/24");
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + tenant.projectId() + path;
  }

  private static JsonNode stack(String id) {
    return tenant.api().get(heat("/stacks/raw/" + id)).expect(200).get("stack");
  }

  @Test
  void theServersRawScriptSignalsTheWaitConditionWithTheHandlesCurlCommand() {
    String stackId = tenant.api().post(heat("/stacks"),
            "{\"stack_name\": \"raw\", \"template\": " + GuestHttp.JSON.valueToTree(TEMPLATE)
                + ", \"parameters\": {\"image\": \"" + image + "\", \"network\": \"" + network + "\"}}")
        .expect(201).at("/stack/id").asText();

    Await.until(() -> !stack(stackId).path("stack_status").asText().equals("CREATE_IN_PROGRESS"),
        Duration.ofSeconds(60), "the server's script to signal the wait condition");

    assertThat(stack(stackId).path("stack_status").asText())
        .as(stack(stackId).path("stack_status_reason").asText()).isEqualTo("CREATE_COMPLETE");
    JsonNode data = tenant.api().get(heat("/stacks/raw/" + stackId + "/outputs/wc_data")).expect(200);
    assertThat(data.at("/output/output_value").asText()).isEqualTo("{\"1\":\"d1\",\"two\":\"d2\"}");
  }
}
