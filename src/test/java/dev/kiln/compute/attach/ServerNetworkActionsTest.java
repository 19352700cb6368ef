package dev.kiln.compute.attach;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server actions Compute does through Networking: addSecurityGroup/removeSecurityGroup (driven
 * with Debian's {@code openstack server add/remove security group}) and the floating IP proxies of
 * microversions before 2.36/2.44 ({@code os-floating-ips}, {@code os-floating-ip-pools},
 * addFloatingIp/removeFloatingIp), checked against Tempest's schemas.
 */
class ServerNetworkActionsTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();
  private static Tenant tenant;
  private static OpenStackCli member;
  private static Api api;
  private static Api v235;
  private static String networkId;
  private static String image;

  @BeforeAll
  static void start() {
    tenant = Tenant.create(kiln, kiln.admin(), "netact", "netact-user");
    member = tenant.cli(kiln.authUrl());
    api = tenant.api();
    v235 = api.withHeader("OpenStack-API-Version", "compute 2.35");
    admin.json("network", "create", "--external", "public");
    admin.json("subnet", "create", "--network", "public", "--subnet-range", "172.24.9.0/24", "--no-dhcp", "public-subnet");
    networkId = member.json("network", "create", "act-net").get("id").asText();
    member.json("subnet", "create", "--network", "act-net", "--subnet-range", "10.72.0.0/24", "act-subnet");
    member.json("router", "create", "act-router");
    member.ok("router", "set", "--external-gateway", "public", "act-router");
    member.ok("router", "add", "subnet", "act-router", "act-subnet");
    image = Cloud.cirros(api);
  }

  private static List<String> groups(String server) {
    JsonNode groups = Cloud.server(api, server).get("security_groups");
    return groups == null ? List.of() : groups.findValuesAsText("name");
  }

  @Test
  void theCliAddsAndRemovesSecurityGroupsOnTheServersPorts() {
    String server = Cloud.bootActive(api, image, networkId, "sg-web");
    member.json("security", "group", "create", "web");
    member.ok("server", "add", "security", "group", server, "web");
    assertThat(groups(server)).containsExactlyInAnyOrder("default", "web");
    String port = api.get("/networking/v2.0/ports?device_id=" + server).expect(200).at("/ports/0/id").asText();
    assertThat(member.json("port", "show", port).get("security_group_ids").toString())
        .contains(member.json("security", "group", "show", "web").get("id").asText());

    member.ok("server", "remove", "security", "group", server, "web");
    member.ok("server", "remove", "security", "group", server, "default");
    // As Nova: a server whose ports have no group shows no security_groups at all.
    assertThat(Cloud.server(api, server).has("security_groups")).isFalse();

    Api.Response unknown = api.post(NOVA + "/servers/" + server + "/action", "{\"addSecurityGroup\": {\"name\": \"nope\"}}");
    assertThat(unknown.status()).isEqualTo(404);
    Api.Response notThere = api.post(NOVA + "/servers/" + server + "/action", "{\"removeSecurityGroup\": {\"name\": \"web\"}}");
    assertThat(notThere.status()).isEqualTo(404);
    assertThat(api.post(NOVA + "/servers/" + server + "/action", "{\"addSecurityGroup\": {\"name\": \" \"}}").status())
        .isEqualTo(400);
    assertThat(api.post(NOVA + "/servers/" + server + "/action", "{\"addSecurityGroup\": {}}").status()).isEqualTo(400);
    Cloud.deleteServer(api, server);
  }

  @Test
  void theSecurityGroupProxyShowsNetworkingsGroupsTheNovaWay() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response created =
        v235.post(NOVA + "/os-security-groups", "{\"security_group\": {\"name\": \"proxied\", \"description\": \"d\"}}");
    schemas.check("compute.v2_1.security_groups.create_security_group", created);
    String id = created.json().at("/security_group/id").asText();
    Api.Response list = v235.get(NOVA + "/os-security-groups");
    schemas.check("compute.v2_1.security_groups.list_security_groups", list);
    assertThat(list.json().get("security_groups").findValuesAsText("name")).contains("default", "proxied");
    schemas.check("compute.v2_1.security_groups.get_security_group", v235.get(NOVA + "/os-security-groups/" + id));
    assertThat(v235.delete(NOVA + "/os-security-groups/" + id).status()).isEqualTo(202);
    assertThat(v235.get(NOVA + "/os-security-groups/" + id).status()).isEqualTo(404);
    assertThat(api.withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-security-groups").status())
        .isEqualTo(404);
    schemas.verify();
  }

  @Test
  void racingGroupAddsAllLand() throws Exception {
    String server = Cloud.bootActive(api, image, networkId, "sg-race");
    for (int i = 0; i < 4; i++) {
      member.json("security", "group", "create", "race-" + i);
    }
    List<Integer> statuses = Race.run(4, i -> api.post(
        NOVA + "/servers/" + server + "/action", "{\"addSecurityGroup\": {\"name\": \"race-" + i + "\"}}").status());
    assertThat(statuses).containsOnly(202);
    assertThat(groups(server)).contains("race-0", "race-1", "race-2", "race-3");
    Cloud.deleteServer(api, server);
  }

  @Test
  void floatingIpProxiesAllocateAssociateAndReleaseThroughNetworking() {
    TempestSchemas schemas = new TempestSchemas();
    String first = Cloud.bootActive(api, image, networkId, "fip-one");
    String second = Cloud.bootActive(api, image, networkId, "fip-two");

    Api.Response pools = v235.get(NOVA + "/os-floating-ip-pools");
    schemas.check("compute.v2_1.floating_ips.list_floating_ip_pools", pools);
    assertThat(pools.json().get("floating_ip_pools").findValuesAsText("name")).containsExactly("public");
    Api.Response created = v235.post(NOVA + "/os-floating-ips", "{\"pool\": \"public\"}");
    schemas.check("compute.v2_1.floating_ips.create_get_floating_ip", created);
    String id = created.json().at("/floating_ip/id").asText();
    String ip = created.json().at("/floating_ip/ip").asText();
    assertThat(created.json().at("/floating_ip/instance_id").isNull()).isTrue();
    assertThat(v235.post(NOVA + "/os-floating-ips", "{\"pool\": \"no-such-pool\"}").status()).isEqualTo(404);

    Api.Response associate = v235.post(NOVA + "/servers/" + first + "/action", "{\"addFloatingIp\": {\"address\": \"" + ip + "\"}}");
    schemas.check("compute.v2_1.floating_ips.add_remove_floating_ip", associate);
    Api.Response shown = v235.get(NOVA + "/os-floating-ips/" + id);
    schemas.check("compute.v2_1.floating_ips.create_get_floating_ip", shown);
    assertThat(shown.json().at("/floating_ip/instance_id").asText()).isEqualTo(first);
    assertThat(shown.json().at("/floating_ip/fixed_ip").asText()).startsWith("10.72.0.");

    // Associating it with another server moves it; the first then has it no more (409).
    v235.post(NOVA + "/servers/" + second + "/action", "{\"addFloatingIp\": {\"address\": \"" + ip + "\"}}").expect(202);
    Api.Response stale = v235.post(NOVA + "/servers/" + first + "/action", "{\"removeFloatingIp\": {\"address\": \"" + ip + "\"}}");
    assertThat(stale.status()).isEqualTo(409);

    // A second floating IP of the same pool on the same fixed address is a 400, as Nova maps it.
    String other = v235.post(NOVA + "/os-floating-ips", "{\"pool\": \"public\"}").expect(200).at("/floating_ip/ip").asText();
    assertThat(v235.post(NOVA + "/servers/" + second + "/action", "{\"addFloatingIp\": {\"address\": \"" + other + "\"}}")
            .status())
        .isEqualTo(400);
    assertThat(v235.post(NOVA + "/servers/" + second + "/action", "{\"addFloatingIp\": {\"address\": \"0.0.0.0\"}}").status())
        .isEqualTo(404);
    assertThat(v235.post(NOVA + "/servers/" + second + "/action", "{\"removeFloatingIp\": {\"address\": \"0.0.0.0\"}}").status())
        .isEqualTo(404);
    assertThat(v235.post(NOVA + "/servers/" + second + "/action", "{\"addFloatingIp\": {\"address\": \"\"}}").status())
        .isEqualTo(400);
    v235.post(NOVA + "/servers/" + second + "/action", "{\"removeFloatingIp\": {\"address\": \"" + ip + "\"}}").expect(202);

    Api.Response list = v235.get(NOVA + "/os-floating-ips");
    schemas.check("compute.v2_1.floating_ips.list_floating_ips", list);
    assertThat(list.json().get("floating_ips").findValuesAsText("ip")).contains(ip, other);
    assertThat(v235.delete(NOVA + "/os-floating-ips/" + id).status()).isEqualTo(202);
    assertThat(v235.get(NOVA + "/os-floating-ips/" + id).status()).isEqualTo(404);
    assertThat(v235.delete(NOVA + "/os-floating-ips/8a4a1e6c-0000-4000-8000-00000000000a").status()).isEqualTo(404);
    // Gone from 2.36 (the proxies) and 2.44 (the actions), as in Nova.
    assertThat(api.withHeader("OpenStack-API-Version", "compute 2.36").get(NOVA + "/os-floating-ips").status())
        .isEqualTo(404);
    assertThat(api.withHeader("OpenStack-API-Version", "compute 2.44")
            .post(NOVA + "/servers/" + second + "/action", "{\"addFloatingIp\": {\"address\": \"" + other + "\"}}").status())
        .isEqualTo(404);
    schemas.verify();
    Cloud.deleteServer(api, first);
    Cloud.deleteServer(api, second);
  }
}
