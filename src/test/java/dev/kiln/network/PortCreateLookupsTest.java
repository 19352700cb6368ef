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
 * A port create finds its network and its project's default security group from memory on the
 * embedded file while neither table has changed: a change to either is what the next create sees.
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

  private static JsonNode port(String net) {
    return member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).get("port");
  }
}
