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

/** Neutron routers over HTTP: gateway, interfaces, extra routes, and what they refuse. */
class RoutersApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String externalNetwork;
  private static String externalSubnet;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "routers", "router-user").api();
    externalNetwork =
        admin.post(NET + "/networks", "{\"network\": {\"name\": \"public\", \"router:external\": true}}")
            .expect(201).at("/network/id").asText();
    externalSubnet = subnet(admin, externalNetwork, "172.24.4.0/24");
  }

  static String network(Api api, String name) {
    return api.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\"}}").expect(201).at("/network/id").asText();
  }

  static String subnet(Api api, String networkId, String cidr) {
    return api.post(
            NET + "/subnets",
            "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\"}}")
        .expect(201).at("/subnet/id").asText();
  }

  static String router(Api api, String name) {
    return api.post(NET + "/routers", "{\"router\": {\"name\": \"" + name + "\"}}").expect(201).at("/router/id").asText();
  }

  private static Api.Response addSubnet(Api api, String router, String subnet) {
    return api.put(NET + "/routers/" + router + "/add_router_interface", "{\"subnet_id\": \"" + subnet + "\"}");
  }

  @Test
  void routerWithGatewayAndInterfaceOnASubnet() {
    String net = network(member, "inside");
    String sub = subnet(member, net, "10.1.0.0/24");
    JsonNode created =
        member.post(
                NET + "/routers",
                "{\"router\": {\"name\": \"r1\", \"external_gateway_info\": {\"network_id\": \"" + externalNetwork + "\"}}}")
            .expect(201).get("router");
    String router = created.get("id").asText();
    assertThat(created.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(created.at("/external_gateway_info/network_id").asText()).isEqualTo(externalNetwork);
    assertThat(created.at("/external_gateway_info/enable_snat").asBoolean()).isTrue();
    assertThat(created.at("/external_gateway_info/external_fixed_ips/0/subnet_id").asText()).isEqualTo(externalSubnet);
    assertThat(created.at("/external_gateway_info/external_fixed_ips/0/ip_address").asText()).startsWith("172.24.4.");
    assertThat(created.has("ha")).as("ha is for admins only").isFalse();
    assertThat(created.get("revision_number").asInt()).isEqualTo(1);

    JsonNode added = addSubnet(member, router, sub).expect(200);
    assertThat(added.get("id").asText()).isEqualTo(router);
    assertThat(added.get("subnet_id").asText()).isEqualTo(sub);
    assertThat(added.get("network_id").asText()).isEqualTo(net);
    String port = added.get("port_id").asText();
    JsonNode interfacePort = member.get(NET + "/ports/" + port).expect(200).get("port");
    assertThat(interfacePort.get("device_owner").asText()).isEqualTo("network:router_interface");
    assertThat(interfacePort.get("device_id").asText()).isEqualTo(router);
    assertThat(interfacePort.at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.1.0.1");
    assertThat(member.get(NET + "/ports?device_id=" + router).expect(200).get("ports")).hasSize(1);
    assertThat(admin.get(NET + "/ports?device_id=" + router + "&device_owner=network:router_gateway").expect(200).get("ports"))
        .hasSize(1);
    assertThat(member.get(NET + "/routers/" + router).expect(200).at("/router/revision_number").asInt()).isEqualTo(2);

    // Neither the interface's subnet nor its port can go while the router uses them.
    Api.Response subnetInUse = member.delete(NET + "/subnets/" + sub);
    assertThat(subnetInUse.status()).isEqualTo(409);
    assertThat(subnetInUse.json().at("/NeutronError/type").asText()).isEqualTo("SubnetInUse");
    Api.Response portInUse = member.delete(NET + "/ports/" + port);
    assertThat(portInUse.status()).isEqualTo(409);
    assertThat(portInUse.json().at("/NeutronError/type").asText()).isEqualTo("ServicePortInUse");
    Api.Response routerInUse = member.delete(NET + "/routers/" + router);
    assertThat(routerInUse.status()).isEqualTo(409);
    assertThat(routerInUse.json().at("/NeutronError/type").asText()).isEqualTo("RouterInUse");
    assertThat(routerInUse.json().at("/NeutronError/message").asText()).isEqualTo("Router " + router + " still has ports");

    JsonNode removed =
        member.put(NET + "/routers/" + router + "/remove_router_interface", "{\"subnet_id\": \"" + sub + "\"}").expect(200);
    assertThat(removed.get("port_id").asText()).isEqualTo(port);
    assertThat(member.get(NET + "/ports/" + port).status()).isEqualTo(404);
    member.delete(NET + "/routers/" + router).expect(204);
    assertThat(admin.get(NET + "/ports?device_id=" + router).expect(200).get("ports")).isEmpty();
    member.delete(NET + "/subnets/" + sub).expect(204);
  }

  @Test
  void interfaceByPortTakesTheUsersPort() {
    String net = network(member, "by-port");
    subnet(member, net, "10.2.0.0/24");
    String router = router(member, "r-port");
    String port =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"10.2.0.50\"}]}}")
            .expect(201).at("/port/id").asText();
    JsonNode added =
        member.put(NET + "/routers/" + router + "/add_router_interface", "{\"port_id\": \"" + port + "\"}").expect(200);
    assertThat(added.get("port_id").asText()).isEqualTo(port);
    JsonNode shown = member.get(NET + "/ports/" + port).expect(200).get("port");
    assertThat(shown.get("device_owner").asText()).isEqualTo("network:router_interface");
    assertThat(shown.at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.2.0.50");

    String other = router(member, "r-port-2");
    Api.Response inUse = member.put(NET + "/routers/" + other + "/add_router_interface", "{\"port_id\": \"" + port + "\"}");
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().at("/NeutronError/type").asText()).isEqualTo("PortInUse");

    Api.Response wrongPort =
        member.put(NET + "/routers/" + other + "/remove_router_interface", "{\"port_id\": \"" + port + "\"}");
    assertThat(wrongPort.status()).isEqualTo(404);
    assertThat(wrongPort.json().at("/NeutronError/type").asText()).isEqualTo("RouterInterfaceNotFound");
    member.put(NET + "/routers/" + router + "/remove_router_interface", "{\"port_id\": \"" + port + "\"}").expect(200);
    assertThat(member.get(NET + "/ports/" + port).status()).isEqualTo(404);
  }

  @Test
  void aSubnetServesOneRouterAndOverlapsAreRefused() {
    String net = network(member, "shared-sub");
    String sub = subnet(member, net, "10.3.0.0/24");
    String first = router(member, "first");
    String second = router(member, "second");
    addSubnet(member, first, sub).expect(200);
    Api.Response twice = addSubnet(member, second, sub);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().at("/NeutronError/message").asText()).contains(first);
    assertThat(member.get(NET + "/ports?device_id=" + second).expect(200).get("ports")).as("nothing left behind").isEmpty();

    Api.Response again = addSubnet(member, first, sub);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().at("/NeutronError/message").asText()).isEqualTo("Bad router request: Router already has a port on subnet " + sub);

    String otherNet = network(member, "overlapping");
    String overlapping = subnet(member, otherNet, "10.3.0.0/16");
    Api.Response overlap = addSubnet(member, first, overlapping);
    assertThat(overlap.status()).isEqualTo(400);
    assertThat(overlap.json().at("/NeutronError/message").asText()).contains("overlaps with cidr 10.3.0.0/24");

    String gatewayless =
        member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + otherNet + "\", \"ip_version\": 4, \"cidr\": \"10.30.0.0/24\", \"gateway_ip\": null}}")
            .expect(201).at("/subnet/id").asText();
    Api.Response noGateway = addSubnet(member, second, gatewayless);
    assertThat(noGateway.status()).isEqualTo(400);
    assertThat(noGateway.json().at("/NeutronError/message").asText())
        .isEqualTo("Bad router request: Subnet for router interface must have a gateway IP");
  }

  @Test
  void extraRoutesMustGoThroughTheRoutersSubnets() {
    String net = network(member, "routed");
    String sub = subnet(member, net, "10.4.0.0/24");
    String router = router(member, "r-routes");
    addSubnet(member, router, sub).expect(200);

    Api.Response unreachable =
        member.put(NET + "/routers/" + router, "{\"router\": {\"routes\": [{\"destination\": \"192.168.0.0/16\", \"nexthop\": \"10.9.0.5\"}]}}");
    assertThat(unreachable.status()).isEqualTo(400);
    assertThat(unreachable.json().at("/NeutronError/type").asText()).isEqualTo("InvalidRoutes");
    assertThat(unreachable.json().at("/NeutronError/message").asText()).contains("the nexthop is not connected with router");

    Api.Response own =
        member.put(NET + "/routers/" + router, "{\"router\": {\"routes\": [{\"destination\": \"192.168.0.0/16\", \"nexthop\": \"10.4.0.1\"}]}}");
    assertThat(own.status()).isEqualTo(400);
    assertThat(own.json().at("/NeutronError/message").asText()).contains("the nexthop is used by router");

    JsonNode routed =
        member.put(NET + "/routers/" + router, "{\"router\": {\"routes\": [{\"destination\": \"192.168.0.0/16\", \"nexthop\": \"10.4.0.5\"}]}}")
            .expect(200).get("router");
    assertThat(routed.at("/routes/0/destination").asText()).isEqualTo("192.168.0.0/16");
    assertThat(routed.at("/routes/0/nexthop").asText()).isEqualTo("10.4.0.5");

    JsonNode added =
        member.put(NET + "/routers/" + router + "/add_extraroutes", "{\"router\": {\"routes\": [{\"destination\": \"172.16.0.0/12\", \"nexthop\": \"10.4.0.6\"}]}}")
            .expect(200).get("router");
    assertThat(added.get("routes")).hasSize(2);

    Api.Response needed = member.put(NET + "/routers/" + router + "/remove_router_interface", "{\"subnet_id\": \"" + sub + "\"}");
    assertThat(needed.status()).isEqualTo(409);
    assertThat(needed.json().at("/NeutronError/type").asText()).isEqualTo("RouterInterfaceInUseByRoute");

    JsonNode removed =
        member.put(NET + "/routers/" + router + "/remove_extraroutes", "{\"router\": {\"routes\": [{\"destination\": \"172.16.0.0/12\", \"nexthop\": \"10.4.0.6\"}]}}")
            .expect(200).get("router");
    assertThat(removed.get("routes")).hasSize(1);
    member.put(NET + "/routers/" + router, "{\"router\": {\"routes\": []}}").expect(200);
    member.put(NET + "/routers/" + router + "/remove_router_interface", "{\"subnet_id\": \"" + sub + "\"}").expect(200);
  }

  @Test
  void gatewayOnlyOnExternalNetworksAndSnatForAdmins() {
    String internal = network(member, "not-external");
    subnet(member, internal, "10.5.0.0/24");
    Api.Response notExternal =
        member.post(NET + "/routers", "{\"router\": {\"name\": \"bad\", \"external_gateway_info\": {\"network_id\": \"" + internal + "\"}}}");
    assertThat(notExternal.status()).isEqualTo(400);
    assertThat(notExternal.json().at("/NeutronError/message").asText())
        .isEqualTo("Bad router request: Network " + internal + " is not an external network");
    assertThat(member.get(NET + "/routers?name=bad").expect(200).get("routers")).isEmpty();

    Api.Response snat =
        member.post(NET + "/routers", "{\"router\": {\"name\": \"snat\", \"external_gateway_info\": {\"network_id\": \"" + externalNetwork + "\", \"enable_snat\": false}}}");
    assertThat(snat.status()).isEqualTo(403);

    String router = router(admin, "admin-router");
    JsonNode set =
        admin.put(
                NET + "/routers/" + router,
                "{\"router\": {\"external_gateway_info\": {\"network_id\": \"" + externalNetwork + "\", \"enable_snat\": false,"
                    + " \"external_fixed_ips\": [{\"ip_address\": \"172.24.4.200\"}]}}}")
            .expect(200).get("router");
    assertThat(set.at("/external_gateway_info/enable_snat").asBoolean()).isFalse();
    assertThat(set.at("/external_gateway_info/external_fixed_ips/0/ip_address").asText()).isEqualTo("172.24.4.200");
    assertThat(set.get("ha").asBoolean()).isFalse();
    assertThat(set.get("distributed").asBoolean()).isFalse();

    JsonNode cleared = admin.put(NET + "/routers/" + router, "{\"router\": {\"external_gateway_info\": {}}}").expect(200).get("router");
    assertThat(cleared.get("external_gateway_info").isNull()).isTrue();
    assertThat(admin.get(NET + "/ports?fixed_ips=ip_address=172.24.4.200").expect(200).get("ports")).isEmpty();
    admin.delete(NET + "/routers/" + router).expect(204);
  }

  @Test
  void routersOfOtherProjectsAreNotFound() {
    String router = router(admin, "hidden");
    Api.Response hidden = member.get(NET + "/routers/" + router);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.json().at("/NeutronError/type").asText()).isEqualTo("RouterNotFound");
    assertThat(member.get(NET + "/routers").expect(200).findValuesAsText("id")).doesNotContain(router);
  }
}
