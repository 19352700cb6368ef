package dev.kiln.compute.servers;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Servers over HTTP: boot with a network or a port, show, list, metadata, faults and delete. */
class ServersApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String memberProject;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "srvuser");
    memberProject = tenant.projectId();
    member = tenant.api();
    // These tests fill the fleet: the project's quotas must not be what refuses a boot.
    Cloud.unlimitedServers(admin, memberProject);
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "private", "10.1.0.0/24");
  }

  private static String boot(Api api, String name, String flavor, String networks) {
    JsonNode created =
        api.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"" + flavor + "\", \"imageRef\": \"" + imageId
                + "\", \"networks\": " + networks + "}}").expect(202);
    assertThat(created.at("/server/adminPass").asText()).isNotEmpty();
    assertThat(created.at("/server/OS-DCF:diskConfig").asText()).isEqualTo("MANUAL");
    return created.at("/server/id").asText();
  }

  private static String flavor(String name, int vcpus, int ram, int disk) {
    return admin.post(
        NOVA + "/flavors",
        "{\"flavor\": {\"name\": \"" + name + "\", \"vcpus\": " + vcpus + ", \"ram\": " + ram + ", \"disk\": " + disk + "}}").expect(200)
        .at("/flavor/id").asText();
  }

  @Test
  void bootWithANetworkGetsAnAddressAndComputesPortGoesWithTheServer() {
    String id = boot(member, "web-1", "1", "[{\"uuid\": \"" + networkId + "\"}]");
    JsonNode server = Cloud.awaitBuilt(member, id, "ACTIVE");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("active");
    assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);
    assertThat(server.get("metadata").isObject()).isTrue();
    assertThat(server.get("tenant_id").asText()).isEqualTo(memberProject);
    assertThat(server.get("hostId").asText()).hasSize(56);
    assertThat(server.has("OS-EXT-SRV-ATTR:host")).isFalse();
    assertThat(server.at("/image/id").asText()).isEqualTo(imageId);
    assertThat(server.at("/flavor/id").asText()).isEqualTo("1");
    JsonNode address = server.at("/addresses/private/0");
    assertThat(address.get("version").asInt()).isEqualTo(4);
    assertThat(address.get("addr").asText()).startsWith("10.1.0.");
    assertThat(address.get("OS-EXT-IPS:type").asText()).isEqualTo("fixed");

    JsonNode ports = member.get(NET + "/ports?device_id=" + id).expect(200).get("ports");
    assertThat(ports).hasSize(1);
    String portId = ports.get(0).get("id").asText();
    JsonNode port = admin.get(NET + "/ports/" + portId).expect(200).get("port");
    assertThat(port.get("device_owner").asText()).startsWith("compute:");
    assertThat(port.get("mac_address").asText()).isEqualTo(address.get("OS-EXT-IPS-MAC:mac_addr").asText());

    JsonNode asAdmin = admin.get(NOVA + "/servers/" + id).expect(200).get("server");
    String host = asAdmin.get("OS-EXT-SRV-ATTR:host").asText();
    assertThat(host).startsWith("kiln-compute-");
    JsonNode hypervisors = admin.get(NOVA + "/os-hypervisors/" + host + "/servers").expect(200);
    assertThat(hypervisors.toString()).contains(id);

    JsonNode v247 = member.withHeader("OpenStack-API-Version", "compute 2.47").get(NOVA + "/servers/" + id).expect(200).get("server");
    assertThat(v247.at("/flavor/original_name").asText()).isEqualTo("m1.tiny");
    assertThat(v247.at("/flavor/vcpus").asInt()).isEqualTo(1);
    assertThat(v247.get("description").isNull()).isTrue();
    assertThat(v247.get("locked").asBoolean()).isFalse();
    assertThat(v247.get("tags").isArray()).isTrue();

    JsonNode v279 = admin.withHeader("OpenStack-API-Version", "compute 2.79").get(NOVA + "/servers/" + id).expect(200).get("server");
    assertThat(v279.get("host_status").asText()).isEqualTo("UP");
    assertThat(v279.get("server_groups").isArray()).isTrue();
    assertThat(v279.get("OS-EXT-SRV-ATTR:hostname").asText()).isEqualTo("web-1");
    assertThat(v279.has("locked_reason")).isTrue();

    Cloud.deleteServer(member, id);
    assertThat(member.get(NET + "/ports/" + portId).status()).isEqualTo(404);
  }

  @Test
  void autoTakesTheProjectsOnlyNetwork() {
    JsonNode created =
        member.withHeader("OpenStack-API-Version", "compute 2.37").post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"auto\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": \"auto\"}}").expect(202);
    String id = created.at("/server/id").asText();
    assertThat(Cloud.awaitBuilt(member, id, "ACTIVE").at("/addresses/private/0/addr").asText()).startsWith("10.1.0.");
    Cloud.deleteServer(member, id);
  }

  @Test
  void bootWithAFixedIpGetsThatAddress() {
    String id = boot(member, "fixed", "1", "[{\"uuid\": \"" + networkId + "\", \"fixed_ip\": \"10.1.0.77\"}]");
    JsonNode server = Cloud.awaitBuilt(member, id, "ACTIVE");
    assertThat(server.at("/addresses/private/0/addr").asText()).isEqualTo("10.1.0.77");
    assertThat(server.get("OS-EXT-STS:task_state").isNull()).isTrue();
    Cloud.deleteServer(member, id);
  }

  @Test
  void bootWithAUserPortBindsItAndDeleteOnlyUnplugsIt() {
    JsonNode before =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\", \"name\": \"mine\"}}").expect(201).get("port");
    String portId = before.get("id").asText();
    String id = boot(member, "web-2", "1", "[{\"port\": \"" + portId + "\"}]");
    JsonNode server = Cloud.awaitBuilt(admin, id, "ACTIVE");
    JsonNode bound = admin.get(NET + "/ports/" + portId).expect(200).get("port");
    assertThat(bound.get("device_id").asText()).isEqualTo(id);
    assertThat(bound.get("device_owner").asText()).isEqualTo("compute:" + server.get("OS-EXT-AZ:availability_zone").asText());
    assertThat(bound.get("binding:host_id").asText()).isEqualTo(server.get("OS-EXT-SRV-ATTR:host").asText());
    assertThat(server.at("/addresses/private/0/addr").asText()).isEqualTo(before.at("/fixed_ips/0/ip_address").asText());

    // A second server cannot take the port.
    assertThat(member.post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"thief\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
            + "\", \"networks\": [{\"port\": \"" + portId + "\"}]}}").status()).isEqualTo(409);

    Cloud.deleteServer(member, id);
    JsonNode after = member.get(NET + "/ports/" + portId).expect(200).get("port");
    assertThat(after.get("device_id").asText()).isEmpty();
    assertThat(after.get("device_owner").asText()).isEmpty();
    assertThat(after.get("mac_address").asText()).isEqualTo(before.get("mac_address").asText());
    assertThat(after.get("fixed_ips")).isEqualTo(before.get("fixed_ips"));
  }

  @Test
  void badReferencesAreRefusedAndCreateNothing() {
    int servers = member.get(NOVA + "/servers").expect(200).get("servers").size();
    int ports = member.get(NET + "/ports").expect(200).get("ports").size();
    String net = "[{\"uuid\": \"" + networkId + "\"}]";
    Api.Response r = member.post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"999\", \"imageRef\": \"" + imageId + "\", \"networks\": " + net + "}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/badRequest/message").asText()).isEqualTo("Flavor 999 could not be found.");
    String missing = "8b7f3e4c-0000-4000-8000-000000000000";
    r = member.post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + missing + "\", \"networks\": " + net + "}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/badRequest/message").asText()).isEqualTo("Image " + missing + " could not be found.");
    r = member.post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"uuid\": \"" + missing + "\"}]}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/badRequest/message").asText()).isEqualTo("Network " + missing + " could not be found.");
    // "auto" takes the project's one network; with two it is ambiguous.
    String other = member.post(NET + "/networks", "{\"network\": {\"name\": \"other\"}}").expect(201).at("/network/id").asText();
    r = member.withHeader("OpenStack-API-Version", "compute 2.37").post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"auto\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    member.delete(NET + "/networks/" + other).expect(204);
    r = member.post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"user_data\": \"not base64!\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    r = member.post(NOVA + "/servers",
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": [{\"port\": \"" + missing + "\"}]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().at("/badRequest/message").asText()).isEqualTo("Port id " + missing + " could not be found.");
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).hasSize(servers);
    assertThat(member.get(NET + "/ports").expect(200).get("ports")).hasSize(ports);
    assertThat(member.get(NOVA + "/servers/" + missing).status()).isEqualTo(404);
  }

  @Test
  void aFailingSpawnEndsInErrorWithItsMessageAndFreesEverything() {
    admin.put(NOVA + "/os-kiln-faults/spawn", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    String id = boot(member, "doomed", "1", "[{\"uuid\": \"" + networkId + "\"}]");
    JsonNode server = Cloud.awaitBuilt(member, id, "ERROR");
    assertThat(server.get("OS-EXT-STS:vm_state").asText()).isEqualTo("error");
    assertThat(server.at("/fault/code").asInt()).isEqualTo(500);
    assertThat(server.at("/fault/message").asText()).contains("Simulated failure of spawn for instance " + id);
    assertThat(member.get(NET + "/ports?device_id=" + id).expect(200).get("ports")).isEmpty();
    assertThat(server.get("addresses").size()).isZero();
    Cloud.deleteServer(member, id);
  }

  @Test
  void aFlavorTooLargeForEveryHostEndsInNoValidHost() {
    String huge = flavor("huge", 64, 1024, 1);
    String id = boot(member, "huge", huge, "[]");
    JsonNode server = Cloud.awaitBuilt(member, id, "ERROR");
    assertThat(server.at("/fault/message").asText()).isEqualTo("No valid host was found. There are not enough hosts available.");
    assertThat(server.at("/fault/code").asInt()).isEqualTo(500);
    Cloud.deleteServer(member, id);
    admin.delete(NOVA + "/flavors/" + huge).expect(202);
  }

  @Test
  void concurrentBootsOnANearlyFullFleetNeverOvercommit() {
    // Each host (16 vCPUs) fits one server of 10 vCPUs; four boots race for three hosts.
    String big = flavor("big", 10, 1024, 1);
    List<String> ids = Race.run(4, n -> boot(member, "big-" + n, big, "[]"));
    Set<String> hosts = new HashSet<>();
    int active = 0;
    int noValidHost = 0;
    for (String id : ids) {
      JsonNode s = waitForAny(id);
      if (s.get("status").asText().equals("ACTIVE")) {
        active++;
        hosts.add(s.get("OS-EXT-SRV-ATTR:host").asText());
      } else {
        assertThat(s.at("/fault/message").asText()).startsWith("No valid host");
        noValidHost++;
      }
    }
    assertThat(active).isEqualTo(3);
    assertThat(hosts).hasSize(3);
    assertThat(noValidHost).isEqualTo(1);
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
      assertThat(h.get("vcpus_used").asInt()).isLessThanOrEqualTo(h.get("vcpus").asInt());
    }
    ids.forEach(id -> Cloud.deleteServer(member, id));
    admin.delete(NOVA + "/flavors/" + big).expect(202);
  }

  private static JsonNode waitFor(String id) {
    return Cloud.awaitBuilt(admin, id, "ACTIVE");
  }

  private static JsonNode waitForAny(String id) {
    Await.until(() -> !Cloud.serverStatus(admin, id).equals("BUILD"), id + " built");
    return Cloud.server(admin, id);
  }

  @Test
  void deletingAServerWhileItBuildsLeavesNothingBehind() throws Exception {
    admin.put(NOVA + "/os-kiln-faults/spawn", "{\"kiln_fault\": {\"latency_ms\": 300}}").expect(200);
    try {
      int ports = member.get(NET + "/ports").expect(200).get("ports").size();
      String id = boot(member, "short-lived", "1", "[{\"uuid\": \"" + networkId + "\"}]");
      Thread.sleep(100);
      Cloud.deleteServer(member, id);
      Thread.sleep(600);
      assertThat(member.get(NET + "/ports").expect(200).get("ports")).hasSize(ports);
      for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
        assertThat(h.get("vcpus_used").asInt()).as(h.toString()).isZero();
      }
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/spawn").expect(204);
    }
  }

  private static List<String> ids(JsonNode servers) {
    List<String> ids = new ArrayList<>();
    servers.forEach(s -> ids.add(s.get("id").asText()));
    return ids;
  }

  @Test
  void listShowUpdateAndMetadata() {
    String a = boot(member, "alpha", "1", "[]");
    String b = boot(member, "beta", "1", "[]");
    waitFor(a);
    waitFor(b);
    JsonNode list = member.get(NOVA + "/servers").expect(200).get("servers");
    assertThat(ids(list)).containsSubsequence(b, a);
    assertThat(ids(member.get(NOVA + "/servers/detail?name=%5Ealp").expect(200).get("servers"))).containsExactly(a);
    JsonNode page = member.get(NOVA + "/servers?limit=1").expect(200);
    assertThat(page.get("servers")).hasSize(1);
    assertThat(page.at("/servers_links/0/href").asText()).contains("marker=");
    assertThat(ids(member.get(NOVA + "/servers/detail?status=ERROR").expect(200).get("servers"))).doesNotContain(a, b);
    assertThat(ids(member.get(NOVA + "/servers?flavor=1&image=" + imageId).expect(200).get("servers"))).contains(a, b);
    assertThat(ids(member.get(NOVA + "/servers?flavor=2").expect(200).get("servers"))).doesNotContain(a, b);
    assertThat(ids(admin.get(NOVA + "/servers?all_tenants=1&project_id=" + memberProject).expect(200).get("servers"))).contains(a, b);
    assertThat(ids(admin.get(NOVA + "/servers").expect(200).get("servers"))).doesNotContain(a, b);

    JsonNode renamed = member.withHeader("OpenStack-API-Version", "compute 2.19").put(
        NOVA + "/servers/" + a, "{\"server\": {\"name\": \"alpha2\", \"description\": \"first\"}}").expect(200).get("server");
    assertThat(renamed.get("name").asText()).isEqualTo("alpha2");
    assertThat(renamed.get("description").asText()).isEqualTo("first");

    member.put(NOVA + "/servers/" + a + "/metadata", "{\"metadata\": {\"k1\": \"v1\", \"k2\": \"v2\"}}").expect(200);
    member.post(NOVA + "/servers/" + a + "/metadata", "{\"metadata\": {\"k3\": \"v3\"}}").expect(200);
    member.put(NOVA + "/servers/" + a + "/metadata/k1", "{\"meta\": {\"k1\": \"one\"}}").expect(200);
    member.delete(NOVA + "/servers/" + a + "/metadata/k2").expect(204);
    assertThat(member.delete(NOVA + "/servers/" + a + "/metadata/k2").status()).isEqualTo(404);
    assertThat(member.get(NOVA + "/servers/" + a + "/metadata/k1").expect(200).at("/meta/k1").asText()).isEqualTo("one");
    assertThat(member.get(NOVA + "/servers/" + a + "/metadata").expect(200).get("metadata").toString())
        .isEqualTo("{\"k1\":\"one\",\"k3\":\"v3\"}");
    assertThat(member.get(NOVA + "/servers/" + a).expect(200).at("/server/metadata/k3").asText()).isEqualTo("v3");

    Cloud.deleteServer(member, a);
    Cloud.deleteServer(member, b);
  }
}
