package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Neutron v2.0 over HTTP: networks, subnets, ports, bindings, policy and the fault bodies. */
class NetworkApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String memberProject;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "netuser");
    memberProject = tenant.projectId();
    member = tenant.api();
  }

  private static String network(Api api, String name) {
    Api.Response r = api.post(NET + "/networks", "{\"network\": {\"name\": \"" + name + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().at("/network/id").asText();
  }

  private static String subnet(Api api, String networkId, String cidr) {
    Api.Response r =
        api.post(
            NET + "/subnets",
            "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": "
                + (cidr.contains(":") ? 6 : 4) + ", \"cidr\": \"" + cidr + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().at("/subnet/id").asText();
  }

  private static Api.Response port(Api api, String body) {
    return api.post(NET + "/ports", "{\"port\": " + body + "}");
  }

  @Test
  void extensionsListPortBindings() {
    JsonNode extensions = member.get(NET + "/extensions").json().get("extensions");
    assertThat(extensions.findValuesAsText("alias")).contains("binding", "binding-extended", "security-group");
    assertThat(member.get(NET + "/extensions/binding-extended").status()).isEqualTo(200);
  }

  @Test
  void networkCrudWithFiltersFieldsAndPagination() {
    String a = network(member, "page-a");
    network(member, "page-b");
    network(member, "page-c");
    JsonNode one = member.get(NET + "/networks?name=page-a").json();
    assertThat(one.get("networks")).hasSize(1);
    assertThat(one.at("/networks/0/id").asText()).isEqualTo(a);
    assertThat(one.at("/networks/0/status").asText()).isEqualTo("ACTIVE");
    assertThat(one.at("/networks/0/project_id").asText()).isEqualTo(memberProject);

    JsonNode trimmed = member.get(NET + "/networks?name=page-a&fields=id&fields=name").json();
    assertThat(trimmed.at("/networks/0").size()).isEqualTo(2);

    JsonNode page = member.get(NET + "/networks?limit=2&sort_key=name&sort_dir=desc").json();
    assertThat(page.get("networks")).hasSize(2);
    String next = page.at("/networks_links/0/href").asText();
    assertThat(next).contains("marker=");
    JsonNode rest = member.get(next.substring(kiln.baseUrl().length()) + "&sort_key=name&sort_dir=desc").json();
    assertThat(rest.get("networks").size()).isGreaterThanOrEqualTo(1);

    Api.Response renamed =
        member.put(NET + "/networks/" + a, "{\"network\": {\"name\": \"page-a2\", \"mtu\": 1400}}");
    assertThat(renamed.json().at("/network/mtu").asInt()).isEqualTo(1400);
    assertThat(renamed.json().at("/network/revision_number").asInt()).isEqualTo(2);
    assertThat(member.delete(NET + "/networks/" + a).status()).isEqualTo(204);
    Api.Response gone = member.get(NET + "/networks/" + a);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/NeutronError/type").asText()).isEqualTo("NetworkNotFound");
  }

  @Test
  void listsPageBothWaysAsNeutronDoes() {
    for (String name : List.of("pg-b", "pg-a", "pg-d", "pg-c")) {
      network(member, name);
    }
    String query = NET + "/networks?name=pg-a&name=pg-b&name=pg-c&name=pg-d&sort_key=name&sort_dir=asc";
    assertThat(member.get(query + "&limit=0").expect(200).get("networks")).hasSize(4);
    assertThat(member.get(query + "&limit=0").expect(200).has("networks_links")).isFalse();
    assertThat(member.get(query + "&limit=-1").status()).isEqualTo(400);

    JsonNode first = member.get(query + "&limit=2").expect(200);
    assertThat(first.get("networks").findValuesAsText("name")).containsExactly("pg-a", "pg-b");
    String next = link(first, "next");
    assertThat(next).contains("sort_key=name").doesNotContain("page_reverse");
    JsonNode second = member.get(next.substring(kiln.baseUrl().length())).expect(200);
    assertThat(second.get("networks").findValuesAsText("name")).containsExactly("pg-c", "pg-d");
    JsonNode empty = member.get(link(second, "next").substring(kiln.baseUrl().length())).expect(200);
    assertThat(empty.get("networks")).isEmpty();
    assertThat(link(empty, "next")).as("a short page read forwards has no next").isNull();

    // Backwards from the marker: the page just before it, still in ascending order.
    String d = second.at("/networks/1/id").asText();
    JsonNode before = member.get(query + "&limit=2&page_reverse=True&marker=" + d).expect(200);
    assertThat(before.get("networks").findValuesAsText("name")).containsExactly("pg-b", "pg-c");
    JsonNode earlier = member.get(link(before, "previous").substring(kiln.baseUrl().length())).expect(200);
    assertThat(earlier.get("networks").findValuesAsText("name")).containsExactly("pg-a");
    assertThat(link(earlier, "previous")).as("a short page read backwards has no previous").isNull();
    JsonNode lastPage = member.get(query + "&limit=2&page_reverse=true").expect(200);
    assertThat(lastPage.get("networks").findValuesAsText("name")).containsExactly("pg-c", "pg-d");
  }

  private static String link(JsonNode body, String rel) {
    for (JsonNode l : body.path("networks_links")) {
      if (l.get("rel").asText().equals(rel)) {
        return l.get("href").asText();
      }
    }
    return null;
  }

  @Test
  void ipv6ModesMustAgreeWhenBothAreGiven() {
    String net = network(member, "v6-modes");
    Api.Response mixed = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6,"
        + " \"cidr\": \"2001:db8:1::/64\", \"ipv6_ra_mode\": \"slaac\", \"ipv6_address_mode\": \"dhcpv6-stateful\"}}");
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.json().at("/NeutronError/message").asText()).contains("must be the same");
    Api.Response unknown = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6,"
        + " \"cidr\": \"2001:db8:1::/64\", \"ipv6_address_mode\": \"dhcp\"}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/NeutronError/message").asText()).contains("ipv6_address_mode");
    member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6,"
        + " \"cidr\": \"2001:db8:1::/64\", \"ipv6_ra_mode\": \"slaac\", \"ipv6_address_mode\": \"slaac\"}}").expect(201);
    assertThat(member.get(NET + "/subnets?network_id=" + net).expect(200).get("subnets")).hasSize(1);
  }

  @Test
  void deletingASlaacSubnetTakesItsAddressesOffThePorts() {
    String net = network(member, "v6-slaac");
    String v4 = subnet(member, net, "10.61.0.0/24");
    String v6 = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6,"
        + " \"cidr\": \"2001:db8:2::/64\", \"ipv6_ra_mode\": \"slaac\", \"ipv6_address_mode\": \"slaac\"}}")
        .expect(201).at("/subnet/id").asText();
    JsonNode port = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\","
        + " \"mac_address\": \"fa:16:3e:01:ae:20\"}}").expect(201).get("port");
    assertThat(port.get("fixed_ips")).hasSize(2);
    // The host makes its own address from the prefix and its MAC (EUI-64), and Neutron records that one.
    assertThat(port.get("fixed_ips").findValuesAsText("ip_address")).contains("2001:db8:2:0:f816:3eff:fe01:ae20");
    member.delete(NET + "/subnets/" + v6).expect(204);
    JsonNode after = member.get(NET + "/ports/" + port.get("id").asText()).expect(200).get("port");
    assertThat(after.get("fixed_ips")).hasSize(1);
    assertThat(after.at("/fixed_ips/0/subnet_id").asText()).isEqualTo(v4);
    assertThat(after.get("revision_number").asLong()).isGreaterThan(port.get("revision_number").asLong());
    // An address a port was given on a stateful subnet still keeps that subnet.
    assertThat(member.delete(NET + "/subnets/" + v4).status()).isEqualTo(409);
  }

  @Test
  void providerAttributesAreAdminsToSetAndSee() {
    JsonNode vlan = admin.post(NET + "/networks", "{\"network\": {\"name\": \"prov-vlan\", \"provider:network_type\": \"vlan\","
        + " \"provider:physical_network\": \"physnet1\", \"provider:segmentation_id\": 1234}}").expect(201).get("network");
    assertThat(vlan.get("provider:network_type").asText()).isEqualTo("vlan");
    assertThat(vlan.get("provider:physical_network").asText()).isEqualTo("physnet1");
    assertThat(vlan.get("provider:segmentation_id").asInt()).isEqualTo(1234);
    Api.Response sameVlan = admin.post(NET + "/networks", "{\"network\": {\"provider:network_type\": \"vlan\","
        + " \"provider:physical_network\": \"physnet1\", \"provider:segmentation_id\": 1234}}");
    assertThat(sameVlan.status()).isEqualTo(409);
    assertThat(sameVlan.json().at("/NeutronError/type").asText()).isEqualTo("VlanIdInUse");
    Api.Response outOfRange = admin.post(NET + "/networks", "{\"network\": {\"provider:network_type\": \"vlan\","
        + " \"provider:segmentation_id\": 5000}}");
    assertThat(outOfRange.status()).isEqualTo(400);
    JsonNode flat = admin.post(NET + "/networks", "{\"network\": {\"provider:network_type\": \"flat\","
        + " \"provider:physical_network\": \"flat-only\"}}").expect(201).get("network");
    assertThat(flat.get("provider:segmentation_id").isNull()).isTrue();
    assertThat(admin.post(NET + "/networks", "{\"network\": {\"provider:network_type\": \"flat\","
        + " \"provider:physical_network\": \"flat-only\"}}").status()).isEqualTo(409);

    // A member's network is on a VXLAN id of its own, which only admins see.
    String mine = network(member, "prov-member");
    JsonNode seenByAdmin = admin.get(NET + "/networks/" + mine).expect(200).get("network");
    assertThat(seenByAdmin.get("provider:network_type").asText()).isEqualTo("vxlan");
    assertThat(seenByAdmin.get("provider:physical_network").isNull()).isTrue();
    assertThat(seenByAdmin.get("provider:segmentation_id").asLong()).isPositive();
    assertThat(member.get(NET + "/networks/" + mine).expect(200).get("network").has("provider:network_type")).isFalse();
    assertThat(admin.get(NET + "/networks?provider:network_type=vlan&name=prov-vlan").expect(200).get("networks")).hasSize(1);

    Api.Response memberSets = member.post(NET + "/networks", "{\"network\": {\"provider:network_type\": \"vlan\"}}");
    assertThat(memberSets.status()).isEqualTo(403);
    assertThat(member.put(NET + "/networks/" + mine, "{\"network\": {\"provider:segmentation_id\": 7}}").status())
        .isEqualTo(403);
    assertThat(admin.put(NET + "/networks/" + mine, "{\"network\": {\"provider:segmentation_id\": 7}}").status())
        .isEqualTo(400);
  }

  @Test
  void agentsListIsEmptyForEveryoneSinceNoAgentsRun() {
    assertThat(member.get(NET + "/agents").expect(200).get("agents")).isEmpty();
    assertThat(admin.get(NET + "/agents").expect(200).get("agents")).isEmpty();
    Api.Response one = admin.get(NET + "/agents/00000000-0000-0000-0000-000000000000");
    assertThat(one.status()).isEqualTo(404);
    assertThat(one.json().at("/NeutronError/type").asText()).isEqualTo("AgentNotFound");
  }

  @Test
  void unknownFilterAndUnknownFieldAre400() {
    assertThat(member.get(NET + "/networks?colour=blue").status()).isEqualTo(400);
    Api.Response r = member.post(NET + "/networks", "{\"network\": {\"name\": \"x\", \"colour\": \"blue\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/NeutronError/message").asText()).contains("'network/colour'");
  }

  @Test
  void subnetValidation() {
    String net = network(member, "validated");
    Api.Response bad = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.300/24\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/NeutronError/message").asText()).contains("not a valid IP subnet");
    Api.Response hostBits = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.1/24\"}}");
    assertThat(hostBits.status()).isEqualTo(400);
    assertThat(hostBits.json().at("/NeutronError/message").asText()).contains("'10.0.0.0/24' is recommended");
    Api.Response family = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6, \"cidr\": \"10.0.0.0/24\"}}");
    assertThat(family.status()).isEqualTo(400);

    Api.Response ok = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\", \"dns_nameservers\": [\"8.8.8.8\"]}}");
    assertThat(ok.status()).isEqualTo(201);
    JsonNode subnet = ok.json().get("subnet");
    assertThat(subnet.get("gateway_ip").asText()).isEqualTo("10.0.0.1");
    assertThat(subnet.at("/allocation_pools/0/start").asText()).isEqualTo("10.0.0.2");
    assertThat(subnet.at("/allocation_pools/0/end").asText()).isEqualTo("10.0.0.254");
    assertThat(subnet.get("enable_dhcp").asBoolean()).isTrue();

    Api.Response overlap = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.128/25\"}}");
    assertThat(overlap.status()).isEqualTo(400);
    assertThat(overlap.json().at("/NeutronError/message").asText()).contains("overlaps with another subnet");

    Api.Response gatewayInPool = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.1.0.0/24\", \"allocation_pools\": [{\"start\": \"10.1.0.1\", \"end\": \"10.1.0.20\"}]}}");
    assertThat(gatewayInPool.status()).isEqualTo(409);
    assertThat(gatewayInPool.json().at("/NeutronError/type").asText()).isEqualTo("GatewayConflictWithAllocationPools");

    JsonNode v6 = member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6, \"cidr\": \"fd00:0:0:1::/64\"}}").json().get("subnet");
    assertThat(v6.get("cidr").asText()).isEqualTo("fd00:0:0:1::/64");
    assertThat(v6.get("gateway_ip").asText()).isEqualTo("fd00:0:0:1::1");
  }

  @Test
  void macAddressesInNeutronsOtherSpellingsAreStoredInColonForm() {
    String net = network(member, "mac-spellings");
    subnet(member, net, "192.168.11.0/24");
    for (String[] spelling : new String[][] {
        {"00-00-00-00-BB-BB", "00:00:00:00:bb:bb"}, {"0:0:0:0:bb:bc", "00:00:00:00:bb:bc"},
        {"0000.0000.bbbd", "00:00:00:00:bb:bd"}, {"00000000BBBE", "00:00:00:00:bb:be"}}) {
      JsonNode made = port(member, "{\"network_id\": \"" + net + "\", \"mac_address\": \"" + spelling[0] + "\"}").expect(201);
      assertThat(made.at("/port/mac_address").asText()).as(spelling[0]).isEqualTo(spelling[1]);
    }
    Api.Response mixed = port(member, "{\"network_id\": \"" + net + "\", \"mac_address\": \"00:00-00:00:bb:bf\"}");
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(mixed.json().at("/NeutronError/message").asText()).contains("is not a valid MAC address");
  }

  @Test
  void portsGetAddressesAndMacsAndReleaseThemOnDelete() {
    String net = network(member, "addresses");
    String sub = subnet(member, net, "192.168.10.0/24");
    JsonNode p1 = port(member, "{\"network_id\": \"" + net + "\", \"name\": \"p1\"}").json().get("port");
    assertThat(p1.at("/fixed_ips/0/ip_address").asText()).isEqualTo("192.168.10.2");
    assertThat(p1.at("/fixed_ips/0/subnet_id").asText()).isEqualTo(sub);
    assertThat(p1.get("mac_address").asText()).matches("fa:16:3e(:[0-9a-f]{2}){3}");
    assertThat(p1.get("status").asText()).isEqualTo("DOWN");
    assertThat(p1.get("security_groups")).hasSize(1);
    assertThat(p1.has("binding:host_id")).as("hidden from members").isFalse();

    Api.Response wanted = port(member, "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"192.168.10.50\"}]}");
    assertThat(wanted.json().at("/port/fixed_ips/0/ip_address").asText()).isEqualTo("192.168.10.50");
    Api.Response taken = port(member, "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"192.168.10.50\"}]}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().at("/NeutronError/type").asText()).isEqualTo("IpAddressAlreadyAllocated");
    Api.Response outside = port(member, "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"subnet_id\": \"" + sub + "\", \"ip_address\": \"10.9.9.9\"}]}");
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.json().at("/NeutronError/type").asText()).isEqualTo("InvalidIpForSubnet");

    String mac = p1.get("mac_address").asText();
    Api.Response sameMac = port(member, "{\"network_id\": \"" + net + "\", \"mac_address\": \"" + mac + "\"}");
    assertThat(sameMac.status()).isEqualTo(409);
    assertThat(sameMac.json().at("/NeutronError/type").asText()).isEqualTo("MacAddressInUse");

    assertThat(member.get(NET + "/ports?fixed_ips=ip_address%3D192.168.10.50").json().get("ports")).hasSize(1);
    assertThat(member.get(NET + "/ports?mac_address=" + mac).json().at("/ports/0/id").asText()).isEqualTo(p1.get("id").asText());
    assertThat(member.get(NET + "/ports?network_id=" + net).json().get("ports")).hasSize(2);

    Api.Response inUse = member.delete(NET + "/networks/" + net);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().at("/NeutronError/type").asText()).isEqualTo("NetworkInUse");

    String id50 = wanted.json().at("/port/id").asText();
    assertThat(member.delete(NET + "/ports/" + id50).status()).isEqualTo(204);
    assertThat(port(member, "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"192.168.10.50\"}]}").status())
        .as("the address came back when its port was deleted")
        .isEqualTo(201);
  }

  @Test
  void concurrentCreatesOnASmallSubnetGetDistinctAddressesOrACleanConflict() throws Exception {
    String net = network(member, "crowded");
    subnet(member, net, "172.16.5.0/29"); // .2 to .6: five addresses
    int requests = 12;
    List<Api.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(requests)) {
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(pool.submit(() -> port(member, "{\"network_id\": \"" + net + "\"}")));
      }
      for (Future<Api.Response> f : futures) {
        answers.add(f.get());
      }
    }
    Set<String> addresses = new HashSet<>();
    int created = 0;
    for (Api.Response r : answers) {
      if (r.status() == 201) {
        created++;
        addresses.add(r.json().at("/port/fixed_ips/0/ip_address").asText());
      } else {
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.json().at("/NeutronError/type").asText()).isEqualTo("IpAddressGenerationFailure");
      }
    }
    assertThat(created).isEqualTo(5);
    assertThat(addresses).containsExactlyInAnyOrder("172.16.5.2", "172.16.5.3", "172.16.5.4", "172.16.5.5", "172.16.5.6");
  }

  @Test
  void tenantsAreIsolatedButSharedNetworksAreVisible() {
    String adminNet = network(admin, "admins-only");
    assertThat(member.get(NET + "/networks/" + adminNet).status()).isEqualTo(404);
    assertThat(member.get(NET + "/networks").json().get("networks").findValuesAsText("id")).doesNotContain(adminNet);
    Api.Response shared = admin.post(NET + "/networks", "{\"network\": {\"name\": \"public\", \"shared\": true}}");
    String sharedId = shared.json().at("/network/id").asText();
    subnet(admin, sharedId, "203.0.113.0/24");
    assertThat(member.get(NET + "/networks/" + sharedId).status()).isEqualTo(200);
    assertThat(port(member, "{\"network_id\": \"" + sharedId + "\"}").status()).isEqualTo(201);
    Api.Response notShared = member.post(NET + "/networks", "{\"network\": {\"name\": \"mine\", \"shared\": true}}");
    assertThat(notShared.status()).isEqualTo(403);
    assertThat(notShared.json().at("/NeutronError/type").asText()).isEqualTo("PolicyNotAuthorized");
  }

  @Test
  void portOnAnUnknownNetworkIs404AndAForeignProjectIs400() {
    Api.Response unknown = port(member, "{\"network_id\": \"no-such-network\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/NeutronError/type").asText()).isEqualTo("NetworkNotFound");
    Api.Response foreign =
        member.post(NET + "/networks", "{\"network\": {\"name\": \"x\", \"project_id\": \"someone-else\"}}");
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.json().at("/NeutronError/message").asText()).contains("requires admin privileges");
  }

  @Test
  void membersCannotSetBindingFields() {
    String net = network(member, "nobind");
    Api.Response r = port(member, "{\"network_id\": \"" + net + "\", \"binding:host_id\": \"kiln-compute-1\"}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(member.get(NET + "/ports?network_id=" + net).json().get("ports")).isEmpty();
  }

  @Test
  void portBindingsForLiveMigration() {
    String net = network(admin, "migrating");
    subnet(admin, net, "10.20.0.0/24");
    String portId =
        port(admin, "{\"network_id\": \"" + net + "\", \"device_id\": \"vm-1\", \"device_owner\": \"compute:nova\", \"binding:host_id\": \"kiln-compute-1\"}")
            .json().at("/port/id").asText();
    JsonNode bound = admin.get(NET + "/ports/" + portId).json().get("port");
    assertThat(bound.get("binding:host_id").asText()).isEqualTo("kiln-compute-1");
    assertThat(bound.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(bound.get("binding:vif_type").asText()).isEqualTo("ovs");

    String bindings = NET + "/ports/" + portId + "/bindings";
    Api.Response unknownHost = admin.post(bindings, "{\"binding\": {\"host\": \"no-such-host\"}}");
    assertThat(unknownHost.status()).isEqualTo(400);
    assertThat(unknownHost.json().at("/NeutronError/message").asText()).contains("no-such-host");
    assertThat(admin.get(bindings).json().get("bindings")).hasSize(1);

    Api.Response inactive = admin.post(bindings, "{\"binding\": {\"host\": \"kiln-compute-2\"}}");
    assertThat(inactive.status()).isEqualTo(201);
    assertThat(inactive.json().at("/binding/status").asText()).isEqualTo("INACTIVE");
    assertThat(admin.post(bindings, "{\"binding\": {\"host\": \"kiln-compute-2\"}}").status()).isEqualTo(409);

    Api.Response activated = admin.put(bindings + "/kiln-compute-2/activate", null);
    assertThat(activated.status()).isEqualTo(200);
    assertThat(activated.json().at("/binding/status").asText()).isEqualTo("ACTIVE");
    assertThat(admin.get(bindings + "/kiln-compute-1").json().at("/binding/status").asText()).isEqualTo("INACTIVE");
    assertThat(admin.get(NET + "/ports/" + portId).json().at("/port/binding:host_id").asText()).isEqualTo("kiln-compute-2");
    Api.Response again = admin.put(bindings + "/kiln-compute-2/activate", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/NeutronError/type").asText()).isEqualTo("PortBindingAlreadyActive");

    assertThat(admin.delete(bindings + "/kiln-compute-1").status()).isEqualTo(204);
    assertThat(admin.get(bindings).json().get("bindings")).hasSize(1);
    assertThat(admin.get(bindings + "/kiln-compute-1").status()).isEqualTo(404);
    assertThat(member.get(bindings).status()).isEqualTo(403);
  }

  @Test
  void aDeletedPortsAddressIsTheNextOneGiven() {
    String net = network(member, "reuse");
    subnet(member, net, "10.99.0.0/24");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(port(member, "{\"network_id\": \"" + net + "\"}").json().at("/port/id").asText());
    }
    assertThat(member.get(NET + "/ports/" + ids.get(2)).json().at("/port/fixed_ips/0/ip_address").asText()).isEqualTo("10.99.0.4");
    member.delete(NET + "/ports/" + ids.get(1)).expect(204);
    JsonNode next = port(member, "{\"network_id\": \"" + net + "\"}").json();
    assertThat(next.at("/port/fixed_ips/0/ip_address").asText()).isEqualTo("10.99.0.3");
    JsonNode after = port(member, "{\"network_id\": \"" + net + "\"}").json();
    assertThat(after.at("/port/fixed_ips/0/ip_address").asText()).isEqualTo("10.99.0.5");
  }

  @Test
  void allowedAddressPairsTakeTheMacOfThePortAndNeedPortSecurity() {
    String net = network(member, "pairs");
    subnet(member, net, "10.98.0.0/24");
    JsonNode port =
        port(member, "{\"network_id\": \"" + net + "\", \"allowed_address_pairs\": [{\"ip_address\": \"10.98.0.200\"},"
            + " {\"ip_address\": \"10.98.1.0/24\", \"mac_address\": \"fa:16:3e:00:00:01\"}]}").json().get("port");
    String id = port.get("id").asText();
    assertThat(port.at("/allowed_address_pairs/0/mac_address").asText()).isEqualTo(port.get("mac_address").asText());
    assertThat(port.at("/allowed_address_pairs/1/ip_address").asText()).isEqualTo("10.98.1.0/24");

    Api.Response off = member.put(NET + "/ports/" + id, "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}");
    assertThat(off.status()).isEqualTo(409);
    assertThat(off.json().at("/NeutronError/type").asText()).isEqualTo("AddressPairAndPortSecurityRequired");
    Api.Response twice =
        member.put(NET + "/ports/" + id, "{\"port\": {\"allowed_address_pairs\": [{\"ip_address\": \"10.98.0.9\"}, {\"ip_address\": \"10.98.0.9\"}]}}");
    assertThat(twice.status()).isEqualTo(400);
    Api.Response bad = member.put(NET + "/ports/" + id, "{\"port\": {\"allowed_address_pairs\": [{\"ip_address\": \"nope\"}]}}");
    assertThat(bad.status()).isEqualTo(400);

    JsonNode renamed = member.put(NET + "/ports/" + id, "{\"port\": {\"name\": \"kept\"}}").expect(200).get("port");
    assertThat(renamed.get("allowed_address_pairs")).as("a change of other fields keeps them").hasSize(2);
    JsonNode cleared = member.put(NET + "/ports/" + id, "{\"port\": {\"allowed_address_pairs\": []}}").expect(200).get("port");
    assertThat(cleared.get("allowed_address_pairs")).isEmpty();
  }
}
