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

/**
 * A port create finds its network, the network's subnets and its project's default security group
 * from memory on the embedded file while their tables have not changed: a change to any is what the
 * next create sees.
 */
class PortCreateLookupsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "lookups", "lookups-user").api();
  }

  @Test
  void aNetworkChangeIsWhatTheNextPortCreateSees() {
    String net = RoutersApiTest.network(member, "lookups-security");
    assertThat(port(net).get("port_security_enabled").asBoolean()).isTrue();

    member.put(NET + "/networks/" + net, "{\"network\": {\"port_security_enabled\": false}}").expect(200);

    JsonNode after = port(net);
    assertThat(after.get("port_security_enabled").asBoolean()).isFalse();
    assertThat(after.get("security_groups")).isEmpty();
  }

  @Test
  void aDeletedNetworkRefusesTheNextPortCreate() {
    String net = RoutersApiTest.network(member, "lookups-gone");
    member.delete(NET + "/ports/" + port(net).get("id").asText()).expect(204);

    member.delete(NET + "/networks/" + net).expect(204);

    member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(404);
  }

  @Test
  void aDeletedDefaultGroupIsMadeAgainForTheNextPort() {
    String net = RoutersApiTest.network(member, "lookups-default");
    JsonNode first = port(net);
    String group = first.get("security_groups").get(0).asText();
    member.delete(NET + "/ports/" + first.get("id").asText()).expect(204);

    admin.delete(NET + "/security-groups/" + group).expect(204);

    String made = port(net).get("security_groups").get(0).asText();
    assertThat(made).isNotEqualTo(group);
    assertThat(member.get(NET + "/security-groups/" + made).expect(200).at("/security_group/name").asText())
        .isEqualTo("default");
  }

  @Test
  void aSubnetsNewPoolIsWhereTheNextPortTakesItsAddress() {
    String net = RoutersApiTest.network(member, "lookups-pool");
    String subnet = RoutersApiTest.subnet(member, net, "10.77.0.0/24");
    assertThat(address(port(net))).isEqualTo("10.77.0.2");

    member.put(
            NET + "/subnets/" + subnet,
            "{\"subnet\": {\"allocation_pools\": [{\"start\": \"10.77.0.100\", \"end\": \"10.77.0.110\"}]}}")
        .expect(200);

    assertThat(address(port(net))).isEqualTo("10.77.0.100");
  }

  @Test
  void aSubnetAddedToTheNetworkGivesTheNextPortAnAddress() {
    String net = RoutersApiTest.network(member, "lookups-added");
    assertThat(port(net).get("fixed_ips")).isEmpty();

    RoutersApiTest.subnet(member, net, "10.78.0.0/24");

    assertThat(address(port(net))).isEqualTo("10.78.0.2");
  }

  private static String address(JsonNode port) {
    return port.get("fixed_ips").get(0).get("ip_address").asText();
  }

  private static JsonNode port(String net) {
    return member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).get("port");
  }
}
