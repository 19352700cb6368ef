package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Floating IP port forwardings over HTTP: lifecycle, the router they go through, what they exclude. */
class PortForwardingsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api member;
  private static String external;
  private static String net;

  @BeforeAll
  static void start() {
    Api admin = kiln.admin();
    member = Tenant.create(kiln, admin, "pf", "pf-user").api();
    external = admin.post(NET + "/networks", "{\"network\": {\"name\": \"public\", \"router:external\": true}}")
        .expect(201).at("/network/id").asText();
    RoutersApiTest.subnet(admin, external, "172.26.0.0/24");
    net = RoutersApiTest.network(member, "pf-net");
    String subnet = RoutersApiTest.subnet(member, net, "10.88.0.0/24");
    String router =
        member.post(
                NET + "/routers",
                "{\"router\": {\"name\": \"pf-r\", \"external_gateway_info\": {\"network_id\": \"" + external + "\"}}}")
            .expect(201).at("/router/id").asText();
    member.put(NET + "/routers/" + router + "/add_router_interface", "{\"subnet_id\": \"" + subnet + "\"}").expect(200);
  }

  private static JsonNode port() {
    return member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).get("port");
  }

  private static String fip(String portId) {
    String port = portId == null ? "" : ", \"port_id\": \"" + portId + "\"";
    return member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\"" + port + "}}")
        .expect(201).at("/floatingip/id").asText();
  }

  private static Api.Response forward(String fip, JsonNode port, int internal, int external) {
    return member.post(
        NET + "/floatingips/" + fip + "/port_forwardings",
        "{\"port_forwarding\": {\"internal_port_id\": \"" + port.get("id").asText() + "\", \"internal_ip_address\": \""
            + port.at("/fixed_ips/0/ip_address").asText() + "\", \"internal_port\": " + internal
            + ", \"external_port\": " + external + ", \"protocol\": \"tcp\"}}");
  }

  @Test
  void portForwardingLifecycle() {
    String fip = fip(null);
    JsonNode port = port();
    JsonNode made = forward(fip, port, 1111, 2222).expect(201).get("port_forwarding");
    String id = made.get("id").asText();
    assertThat(made.get("internal_port").asInt()).isEqualTo(1111);
    assertThat(made.get("external_port").asInt()).isEqualTo(2222);
    assertThat(made.get("protocol").asText()).isEqualTo("tcp");
    assertThat(made.get("internal_ip_address").asText()).isEqualTo(port.at("/fixed_ips/0/ip_address").asText());

    JsonNode shownFip = member.get(NET + "/floatingips/" + fip).expect(200).get("floatingip");
    assertThat(shownFip.get("router_id").isNull()).as("the forwarding's router").isFalse();
    assertThat(shownFip.at("/port_forwardings/0/external_port").asInt()).isEqualTo(2222);

    JsonNode updated =
        member.put(NET + "/floatingips/" + fip + "/port_forwardings/" + id, "{\"port_forwarding\": {\"internal_port\": 3333}}")
            .expect(200).get("port_forwarding");
    assertThat(updated.get("internal_port").asInt()).isEqualTo(3333);
    assertThat(updated.get("external_port").asInt()).isEqualTo(2222);
    assertThat(member.get(NET + "/floatingips/" + fip + "/port_forwardings").expect(200).get("port_forwardings")).hasSize(1);

    Api.Response inUse = member.delete(NET + "/floatingips/" + fip);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().at("/NeutronError/type").asText()).isEqualTo("FipInUseByPortForwarding");
    Api.Response associate =
        member.put(NET + "/floatingips/" + fip, "{\"floatingip\": {\"port_id\": \"" + port().get("id").asText() + "\"}}");
    assertThat(associate.status()).isEqualTo(409);

    member.delete(NET + "/floatingips/" + fip + "/port_forwardings/" + id).expect(204);
    assertThat(member.get(NET + "/floatingips/" + fip + "/port_forwardings/" + id).status()).isEqualTo(404);
    assertThat(member.get(NET + "/floatingips/" + fip).expect(200).at("/floatingip/router_id").isNull()).isTrue();
    member.delete(NET + "/floatingips/" + fip).expect(204);
  }

  @Test
  void externalPortsAreNotSharedAndPortsAreInRange() {
    String fip = fip(null);
    JsonNode port = port();
    forward(fip, port, 80, 8080).expect(201);
    assertThat(forward(fip, port(), 81, 8080).status()).as("same external port and protocol").isEqualTo(400);
    assertThat(forward(fip, port, 80, 8081).status()).as("same internal socket").isEqualTo(400);
    assertThat(forward(fip, port, 80, 65536).status()).isEqualTo(400);
    assertThat(forward(fip, port, 0, 9000).status()).isEqualTo(400);
    assertThat(forward(fip, port(), 22, 2022).status()).isEqualTo(201);
  }

  @Test
  void associatedFloatingIpsAndPortsWithFloatingIpsCannotForward() {
    JsonNode withFip = port();
    String associated = fip(withFip.get("id").asText());
    assertThat(forward(associated, port(), 1, 2).status()).isEqualTo(409);
    assertThat(forward(fip(null), withFip, 1, 2).status()).isEqualTo(409);
  }

  @Test
  void deletingTheInternalPortDeletesItsForwardings() {
    String fip = fip(null);
    JsonNode port = port();
    forward(fip, port, 5000, 5000).expect(201);
    member.delete(NET + "/ports/" + port.get("id").asText()).expect(204);
    assertThat(member.get(NET + "/floatingips/" + fip + "/port_forwardings").expect(200).get("port_forwardings")).isEmpty();
    assertThat(member.get(NET + "/extensions/floating-ip-port-forwarding").status()).isEqualTo(200);
  }
}
