package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behaviour Tempest checks Nova for, one test per difference it found: request ids, the versions
 * list, the migrate body, /ips, the update and rebuild bodies, access addresses, reset state,
 * list filters, host hints and the disk config.
 */
class NovaCompatibilityApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final String NOVA = Cloud.NOVA;
  private static Api admin;
  private static Tenant member;
  private static String image;
  private static String networkId;
  private static String adminNetworkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "compat", "compat-user");
    Cloud.unlimitedServers(admin, member.projectId());
    image = Cloud.cirros(member.api());
    networkId = Cloud.network(member.api(), "compat-net", "10.96.0.0/24");
    adminNetworkId = Cloud.network(admin, "compat-admin-net", "10.97.0.0/24");
  }

  private static String create(Api api, String serverFields, String rootFields) {
    return api.post(NOVA + "/servers",
            "{\"server\": {\"name\": \"c\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": [{\"uuid\": \""
                + (api == admin ? adminNetworkId : networkId) + "\"}]" + serverFields + "}" + rootFields + "}")
        .expect(202).at("/server/id").asText();
  }

  @Test
  void computeAnswersCarryNovasRequestIdHeaderToo() {
    Api.Response r = member.api().get(NOVA + "/flavors");
    assertThat(r.header("x-compute-request-id")).isNotNull().isEqualTo(r.header("x-openstack-request-id"));
    assertThat(member.api().get("/networking/v2.0/networks").header("x-compute-request-id")).isNull();
  }

  @Test
  void theRootListsV20BeforeV21() {
    JsonNode versions = kiln.api().get("/compute/").expect(200).get("versions");
    assertThat(versions.get(0).get("id").asText()).isEqualTo("v2.0");
    assertThat(versions.get(0).get("status").asText()).isEqualTo("SUPPORTED");
    assertThat(versions.get(1).get("id").asText()).isEqualTo("v2.1");
  }

  @Test
  void migrateTakesAnEmptyObjectBefore256() {
    String server = Cloud.awaitActive(admin, create(admin, "", ""));
    admin.post(NOVA + "/servers/" + server + "/action", "{\"migrate\": {}}").expect(202);
    Cloud.awaitSettled(admin, server, "VERIFY_RESIZE");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"confirmResize\": null}").expect(204);
  }

  @Test
  void ipsListTheAddressesByNetwork() {
    String server = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    JsonNode all = member.api().get(NOVA + "/servers/" + server + "/ips").expect(200).get("addresses");
    assertThat(all.get("compat-net").get(0).get("version").asInt()).isEqualTo(4);
    assertThat(all.get("compat-net").get(0).get("addr").asText()).startsWith("10.96.0.");
    assertThat(all.get("compat-net").get(0).size()).isEqualTo(2);
    assertThat(member.api().get(NOVA + "/servers/" + server + "/ips/compat-net").expect(200).get("compat-net")).isEqualTo(all.get("compat-net"));
    member.api().get(NOVA + "/servers/" + server + "/ips/other-net").expect(404);
  }

  @Test
  void updateAndRebuildAnswerNovasBodiesForTheirVersion() {
    String server = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    JsonNode updated = member.atNova("2.74").put(NOVA + "/servers/" + server, "{\"server\": {\"name\": \"renamed\"}}").expect(200).get("server");
    assertThat(updated.get("name").asText()).isEqualTo("renamed");
    assertThat(updated.has("OS-EXT-STS:vm_state")).isFalse();
    assertThat(updated.has("key_name")).isFalse();
    assertThat(updated.has("security_groups")).isFalse();
    assertThat(updated.get("server_groups")).isEmpty();
    assertThat(updated.get("locked").asBoolean()).isFalse();
    assertThat(updated.at("/addresses/compat-net/0").has("OS-EXT-IPS:type")).isFalse();
    JsonNode rebuilt =
        member.atNova("2.57").post(NOVA + "/servers/" + server + "/action", "{\"rebuild\": {\"imageRef\": \"" + image + "\"}}")
            .expect(202).get("server");
    assertThat(rebuilt.has("OS-EXT-AZ:availability_zone")).isFalse();
    assertThat(rebuilt.has("key_name")).isTrue();
    assertThat(rebuilt.has("user_data")).isTrue();
    assertThat(rebuilt.has("adminPass")).isTrue();
    Cloud.awaitSettled(member.api(), server, "ACTIVE");
    JsonNode at275 = member.atNova("2.75").put(NOVA + "/servers/" + server, "{\"server\": {\"name\": \"again\"}}").expect(200).get("server");
    assertThat(at275.has("OS-EXT-STS:vm_state")).isTrue();
    assertThat(at275.has("server_groups")).isTrue();
  }

  @Test
  void accessAddressesAreKeptAndMalformedOnesRefused() {
    String server = create(member.api(), ",\"accessIPv4\": \"1.1.1.1\", \"accessIPv6\": \"2001:2001::3\"", "");
    JsonNode shown = Cloud.server(member.api(), server);
    String mapped = create(member.api(), ",\"accessIPv6\": \"0000:0000:0000:0000:0000:babe:220.12.22.2\"", "");
    assertThat(Cloud.server(member.api(), mapped).get("accessIPv6").asText()).isEqualTo("::babe:dc0c:1602");
    assertThat(shown.get("accessIPv4").asText()).isEqualTo("1.1.1.1");
    assertThat(shown.get("accessIPv6").asText()).isEqualTo("2001:2001::3");
    member.api().put(NOVA + "/servers/" + server, "{\"server\": {\"accessIPv4\": \"2.2.2.2\"}}").expect(200);
    assertThat(Cloud.server(member.api(), server).get("accessIPv4").asText()).isEqualTo("2.2.2.2");
    assertThat(Cloud.server(member.api(), server).get("accessIPv6").asText()).isEqualTo("2001:2001::3");
    assertThat(member.atNova("2.37").post(NOVA + "/servers",
            "{\"server\": {\"name\": \"bad\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": \"none\","
                + " \"accessIPv4\": \"1.1.1.1.1.1\"}}")
        .expect(400).toString()).contains("accessIPv4");
    assertThat(member.api().put(NOVA + "/servers/" + server, "{\"server\": {\"accessIPv6\": \"2001:2001::3::4\"}}").expect(400)
        .toString()).contains("accessIPv6");
  }

  @Test
  void resetStateIsForAdminsAndClearsTheTask() {
    String server = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    member.api().post(NOVA + "/servers/" + server + "/action", "{\"os-resetState\": {\"state\": \"error\"}}").expect(403);
    admin.post(NOVA + "/servers/" + server + "/action", "{\"os-resetState\": {\"state\": \"error\"}}").expect(202);
    assertThat(Cloud.server(member.api(), server).get("status").asText()).isEqualTo("ERROR");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"os-resetState\": {\"state\": \"active\"}}").expect(202);
    assertThat(Cloud.server(member.api(), server).get("status").asText()).isEqualTo("ACTIVE");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"os-resetState\": {\"state\": \"deleted\"}}").expect(400);
    admin.post(NOVA + "/servers/999/action", "{\"os-resetState\": {\"state\": \"error\"}}").expect(404);
  }

  @Test
  void aBareAllTenantsListsEveryProjectAndReservationIdsFilter() {
    String reservation =
        member.atNova("2.37").post(NOVA + "/servers",
                "{\"server\": {\"name\": \"multi\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": \"none\","
                    + " \"min_count\": 2, \"return_reservation_id\": true}}")
            .expect(202).get("reservation_id").asText();
    create(member.api(), "", "");
    assertThat(member.api().get(NOVA + "/servers/detail?reservation_id=" + reservation).expect(200).get("servers")).hasSize(2);
    JsonNode all = admin.get(NOVA + "/servers/detail?all_tenants=&reservation_id=" + reservation).expect(200).get("servers");
    assertThat(all).hasSize(2);
    assertThat(admin.get(NOVA + "/servers/detail?reservation_id=" + reservation).expect(200).get("servers")).isEmpty();
    admin.get(NOVA + "/servers/detail?all_tenants=maybe").expect(400);
  }

  @Test
  void sameHostAndDifferentHostHintsPlaceTheServer() {
    String first = Cloud.awaitActive(admin, create(admin, "", ""));
    String host = Cloud.server(admin, first).get("OS-EXT-SRV-ATTR:host").asText();
    List<String> same = new ArrayList<>();
    List<String> different = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      same.add(create(admin, "", ", \"os:scheduler_hints\": {\"same_host\": \"" + first + "\"}"));
      different.add(create(admin, "", ", \"os:scheduler_hints\": {\"different_host\": [\"" + first + "\"]}"));
    }
    for (String s : same) {
      assertThat(Cloud.awaitBuilt(admin, s, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(host);
    }
    for (String s : different) {
      assertThat(Cloud.awaitBuilt(admin, s, "ACTIVE").get("OS-EXT-SRV-ATTR:host").asText()).isNotEqualTo(host);
    }
  }

  @Test
  void theDiskConfigIsKeptFromCreateUpdateAndResize() {
    String server = Cloud.awaitActive(member.api(), create(member.api(), ",\"OS-DCF:diskConfig\": \"AUTO\"", ""));
    assertThat(Cloud.server(member.api(), server).get("OS-DCF:diskConfig").asText()).isEqualTo("AUTO");
    member.api().put(NOVA + "/servers/" + server, "{\"server\": {\"OS-DCF:diskConfig\": \"MANUAL\"}}").expect(200);
    assertThat(Cloud.server(member.api(), server).get("OS-DCF:diskConfig").asText()).isEqualTo("MANUAL");
    member.api().post(NOVA + "/servers/" + server + "/action", "{\"resize\": {\"flavorRef\": \"2\", \"OS-DCF:diskConfig\": \"AUTO\"}}")
        .expect(202);
    Cloud.awaitSettled(member.api(), server, "VERIFY_RESIZE");
    assertThat(Cloud.server(member.api(), server).get("OS-DCF:diskConfig").asText()).isEqualTo("AUTO");
  }

  @Test
  void consoleOutputGivesTheLastLinesAskedFor() {
    String server = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    String three =
        member.api().post(NOVA + "/servers/" + server + "/action", "{\"os-getConsoleOutput\": {\"length\": 3}}").expect(200)
            .get("output").asText();
    assertThat(three.split("\n")).hasSize(3);
    String all = member.api().post(NOVA + "/servers/" + server + "/action", "{\"os-getConsoleOutput\": {}}").expect(200)
        .get("output").asText();
    assertThat(all.split("\n").length).isGreaterThan(3);
    assertThat(all).endsWith(three);
    member.api().post(NOVA + "/servers/" + server + "/action", "{\"os-getConsoleOutput\": {\"length\": -2}}").expect(400);
    member.api().post(NOVA + "/servers/" + java.util.UUID.randomUUID() + "/action", "{\"os-getConsoleOutput\": {}}").expect(404);
  }

  @Test
  void serverTagsAreKeptListedAndFilteredOn() {
    Api v226 = member.atNova("2.26");
    String server = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    String other = Cloud.awaitActive(member.api(), create(member.api(), "", ""));
    String tags = NOVA + "/servers/" + server + "/tags";
    assertThat(v226.put(tags + "/blue", null).status()).isEqualTo(201);
    assertThat(v226.put(tags + "/blue", null).status()).isEqualTo(204);
    v226.get(tags + "/blue").expect(204);
    v226.get(tags + "/red").expect(404);
    assertThat(v226.put(tags, "{\"tags\": [\"red\", \"green\"]}").expect(200).get("tags").toString()).isEqualTo("[\"green\",\"red\"]");
    member.atNova("2.52").put(NOVA + "/servers/" + other + "/tags", "{\"tags\": [\"red\"]}").expect(200);
    assertThat(Cloud.server(v226, server).get("tags").toString()).isEqualTo("[\"green\",\"red\"]");
    assertThat(v226.get(NOVA + "/servers?tags=red,green").expect(200).get("servers")).hasSize(1);
    assertThat(v226.get(NOVA + "/servers?tags-any=green,red").expect(200).get("servers")).hasSize(2);
    assertThat(v226.get(NOVA + "/servers?tags=red&not-tags=green").expect(200).get("servers")).hasSize(1);
    assertThat(v226.get(NOVA + "/servers?not-tags-any=green").expect(200).get("servers").toString()).doesNotContain(server);
    v226.put(tags + "/bad,tag", null).expect(400);
    v226.delete(tags + "/red").expect(204);
    v226.delete(tags + "/red").expect(404);
    v226.delete(tags).expect(204);
    assertThat(v226.get(tags).expect(200).get("tags")).isEmpty();
    member.atNova("2.25").get(tags).expect(404);
    String tagged =
        member.atNova("2.52").post(NOVA + "/servers",
                "{\"server\": {\"name\": \"tagged\", \"flavorRef\": \"1\", \"imageRef\": \"" + image
                    + "\", \"networks\": \"none\", \"tags\": [\"born\"]}}")
            .expect(202).at("/server/id").asText();
    assertThat(Cloud.server(v226, tagged).get("tags").toString()).contains("born");
  }

  @Test
  void x509KeypairsAreGeneratedWithTheirPrivateKey() {
    JsonNode made =
        member.atNova("2.2").post(NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"cert\", \"type\": \"x509\"}}")
            .expect(201).get("keypair");
    assertThat(made.get("type").asText()).isEqualTo("x509");
    assertThat(made.get("public_key").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(made.get("private_key").asText()).contains("PRIVATE KEY");
    assertThat(made.get("fingerprint").asText()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");
  }
}
