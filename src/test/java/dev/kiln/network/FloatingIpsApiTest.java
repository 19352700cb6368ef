package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron floating IPs over HTTP: allocation, association through a router, and races. */
class FloatingIpsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Tenant tenant;
  private static Api member;
  private static String external;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "fips", "fip-user");
    member = tenant.api();
    external = externalNetwork("public", "203.0.113.0/24");
  }

  private static String externalNetwork(String name, String cidr) {
    String id =
        admin.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\", \"router:external\": true}}")
            .expect(201).at("/network/id").asText();
    RoutersApiTest.subnet(admin, id, cidr);
    return id;
  }

  /** A network and subnet of the member, routed to the external network; answers the subnet's id. */
  private static String routedSubnet(String name, String cidr) {
    String net = RoutersApiTest.network(member, name);
    String subnet = RoutersApiTest.subnet(member, net, cidr);
    String router =
        member.post(
                NET + "/routers",
                "{\"router\": {\"name\": \"" + name + "\", \"external_gateway_info\": {\"network_id\": \"" + external + "\"}}}")
            .expect(201).at("/router/id").asText();
    member.put(NET + "/routers/" + router + "/add_router_interface", "{\"subnet_id\": \"" + subnet + "\"}").expect(200);
    return subnet;
  }

  private static String port(String subnet) {
    String net = member.get(NET + "/subnets/" + subnet).expect(200).at("/subnet/network_id").asText();
    return member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).at("/port/id").asText();
  }

  private static JsonNode allocate(Api api, String body) {
    return api.post(NET + "/floatingips", "{\"floatingip\": " + body + "}").expect(201).get("floatingip");
  }

  @Test
  void allocateAssociateDisassociateAndRelease() {
    String subnet = routedSubnet("app", "10.10.0.0/24");
    String port = port(subnet);
    JsonNode fip = allocate(member, "{\"floating_network_id\": \"" + external + "\", \"description\": \"web\"}");
    String id = fip.get("id").asText();
    assertThat(fip.get("floating_ip_address").asText()).startsWith("203.0.113.");
    assertThat(fip.get("status").asText()).isEqualTo("DOWN");
    assertThat(fip.get("port_id").isNull()).isTrue();
    assertThat(fip.get("project_id").asText()).isEqualTo(tenant.projectId());
    assertThat(fip.get("description").asText()).isEqualTo("web");

    JsonNode associated =
        member.put(NET + "/floatingips/" + id, "{\"floatingip\": {\"port_id\": \"" + port + "\"}}").expect(200).get("floatingip");
    assertThat(associated.get("port_id").asText()).isEqualTo(port);
    assertThat(associated.get("fixed_ip_address").asText()).startsWith("10.10.0.");
    assertThat(associated.get("router_id").isNull()).isFalse();
    assertThat(associated.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(associated.at("/port_details/network_id").asText()).isNotEmpty();
    assertThat(member.get(NET + "/floatingips?port_id=" + port).expect(200).get("floatingips")).hasSize(1);
    assertThat(member.get(NET + "/floatingips?floating_ip_address=" + fip.get("floating_ip_address").asText())
        .expect(200).get("floatingips")).hasSize(1);

    // The interface the floating IP goes through stays while it is needed.
    String router = associated.get("router_id").asText();
    Api.Response needed = member.put(NET + "/routers/" + router + "/remove_router_interface", "{\"subnet_id\": \"" + subnet + "\"}");
    assertThat(needed.status()).isEqualTo(409);
    assertThat(needed.json().at("/NeutronError/type").asText()).isEqualTo("RouterInterfaceInUseByFloatingIP");
    Api.Response gateway = member.put(NET + "/routers/" + router, "{\"router\": {\"external_gateway_info\": null}}");
    assertThat(gateway.status()).isEqualTo(409);
    assertThat(gateway.json().at("/NeutronError/type").asText()).isEqualTo("RouterExternalGatewayInUseByFloatingIp");

    JsonNode free = member.put(NET + "/floatingips/" + id, "{\"floatingip\": {\"port_id\": null}}").expect(200).get("floatingip");
    assertThat(free.get("port_id").isNull()).isTrue();
    assertThat(free.get("fixed_ip_address").isNull()).isTrue();
    assertThat(free.get("status").asText()).isEqualTo("DOWN");
    assertThat(free.get("description").asText()).isEqualTo("web");

    member.delete(NET + "/floatingips/" + id).expect(204);
    assertThat(member.get(NET + "/floatingips/" + id).status()).isEqualTo(404);
    assertThat(admin.get(NET + "/ports?device_id=" + id).expect(200).get("ports")).as("its address is free again").isEmpty();
  }

  @Test
  void deletingAnExternalNetworkDeletesItsDisassociatedFloatingIps() {
    String doomed = externalNetwork("doomed-external", "198.51.100.0/28");
    String fip = allocate(member, "{\"floating_network_id\": \"" + doomed + "\"}").get("id").asText();
    admin.delete(NET + "/networks/" + doomed).expect(204);
    assertThat(member.get(NET + "/floatingips/" + fip).status()).isEqualTo(404);
    assertThat(admin.get(NET + "/ports?network_id=" + doomed).expect(200).get("ports")).isEmpty();
  }

  @Test
  void associationNeedsARouterToTheExternalNetwork() {
    String net = RoutersApiTest.network(member, "island");
    String subnet = RoutersApiTest.subnet(member, net, "10.11.0.0/24");
    String port = port(subnet);
    Api.Response unreachable =
        member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"port_id\": \"" + port + "\"}}");
    assertThat(unreachable.status()).isEqualTo(404);
    assertThat(unreachable.json().at("/NeutronError/type").asText()).isEqualTo("ExternalGatewayForFloatingIPNotFound");
    assertThat(unreachable.json().at("/NeutronError/message").asText())
        .isEqualTo("External network " + external + " is not reachable from subnet " + subnet
            + ".  Therefore, cannot associate Port " + port + " with a Floating IP.");
    assertThat(member.get(NET + "/floatingips?floating_network_id=" + external + "&port_id=" + port).expect(200).get("floatingips"))
        .as("nothing allocated").isEmpty();

    Api.Response internal = member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + net + "\"}}");
    assertThat(internal.status()).isEqualTo(400);
    assertThat(internal.json().at("/NeutronError/message").asText())
        .isEqualTo("Bad floatingip request: Network " + net + " is not a valid external network");

    Api.Response address =
        member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"floating_ip_address\": \"203.0.113.99\"}}");
    assertThat(address.status()).as("choosing the address is for admins").isEqualTo(403);
    JsonNode chosen = allocate(admin, "{\"floating_network_id\": \"" + external + "\", \"floating_ip_address\": \"203.0.113.99\"}");
    assertThat(chosen.get("floating_ip_address").asText()).isEqualTo("203.0.113.99");
    Api.Response taken =
        admin.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"floating_ip_address\": \"203.0.113.99\"}}");
    assertThat(taken.status()).isEqualTo(409);
  }

  @Test
  void createWithAPortAndAFixedAddressAndDeletingThePortClearsIt() {
    String subnet = routedSubnet("two-ips", "10.12.0.0/24");
    String net = member.get(NET + "/subnets/" + subnet).expect(200).at("/subnet/network_id").asText();
    String port =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"10.12.0.10\"},"
                + " {\"ip_address\": \"10.12.0.11\"}]}}")
            .expect(201).at("/port/id").asText();
    Api.Response ambiguous =
        member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"port_id\": \"" + port + "\"}}");
    assertThat(ambiguous.status()).isEqualTo(400);
    assertThat(ambiguous.json().at("/NeutronError/message").asText()).contains("has multiple fixed IPv4 addresses");

    JsonNode fip =
        allocate(member, "{\"floating_network_id\": \"" + external + "\", \"port_id\": \"" + port + "\", \"fixed_ip_address\": \"10.12.0.11\"}");
    assertThat(fip.get("fixed_ip_address").asText()).isEqualTo("10.12.0.11");
    assertThat(fip.get("status").asText()).isEqualTo("ACTIVE");
    Api.Response second =
        member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + external + "\", \"port_id\": \"" + port
            + "\", \"fixed_ip_address\": \"10.12.0.11\"}}");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().at("/NeutronError/type").asText()).isEqualTo("FloatingIPPortAlreadyAssociated");

    member.delete(NET + "/ports/" + port).expect(204);
    JsonNode after = member.get(NET + "/floatingips/" + fip.get("id").asText()).expect(200).get("floatingip");
    assertThat(after.get("port_id").isNull()).isTrue();
    assertThat(after.get("fixed_ip_address").isNull()).isTrue();
    assertThat(after.get("router_id").isNull()).isTrue();
    assertThat(after.get("status").asText()).isEqualTo("DOWN");
    assertThat(after.get("revision_number").asInt()).isEqualTo(fip.get("revision_number").asInt() + 1);
  }

  @Test
  void fiftyAllocationsOnASlash28GetDistinctAddressesAndTheRestConflict() {
    String small = externalNetwork("small", "198.51.100.0/28");
    admin.put(NET + "/quotas/" + tenant.projectId(), "{\"quota\": {\"floatingip\": -1}}").expect(200);
    List<Api.Response> answers =
        Race.run(50, i -> member.post(NET + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + small + "\"}}"));
    Set<String> addresses = new HashSet<>();
    int conflicts = 0;
    for (Api.Response answer : answers) {
      if (answer.status() == 201) {
        addresses.add(answer.json().at("/floatingip/floating_ip_address").asText());
      } else {
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(answer.json().at("/NeutronError/type").asText()).isEqualTo("IpAddressGenerationFailure");
        conflicts++;
      }
    }
    // A /28 has 16 addresses: the network, the broadcast and the gateway leave 13.
    assertThat(addresses).hasSize(13);
    assertThat(conflicts).isEqualTo(37);
    assertThat(member.get(NET + "/floatingips?floating_network_id=" + small).expect(200).get("floatingips")).hasSize(13);
  }

  @Test
  void twentyFloatingIpsRacingForOneFixedAddressLeaveOneAssociation() {
    String subnet = routedSubnet("contended", "10.13.0.0/24");
    String port = port(subnet);
    List<String> fips =
        Race.run(20, i -> allocate(member, "{\"floating_network_id\": \"" + external + "\"}").get("id").asText());
    List<Api.Response> answers =
        Race.run(20, i -> member.put(NET + "/floatingips/" + fips.get(i), "{\"floatingip\": {\"port_id\": \"" + port + "\"}}"));
    assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() == 409))
        .hasSize(19)
        .allSatisfy(a -> assertThat(a.json().at("/NeutronError/type").asText()).isEqualTo("FloatingIPPortAlreadyAssociated"));
    assertThat(member.get(NET + "/floatingips?port_id=" + port).expect(200).get("floatingips")).hasSize(1);
  }

  @Test
  void oneFloatingIpRacingToTwentyPortsEndsOnOneOfThem() {
    String subnet = routedSubnet("movers", "10.14.0.0/24");
    List<String> ports = Race.run(20, i -> port(subnet));
    String fip = allocate(member, "{\"floating_network_id\": \"" + external + "\"}").get("id").asText();
    List<Api.Response> answers =
        Race.run(20, i -> member.put(NET + "/floatingips/" + fip, "{\"floatingip\": {\"port_id\": \"" + ports.get(i) + "\"}}"));
    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
    JsonNode last = member.get(NET + "/floatingips/" + fip).expect(200).get("floatingip");
    // Each move was one revision: the updates queued on the floating IP's lock, none lost.
    assertThat(last.get("revision_number").asInt()).isEqualTo(21);
    long holding = ports.stream().filter(p -> !member.get(NET + "/floatingips?port_id=" + p).expect(200).get("floatingips").isEmpty()).count();
    assertThat(holding).isEqualTo(1);
  }
}
