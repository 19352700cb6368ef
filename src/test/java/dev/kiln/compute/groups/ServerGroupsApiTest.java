package dev.kiln.compute.groups;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server groups on a two-host fleet: the policies place members, a full anti-affinity group
 * fails the next boot with NoValidHost, and creates with min_count/max_count and security groups.
 */
class ServerGroupsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.withHosts(List.of("left", "right"));
  private static Api admin;
  private static Api member;
  private static Api other;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "grp", "grp-user").api();
    other = Tenant.create(kiln, admin, "stranger", "stranger-user").api();
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "grpnet", "10.7.0.0/24");
  }

  private static Api at(Api api, String version) {
    return api.withHeader("X-OpenStack-Nova-API-Version", version);
  }

  private static String group(String policy, String rules) {
    return at(member, "2.64").post(
        NOVA + "/os-server-groups",
        "{\"server_group\": {\"name\": \"g-" + policy + "\", \"policy\": \"" + policy + "\""
            + (rules == null ? "" : ", \"rules\": " + rules) + "}}").expect(200)
        .at("/server_group/id").asText();
  }

  private static Api.Response bootInGroup(String name, String groupId) {
    return at(member, "2.37").post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
            + "\", \"networks\": \"none\"}, \"os:scheduler_hints\": {\"group\": \"" + groupId + "\"}}");
  }

  private static String boot(String name, String groupId) {
    return bootInGroup(name, groupId).expect(202).at("/server/id").asText();
  }

  /** Waits until the server leaves BUILD and answers its admin view. */
  private static JsonNode settled(String id) {
    Await.until(() -> !Cloud.serverStatus(admin, id).equals("BUILD"), "server " + id + " built");
    return Cloud.server(admin, id);
  }

  private static void deleteAll(List<String> ids) {
    for (String id : ids) {
      admin.delete(NOVA + "/servers/" + id).expect(204);
    }
    for (String id : ids) {
      Cloud.awaitGone(admin, id);
    }
  }

  @Test
  void antiAffinityPutsMembersOnDifferentHostsAndAThirdFailsWithNoValidHost() {
    String group = group("anti-affinity", null);
    String first = boot("anti-1", group);
    JsonNode one = settled(first);
    String second = boot("anti-2", group);
    JsonNode two = settled(second);
    assertThat(one.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(two.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(one.get("OS-EXT-SRV-ATTR:host").asText()).isNotEqualTo(two.get("OS-EXT-SRV-ATTR:host").asText());

    String third = boot("anti-3", group);
    JsonNode failed = settled(third);
    assertThat(failed.get("status").asText()).isEqualTo("ERROR");
    assertThat(failed.at("/fault/code").asInt()).isEqualTo(500);
    assertThat(failed.at("/fault/message").asText())
        .startsWith("No valid host was found.")
        .contains("anti-affinity")
        .contains(group);
    assertThat(failed.get("OS-EXT-SRV-ATTR:host").isNull()).isTrue();

    JsonNode shown = at(member, "2.64").get(NOVA + "/os-server-groups/" + group).expect(200).get("server_group");
    assertThat(shown.get("policy").asText()).isEqualTo("anti-affinity");
    assertThat(shown.get("members")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first, second, third);
    JsonNode server = at(member, "2.71").get(NOVA + "/servers/" + first).expect(200).get("server");
    assertThat(server.get("server_groups")).extracting(JsonNode::asText).containsExactly(group);
    deleteAll(List.of(first, second, third));
    assertThat(member.get(NOVA + "/os-server-groups/" + group).expect(200).at("/server_group/members")).isEmpty();
  }

  @Test
  void maxServerPerHostLetsTwoMembersShareAHost() {
    String group = group("anti-affinity", "{\"max_server_per_host\": 2}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(boot("pair-" + i, group));
    }
    ids.forEach(id -> assertThat(settled(id).get("status").asText()).isEqualTo("ACTIVE"));
    String fifth = boot("pair-4", group);
    assertThat(settled(fifth).get("status").asText()).isEqualTo("ERROR");
    ids.add(fifth);
    deleteAll(ids);
  }

  @Test
  void affinityKeepsMembersTogether() {
    String group = group("affinity", null);
    String a = boot("aff-1", group);
    String b = boot("aff-2", group);
    String c = boot("aff-3", group);
    Set<String> hosts = new HashSet<>();
    for (String id : List.of(a, b, c)) {
      JsonNode s = settled(id);
      assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
      hosts.add(s.get("OS-EXT-SRV-ATTR:host").asText());
    }
    assertThat(hosts).hasSize(1);
    deleteAll(List.of(a, b, c));
  }

  @Test
  void softAntiAffinitySpreadsButNeverRefuses() {
    String group = group("soft-anti-affinity", null);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(boot("soft-" + i, group));
      settled(ids.getLast());
    }
    Set<String> hosts = new HashSet<>();
    ids.forEach(id -> {
      JsonNode s = settled(id);
      assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
      hosts.add(s.get("OS-EXT-SRV-ATTR:host").asText());
    });
    assertThat(hosts).hasSize(2);
    deleteAll(ids);
  }

  @Test
  void racingBootsIntoAnAntiAffinityGroupGetOneHostEach() {
    String group = group("anti-affinity", null);
    List<String> ids = Race.run(6, n -> boot("race-" + n, group));
    Set<String> hosts = new HashSet<>();
    int active = 0;
    for (String id : ids) {
      JsonNode s = settled(id);
      if (s.get("status").asText().equals("ACTIVE")) {
        active++;
        hosts.add(s.get("OS-EXT-SRV-ATTR:host").asText());
      } else {
        assertThat(s.get("status").asText()).isEqualTo("ERROR");
      }
    }
    assertThat(active).isEqualTo(2);
    assertThat(hosts).hasSize(2);
    deleteAll(ids);
  }

  @Test
  void groupsBeforeMicroversion264HavePoliciesAndMetadata() {
    JsonNode created =
        member.post(
            NOVA + "/os-server-groups",
            "{\"server_group\": {\"name\": \"old\", \"policies\": [\"affinity\"]}}").expect(200).get("server_group");
    assertThat(created.get("policies")).extracting(JsonNode::asText).containsExactly("affinity");
    assertThat(created.get("metadata").isObject()).isTrue();
    assertThat(created.has("policy")).isFalse();
    assertThat(created.has("project_id")).isFalse();
    JsonNode listed = at(member, "2.13").get(NOVA + "/os-server-groups").expect(200).get("server_groups");
    assertThat(listed).anySatisfy(g -> assertThat(g.get("project_id").asText()).isNotEmpty());
    member.delete(NOVA + "/os-server-groups/" + created.get("id").asText()).expect(204);
    member.get(NOVA + "/os-server-groups/" + created.get("id").asText()).expect(404);
  }

  @Test
  void badGroupsAreRefusedWithTheFieldNamed() {
    Api v264 = at(member, "2.64");
    String body = v264.post(NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"x\", \"policy\": \"spread\"}}").expect(400)
        .at("/badRequest/message").asText();
    assertThat(body).contains("server_group/policy");
    assertThat(v264.post(
            NOVA + "/os-server-groups",
            "{\"server_group\": {\"name\": \"x\", \"policy\": \"affinity\", \"rules\": {\"max_server_per_host\": 2}}}").expect(400)
        .at("/badRequest/message").asText()).contains("max_server_per_host");
    v264.post(
        NOVA + "/os-server-groups",
        "{\"server_group\": {\"name\": \"x\", \"policy\": \"anti-affinity\", \"rules\": {\"max_server_per_host\": 0}}}").expect(400);
    v264.post(NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"x\", \"policies\": [\"affinity\"]}}").expect(400);
    member.post(NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"x\", \"policies\": [\"soft-affinity\"]}}").expect(400);
    member.post(NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \" x\", \"policies\": [\"affinity\"]}}").expect(400);
    assertThat(member.get(NOVA + "/os-server-groups").expect(200).get("server_groups"))
        .noneSatisfy(g -> assertThat(g.get("name").asText()).isEqualTo("x"));
  }

  @Test
  void bootingIntoAnotherProjectsOrAMissingGroupIsRefusedAndMakesNothing() {
    String theirs =
        at(other, "2.64").post(
            NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"theirs\", \"policy\": \"affinity\"}}").expect(200)
            .at("/server_group/id").asText();
    int before = member.get(NOVA + "/servers").expect(200).get("servers").size();
    assertThat(bootInGroup("stray", theirs).expect(400).at("/badRequest/message").asText()).contains(theirs);
    bootInGroup("stray", "00000000-0000-0000-0000-000000000000").expect(400);
    bootInGroup("stray", "not-a-uuid").expect(400);
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).hasSize(before);
    member.get(NOVA + "/os-server-groups/" + theirs).expect(404);
    member.delete(NOVA + "/os-server-groups/" + theirs).expect(404);
  }

  @Test
  void minCountBootsSeveralServersSharingAReservation() {
    JsonNode reservation =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"many\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": [{\"uuid\": \"" + networkId + "\"}], \"min_count\": 3,"
                + " \"return_reservation_id\": true}}").expect(202);
    String reservationId = reservation.get("reservation_id").asText();
    assertThat(reservationId).startsWith("r-");
    JsonNode servers = at(admin, "2.3").get(NOVA + "/servers/detail?all_tenants=1&name=%5Emany-").expect(200).get("servers");
    assertThat(servers).extracting(s -> s.get("name").asText()).containsExactlyInAnyOrder("many-1", "many-2", "many-3");
    assertThat(servers).allSatisfy(s -> assertThat(s.get("OS-EXT-SRV-ATTR:reservation_id").asText()).isEqualTo(reservationId));
    assertThat(servers).extracting(s -> s.get("OS-EXT-SRV-ATTR:launch_index").asInt()).containsExactlyInAnyOrder(0, 1, 2);
    List<String> ids = new ArrayList<>();
    servers.forEach(s -> ids.add(s.get("id").asText()));
    Set<String> addresses = new HashSet<>();
    ids.forEach(id -> {
      JsonNode s = settled(id);
      assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
      addresses.add(s.at("/addresses/grpnet/0/addr").asText());
    });
    assertThat(addresses).hasSize(3);
    deleteAll(ids);

    String port = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    member.post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"many\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
            + "\", \"networks\": [{\"port\": \"" + port + "\"}], \"max_count\": 2}}").expect(400);
    at(member, "2.37").post(
        NOVA + "/servers",
        "{\"server\": {\"name\": \"many\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
            + "\", \"networks\": \"none\", \"min_count\": 3, \"max_count\": 2}}").expect(400);
  }

  @Test
  void securityGroupsAskedForOnBootAreOnComputesPorts() {
    String web =
        member.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"web\"}}").expect(201)
            .at("/security_group/id").asText();
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"guarded\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": [{\"uuid\": \"" + networkId + "\"}], \"security_groups\": [{\"name\": \"web\"}]}}").expect(202).at("/server/id").asText();
    assertThat(settled(id).get("status").asText()).isEqualTo("ACTIVE");
    JsonNode port = member.get(NET + "/ports?device_id=" + id).expect(200).at("/ports/0");
    assertThat(port.get("security_groups")).extracting(JsonNode::asText).containsExactly(web);
    assertThat(member.get(NOVA + "/servers/" + id).expect(200).at("/server/security_groups"))
        .extracting(g -> g.get("name").asText()).containsExactly("web");
    deleteAll(List.of(id));

    int before = member.get(NOVA + "/servers").expect(200).get("servers").size();
    assertThat(at(member, "2.37").post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"unguarded\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": \"none\", \"security_groups\": [{\"name\": \"nope\"}]}}").expect(400)
        .at("/badRequest/message").asText()).contains("nope");
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).hasSize(before);
  }

  @Test
  void theCliCreatesAGroupAndBootsIntoItWithAHint() {
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "grp-user", "pw", "grp");
    JsonNode group = cli.json("server", "group", "create", "--policy", "anti-affinity", "cli-group");
    String groupId = group.get("id").asText();
    JsonNode server =
        cli.json(
            "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--network", "grpnet", "--hint",
            "group=" + groupId, "--wait", "cli-member");
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    JsonNode shown = cli.json("server", "group", "show", "cli-group");
    assertThat(shown.get("members").toString()).contains(server.get("id").asText());
    deleteAll(List.of(server.get("id").asText()));
    cli.ok("server", "group", "delete", "cli-group");
    assertThat(cli.json("server", "group", "list")).noneSatisfy(g -> assertThat(g.get("ID").asText()).isEqualTo(groupId));
  }
}
