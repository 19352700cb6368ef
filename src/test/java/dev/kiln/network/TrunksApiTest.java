package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron trunks over HTTP: parent and subports, VLAN checks, what a trunk refuses. */
class TrunksApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static Api other;
  private static String net;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "trunks", "trunk-user").api();
    other = Tenant.create(kiln, admin, "trunks-other", "trunk-other").api();
    net = RoutersApiTest.network(member, "trunk-net");
    RoutersApiTest.subnet(member, net, "10.70.0.0/24");
  }

  private static String port(Api api, String network) {
    return api.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\"}}").expect(201).at("/port/id").asText();
  }

  private static String subPort(String port, int vlan) {
    return "{\"port_id\": \"" + port + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": " + vlan + "}";
  }

  private static Api.Response createTrunk(Api api, String parent, String... subPorts) {
    return api.post(
        NET + "/trunks",
        "{\"trunk\": {\"name\": \"t\", \"port_id\": \"" + parent + "\", \"sub_ports\": [" + String.join(", ", subPorts)
            + "]}}");
  }

  private static String error(Api.Response r) {
    return r.json().at("/NeutronError/type").asText();
  }

  @Test
  void trunkWithSubportsThroughItsLifecycle() {
    String parent = port(member, net);
    String sub1 = port(member, net);
    String sub2 = port(member, net);
    JsonNode trunk = createTrunk(member, parent, subPort(sub1, 100)).expect(201).get("trunk");
    String id = trunk.get("id").asText();
    assertThat(trunk.get("port_id").asText()).isEqualTo(parent);
    assertThat(trunk.get("status").asText()).isEqualTo("DOWN");
    assertThat(trunk.get("admin_state_up").asBoolean()).isTrue();
    assertThat(trunk.get("revision_number").asInt()).isEqualTo(1);
    assertThat(trunk.at("/sub_ports/0/port_id").asText()).isEqualTo(sub1);
    assertThat(trunk.at("/sub_ports/0/segmentation_type").asText()).isEqualTo("vlan");
    assertThat(trunk.at("/sub_ports/0/segmentation_id").asInt()).isEqualTo(100);

    JsonNode subport = member.get(NET + "/ports/" + sub1).expect(200).get("port");
    assertThat(subport.get("device_owner").asText()).isEqualTo("trunk:subport");
    assertThat(subport.get("device_id").asText()).isEqualTo(id);

    JsonNode added = member.put(NET + "/trunks/" + id + "/add_subports", "{\"sub_ports\": [" + subPort(sub2, 200) + "]}")
        .expect(200);
    assertThat(added.get("sub_ports")).hasSize(2);
    assertThat(added.get("revision_number").asInt()).isEqualTo(2);
    assertThat(member.get(NET + "/trunks/" + id + "/get_subports").expect(200).get("sub_ports"))
        .extracting(s -> s.get("segmentation_id").asInt())
        .containsExactly(100, 200);
    assertThat(member.get(NET + "/trunks?port_id=" + parent).expect(200).get("trunks")).hasSize(1);
    assertThat(other.get(NET + "/trunks/" + id).status()).isEqualTo(404);

    JsonNode renamed = member.put(NET + "/trunks/" + id, "{\"trunk\": {\"name\": \"renamed\"}}").expect(200).get("trunk");
    assertThat(renamed.get("name").asText()).isEqualTo("renamed");

    JsonNode removed = member.put(NET + "/trunks/" + id + "/remove_subports", "{\"sub_ports\": [{\"port_id\": \"" + sub1 + "\"}]}")
        .expect(200);
    assertThat(removed.get("sub_ports")).hasSize(1);
    JsonNode freed = member.get(NET + "/ports/" + sub1).expect(200).get("port");
    assertThat(freed.get("device_owner").asText()).isEmpty();
    assertThat(freed.get("device_id").asText()).isEmpty();

    Api.Response notASubport =
        member.put(NET + "/trunks/" + id + "/remove_subports", "{\"sub_ports\": [{\"port_id\": \"" + sub1 + "\"}]}");
    assertThat(notASubport.status()).isEqualTo(404);
    assertThat(error(notASubport)).isEqualTo("SubPortNotFound");

    member.delete(NET + "/trunks/" + id).expect(204);
    assertThat(member.get(NET + "/trunks/" + id).status()).isEqualTo(404);
    assertThat(member.get(NET + "/ports/" + sub2).expect(200).at("/port/device_owner").asText()).isEmpty();
    member.delete(NET + "/ports/" + parent).expect(204);
  }

  @Test
  void segmentationTypeAndIdAreChecked() {
    String parent = port(member, net);
    String sub = port(member, net);
    for (String bad :
        List.of(
            "{\"port_id\": \"" + sub + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": 0}",
            "{\"port_id\": \"" + sub + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": 4095}",
            "{\"port_id\": \"" + sub + "\", \"segmentation_type\": \"vxlan\", \"segmentation_id\": 10}",
            "{\"port_id\": \"" + sub + "\", \"segmentation_type\": \"vlan\"}",
            "{\"port_id\": \"" + sub + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": \"ten\"}")) {
      Api.Response r = createTrunk(member, parent, bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().has("NeutronError")).isTrue();
    }
    assertThat(member.get(NET + "/trunks?port_id=" + parent).expect(200).get("trunks")).as("nothing half-made").isEmpty();
    assertThat(createTrunk(member, parent, subPort(sub, 1), subPort(port(member, net), 4094)).status()).isEqualTo(201);
  }

  @Test
  void portsBelongToOneTrunkAtMost() {
    String parent = port(member, net);
    String sub = port(member, net);
    String trunk = createTrunk(member, parent, subPort(sub, 10)).expect(201).at("/trunk/id").asText();

    Api.Response parentAgain = createTrunk(member, parent);
    assertThat(parentAgain.status()).isEqualTo(409);
    assertThat(error(parentAgain)).isEqualTo("ParentPortInUse");
    Api.Response subportAsParent = createTrunk(member, sub);
    assertThat(subportAsParent.status()).isEqualTo(409);
    assertThat(error(subportAsParent)).isEqualTo("TrunkPortInUse");
    Api.Response parentAsSubport = createTrunk(member, port(member, net), subPort(parent, 11));
    assertThat(parentAsSubport.status()).isEqualTo(409);
    Api.Response ownParent =
        member.put(NET + "/trunks/" + trunk + "/add_subports", "{\"sub_ports\": [" + subPort(parent, 12) + "]}");
    assertThat(ownParent.status()).isEqualTo(409);
    assertThat(error(ownParent)).isEqualTo("ParentPortInUse");
    Api.Response sameVlan =
        member.put(NET + "/trunks/" + trunk + "/add_subports", "{\"sub_ports\": [" + subPort(port(member, net), 10) + "]}");
    assertThat(sameVlan.status()).isEqualTo(409);
    assertThat(error(sameVlan)).isEqualTo("DuplicateSubPort");

    Api.Response deleteParent = member.delete(NET + "/ports/" + parent);
    assertThat(deleteParent.status()).isEqualTo(409);
    assertThat(error(deleteParent)).isEqualTo("PortInUseAsTrunkParent");
    Api.Response deleteSub = member.delete(NET + "/ports/" + sub);
    assertThat(deleteSub.status()).isEqualTo(409);
    assertThat(error(deleteSub)).isEqualTo("PortInUseAsSubPort");
  }

  @Test
  void aPortWithADeviceCannotBeASubport() {
    String parent = port(member, net);
    String used =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\", \"device_id\": \"some-device\"}}")
            .expect(201).at("/port/id").asText();
    Api.Response r = createTrunk(member, parent, subPort(used, 5));
    assertThat(r.status()).isEqualTo(409);
    assertThat(error(r)).isEqualTo("PortInUse");
  }

  @Test
  void aSubportsMtuMayNotExceedTheParents() {
    String small = member.post(NET + "/networks", "{\"network\": {\"name\": \"small\", \"mtu\": 1400}}").expect(201)
        .at("/network/id").asText();
    RoutersApiTest.subnet(member, small, "10.71.0.0/24");
    Api.Response r = createTrunk(member, port(member, small), subPort(port(member, net), 7));
    assertThat(r.status()).isEqualTo(409);
    assertThat(error(r)).isEqualTo("SubPortMtuGreaterThanTrunkPortMtu");
  }

  @Test
  void aDisabledTrunkRefusesChangesAndABoundParentRefusesDelete() {
    String parent = port(member, net);
    String trunk = createTrunk(member, parent).expect(201).at("/trunk/id").asText();
    member.put(NET + "/trunks/" + trunk, "{\"trunk\": {\"admin_state_up\": false}}").expect(200);
    Api.Response disabled =
        member.put(NET + "/trunks/" + trunk + "/add_subports", "{\"sub_ports\": [" + subPort(port(member, net), 30) + "]}");
    assertThat(disabled.status()).isEqualTo(409);
    assertThat(error(disabled)).isEqualTo("TrunkDisabled");
    assertThat(error(member.delete(NET + "/trunks/" + trunk))).isEqualTo("TrunkDisabled");
    member.put(NET + "/trunks/" + trunk, "{\"trunk\": {\"admin_state_up\": true}}").expect(200);

    admin.put(NET + "/ports/" + parent, "{\"port\": {\"binding:host_id\": \"kiln-compute-1\", \"device_id\": \"vm-1\","
        + " \"device_owner\": \"compute:nova\"}}").expect(200);
    assertThat(member.get(NET + "/trunks/" + trunk).expect(200).at("/trunk/status").asText()).isEqualTo("ACTIVE");
    Api.Response inUse = member.delete(NET + "/trunks/" + trunk);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(error(inUse)).isEqualTo("TrunkInUse");
    admin.put(NET + "/ports/" + parent, "{\"port\": {\"binding:host_id\": \"\"}}").expect(200);
    member.delete(NET + "/trunks/" + trunk).expect(204);
  }

  @Test
  void subportsAreBoundWhereAServerBootedOnTheParentRunsAndUnboundWhenItGoes() {
    String parent = port(member, net);
    String sub1 = port(member, net);
    String sub2 = port(member, net);
    String trunk = createTrunk(member, parent, subPort(sub1, 101)).expect(201).at("/trunk/id").asText();
    assertThat(admin.get(NET + "/ports/" + sub1).expect(200).at("/port/binding:host_id").asText()).isEmpty();

    String server = Cloud.awaitActive(member, Cloud.boot(member, Cloud.cirros(member), "[{\"port\": \"" + parent + "\"}]", "trunked"));
    String host = admin.get(NET + "/ports/" + parent).expect(200).at("/port/binding:host_id").asText();
    assertThat(host).isNotEmpty();
    assertThat(member.get(NET + "/trunks/" + trunk).expect(200).at("/trunk/status").asText()).isEqualTo("ACTIVE");
    JsonNode bound = admin.get(NET + "/ports/" + sub1).expect(200).get("port");
    assertThat(bound.get("binding:host_id").asText()).isEqualTo(host);
    assertThat(bound.get("device_owner").asText()).isEqualTo("trunk:subport");
    assertThat(bound.get("device_id").asText()).isEqualTo(trunk);
    assertThat(bound.get("status").asText()).isEqualTo("ACTIVE");

    // A subport added while the parent is bound is bound at once; one removed is unbound and freed.
    member.put(NET + "/trunks/" + trunk + "/add_subports", "{\"sub_ports\": [" + subPort(sub2, 102) + "]}").expect(200);
    assertThat(admin.get(NET + "/ports/" + sub2).expect(200).at("/port/binding:host_id").asText()).isEqualTo(host);
    member.put(NET + "/trunks/" + trunk + "/remove_subports", "{\"sub_ports\": [{\"port_id\": \"" + sub2 + "\"}]}")
        .expect(200);
    JsonNode freed = admin.get(NET + "/ports/" + sub2).expect(200).get("port");
    assertThat(freed.get("binding:host_id").asText()).isEmpty();
    assertThat(freed.get("device_owner").asText()).isEmpty();
    assertThat(freed.get("status").asText()).isEqualTo("DOWN");

    Cloud.deleteServer(member, server);
    Cloud.awaitGone(member, server);
    assertThat(member.get(NET + "/trunks/" + trunk).expect(200).at("/trunk/status").asText()).isEqualTo("DOWN");
    JsonNode unbound = admin.get(NET + "/ports/" + sub1).expect(200).get("port");
    assertThat(unbound.get("binding:host_id").asText()).isEmpty();
    assertThat(unbound.get("status").asText()).isEqualTo("DOWN");
    assertThat(unbound.get("device_owner").asText()).isEqualTo("trunk:subport");
  }

  @Test
  void theParentPortShowsItsTrunksDetails() {
    String parent = port(member, net);
    String sub = port(member, net);
    String trunk = createTrunk(member, parent, subPort(sub, 7)).expect(201).at("/trunk/id").asText();
    String mac = member.get(NET + "/ports/" + sub).expect(200).at("/port/mac_address").asText();
    JsonNode details = member.get(NET + "/ports/" + parent).expect(200).at("/port/trunk_details");
    assertThat(details.get("trunk_id").asText()).isEqualTo(trunk);
    assertThat(details.get("sub_ports")).hasSize(1);
    assertThat(details.at("/sub_ports/0/port_id").asText()).isEqualTo(sub);
    assertThat(details.at("/sub_ports/0/segmentation_type").asText()).isEqualTo("vlan");
    assertThat(details.at("/sub_ports/0/segmentation_id").asInt()).isEqualTo(7);
    assertThat(details.at("/sub_ports/0/mac_address").asText()).isEqualTo(mac);
    JsonNode listed = member.get(NET + "/ports?id=" + parent).expect(200).at("/ports/0/trunk_details/trunk_id");
    assertThat(listed.asText()).isEqualTo(trunk);
    // Only a parent carries the key, as in Neutron.
    assertThat(member.get(NET + "/ports/" + sub).expect(200).get("port").has("trunk_details")).isFalse();
  }

  @Test
  void otherProjectsPortsCannotJoin() {
    String foreignNet = RoutersApiTest.network(other, "foreign");
    RoutersApiTest.subnet(other, foreignNet, "10.72.0.0/24");
    String foreign = port(other, foreignNet);
    assertThat(error(createTrunk(member, foreign))).isEqualTo("PortNotFound");
    assertThat(error(createTrunk(member, port(member, net), subPort(foreign, 3)))).isEqualTo("PortNotFound");
  }

  @Test
  void racingTrunksForOneParentHaveOneWinner() {
    String parent = port(member, net);
    List<Integer> codes = Race.run(8, i -> createTrunk(member, parent).status());
    assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
    assertThat(codes).filteredOn(c -> c == 409).hasSize(7);
  }

  @Test
  void trunksAreListedAsAnExtensionAndTaggable() {
    assertThat(member.get(NET + "/extensions/trunk").status()).isEqualTo(200);
    String trunk = createTrunk(member, port(member, net)).expect(201).at("/trunk/id").asText();
    member.put(NET + "/trunks/" + trunk + "/tags/red", null).expect(201);
    assertThat(member.get(NET + "/trunks?tags=red").expect(200).get("trunks")).hasSize(1);
  }
}
