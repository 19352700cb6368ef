package dev.kiln.compute.events;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nova's os-server-external-events over HTTP, and the events Networking and Block Storage send
 * in-process (read back through Kiln's os-kiln-external-events).
 */
class ServerExternalEventsApiTest {
  private static final String EVENTS = NOVA + "/os-server-external-events";

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "events", "ev-user");
    member = tenant.atNova("2.37");
    cinder = tenant.cinder();
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "evnet", "10.7.0.0/24");
  }

  /** The recorded events of a server as "name:tag:source". */
  private static List<String> recorded(String serverId) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : admin.get(NOVA + "/os-kiln-external-events?server_uuid=" + serverId).expect(200).get("external_events")) {
      assertThat(e.get("server_uuid").asText()).isEqualTo(serverId);
      assertThat(e.get("received_at").asText()).isNotEmpty();
      out.add(e.get("name").asText() + ":" + e.get("tag").asText(null) + ":" + e.get("source").asText());
    }
    return out;
  }

  private static String event(String name, String server, String tag) {
    return "{\"name\": \"" + name + "\", \"server_uuid\": \"" + server + "\"" + (tag == null ? "" : ", \"tag\": \"" + tag + "\"") + "}";
  }

  @Test
  void adminEventsForAnExistingServerAreAcceptedAndRecorded() {
    String server = Cloud.bootActive(member, imageId, networkId, "ev-accept");
    JsonNode body =
        admin.post(
            EVENTS,
            "{\"events\": [" + event("network-changed", server, "p-1") + ", {\"name\": \"network-vif-plugged\", \"server_uuid\": \""
                + server + "\", \"status\": \"failed\"}]}").expect(200);
    JsonNode events = body.get("events");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("code").asInt()).isEqualTo(200);
    assertThat(events.get(0).get("status").asText()).isEqualTo("completed");
    assertThat(events.get(0).get("tag").asText()).isEqualTo("p-1");
    assertThat(events.get(0).get("server_uuid").asText()).isEqualTo(server);
    assertThat(events.get(1).get("code").asInt()).isEqualTo(200);
    assertThat(events.get(1).has("tag")).isFalse();

    JsonNode list = admin.get(NOVA + "/os-kiln-external-events?server_uuid=" + server).expect(200).get("external_events");
    assertThat(recorded(server)).contains("network-changed:p-1:api", "network-vif-plugged:null:api");
    // The event's own status is kept: a failed plug is recorded as failed.
    assertThat(list.findValuesAsText("status")).contains("failed");
    Cloud.deleteServer(member, server);
  }

  @Test
  void someEventsForMissingServersAnswer207WithACodeForEach() {
    String server = Cloud.bootActive(member, imageId, networkId, "ev-partial");
    String missing = UUID.randomUUID().toString();
    JsonNode events =
        admin.post(EVENTS, "{\"events\": [" + event("network-changed", server, null) + ", " + event("network-changed", missing, null) + "]}").expect(207)
            .get("events");
    assertThat(events.get(0).get("code").asInt()).isEqualTo(200);
    assertThat(events.get(1).get("code").asInt()).isEqualTo(404);
    assertThat(events.get(1).get("status").asText()).isEqualTo("failed");
    assertThat(recorded(missing)).isEmpty();
    Cloud.deleteServer(member, server);
  }

  @Test
  void eventsNoneOfWhichIsAcceptedAnswer207AsNovaHasSinceUssuri() {
    String missing = UUID.randomUUID().toString();
    JsonNode events = admin.post(EVENTS, "{\"events\": [" + event("network-vif-deleted", missing, "p") + "]}").expect(207).get("events");
    assertThat(events.get(0).get("code").asInt()).isEqualTo(404);
    assertThat(events.get(0).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void volumeExtendedWithoutATagIsRefusedForThatEventOnly() {
    String server = Cloud.bootActive(member, imageId, networkId, "ev-tag");
    JsonNode events =
        admin.withHeader("X-OpenStack-Nova-API-Version", "2.51")
                .post(EVENTS, "{\"events\": [" + event("volume-extended", server, null) + ", " + event("network-changed", server, null) + "]}").expect(207)
            .get("events");
    assertThat(events.get(0).get("code").asInt()).isEqualTo(400);
    assertThat(events.get(1).get("code").asInt()).isEqualTo(200);
    Cloud.deleteServer(member, server);
  }

  @Test
  void nonAdminsAreForbidden() {
    String server = UUID.randomUUID().toString();
    Api.Response r = member.post(EVENTS, "{\"events\": [" + event("network-changed", server, null) + "]}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().has("forbidden")).as(r.toString()).isTrue();
    assertThat(member.get(NOVA + "/os-kiln-external-events?server_uuid=" + server).status()).isEqualTo(403);
  }

  @Test
  void badBodiesAre400NamingTheField() {
    String server = UUID.randomUUID().toString();
    Api.Response badName = admin.post(EVENTS, "{\"events\": [" + event("network-exploded", server, null) + "]}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().at("/badRequest/message").asText()).contains("events/0/name").contains("network-exploded");
    // volume-extended arrived in 2.51, power-update in 2.76.
    Api.Response tooEarly =
        admin.withHeader("X-OpenStack-Nova-API-Version", "2.50").post(EVENTS, "{\"events\": [" + event("volume-extended", server, "v") + "]}");
    assertThat(tooEarly.status()).isEqualTo(400);
    Api.Response powerAt275 =
        admin.withHeader("X-OpenStack-Nova-API-Version", "2.75").post(EVENTS, "{\"events\": [" + event("power-update", server, "POWER_ON") + "]}");
    assertThat(powerAt275.status()).isEqualTo(400);
    Api.Response powerAt276 =
        admin.withHeader("X-OpenStack-Nova-API-Version", "2.76").post(EVENTS, "{\"events\": [" + event("power-update", server, "POWER_ON") + "]}");
    assertThat(powerAt276.status()).isEqualTo(207);

    Api.Response badUuid = admin.post(EVENTS, "{\"events\": [" + event("network-changed", "nope", null) + "]}");
    assertThat(badUuid.json().at("/badRequest/message").asText()).contains("events/0/server_uuid");
    Api.Response badStatus =
        admin.post(EVENTS, "{\"events\": [{\"name\": \"network-changed\", \"server_uuid\": \"" + server + "\", \"status\": \"done\"}]}");
    assertThat(badStatus.json().at("/badRequest/message").asText()).contains("events/0/status");
    Api.Response extra =
        admin.post(EVENTS, "{\"events\": [{\"name\": \"network-changed\", \"server_uuid\": \"" + server + "\", \"colour\": \"red\"}]}");
    assertThat(extra.json().at("/badRequest/message").asText()).contains("colour");
    Api.Response longTag = admin.post(EVENTS, "{\"events\": [" + event("network-changed", server, "t".repeat(256)) + "]}");
    assertThat(longTag.json().at("/badRequest/message").asText()).contains("events/0/tag");
    assertThat(admin.post(EVENTS, "{\"events\": []}").status()).isEqualTo(400);
    assertThat(admin.post(EVENTS, "{\"events\": [{\"name\": \"network-changed\"}]}").json().at("/badRequest/message").asText())
        .contains("server_uuid");
    assertThat(admin.post(EVENTS, "{\"event\": []}").status()).isEqualTo(400);
    assertThat(admin.get(NOVA + "/os-kiln-external-events").status()).isEqualTo(400);
  }

  @Test
  void bootingPlugsTheServersPortAndDeletingItDeletesThePort() {
    String server = Cloud.bootActive(member, imageId, networkId, "ev-net");
    String port = admin.get(NET + "/ports?device_id=" + server).expect(200).at("/ports/0/id").asText();
    assertThat(recorded(server)).containsExactly("network-vif-plugged:" + port + ":network");
    Cloud.deleteServer(member, server);
    // Compute made this port, so it goes with the server: Neutron says the vif was deleted.
    assertThat(recorded(server)).containsExactly("network-vif-plugged:" + port + ":network", "network-vif-deleted:" + port + ":network");
  }

  @Test
  void aUsersPortIsUnpluggedWhenItsServerIsDeleted() {
    String port =
        member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}").expect(201).at("/port/id").asText();
    String server =
        Cloud.awaitActive(member, member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"ev-userport\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": [{\"port\": \"" + port + "\"}]}}").expect(202).at("/server/id").asText());
    assertThat(recorded(server)).containsExactly("network-vif-plugged:" + port + ":network");
    Cloud.deleteServer(member, server);
    assertThat(recorded(server)).containsExactly("network-vif-plugged:" + port + ":network", "network-vif-unplugged:" + port + ":network");
    // A port of no server tells nobody anything.
    member.delete(NET + "/ports/" + port).expect(204);
    assertThat(recorded(server)).hasSize(2);
  }

  @Test
  void extendingAnAttachedVolumeTellsItsServer() {
    String volume =
        member.post(cinder + "/volumes", "{\"volume\": {\"name\": \"ev-root\", \"size\": 1}}").expect(202).at("/volume/id").asText();
    Await.until(() -> member.get(cinder + "/volumes/" + volume).expect(200).at("/volume/status").asText().equals("available"), "volume");
    member.post(cinder + "/volumes/" + volume + "/action", "{\"os-set_bootable\": {\"bootable\": true}}").expect(200);
    String server =
        Cloud.awaitActive(member, member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"ev-bfv\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": ["
                + "{\"boot_index\": 0, \"uuid\": \"" + volume + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}").expect(202)
            .at("/server/id").asText());
    assertThat(recorded(server)).isEmpty();
    member.withHeader("OpenStack-API-Version", "volume 3.42")
        .post(cinder + "/volumes/" + volume + "/action", "{\"os-extend\": {\"new_size\": 2}}").expect(202);
    assertThat(recorded(server)).containsExactly("volume-extended:" + volume + ":volume");
    Cloud.deleteServer(member, server);
    // An available volume grows without news to anyone.
    member.post(cinder + "/volumes/" + volume + "/action", "{\"os-extend\": {\"new_size\": 3}}").expect(202);
    assertThat(recorded(server)).containsExactly("volume-extended:" + volume + ":volume");
  }
}
