package dev.kiln.compute.moves;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shelve, offload and unshelve as Nova has them with shelved_offload_time 0, and volumes meanwhile. */
class ServerShelveApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static Tenant tenant;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    tenant = Tenant.create(kiln, admin, "shelve", "shelveuser");
    member = tenant.api();
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "shelve-net", "10.62.0.0/24");
  }

  private static Api.Response act(Api api, String id, String body) {
    return api.post(NOVA + "/servers/" + id + "/action", body);
  }

  private static long claimedVcpus() {
    long used = 0;
    for (JsonNode h : admin.get(NOVA + "/os-hypervisors/detail").expect(200).get("hypervisors")) {
      used += h.get("vcpus_used").asLong();
    }
    return used;
  }

  private static List<String> shelvedImages(String name) {
    return member.get("/image/v2/images?name=" + name + "-shelved").expect(200).get("images").findValuesAsText("id");
  }

  @Test
  void shelveOffloadsReleasingTheHostAndUnshelvePlacesItAgain() {
    long before = claimedVcpus();
    String id = Cloud.bootActive(member, imageId, networkId, "shelf");
    assertThat(claimedVcpus()).isEqualTo(before + 1);

    act(member, id, "{\"shelve\": null}").expect(202);
    JsonNode shelved = Cloud.awaitSettled(admin, id, "SHELVED_OFFLOADED");
    assertThat(shelved.get("OS-EXT-STS:vm_state").asText()).isEqualTo("shelved_offloaded");
    assertThat(shelved.get("OS-EXT-SRV-ATTR:host").isNull()).isTrue();
    assertThat(shelved.get("OS-EXT-STS:power_state").asInt()).isEqualTo(4);
    assertThat(claimedVcpus()).isEqualTo(before);
    assertThat(shelvedImages("shelf")).hasSize(1);
    String port = member.get("/networking/v2.0/ports?device_id=" + id).expect(200).at("/ports/0/id").asText();
    assertThat(port).isNotEmpty(); // the server keeps its port while shelved

    act(member, id, "{\"unshelve\": null}").expect(202);
    JsonNode active = Cloud.awaitSettled(admin, id, "ACTIVE");
    assertThat(active.get("OS-EXT-SRV-ATTR:host").asText()).startsWith("kiln-compute-");
    assertThat(claimedVcpus()).isEqualTo(before + 1);
    assertThat(shelvedImages("shelf")).isEmpty(); // Nova deletes it once the server runs again
    assertThat(member.get("/networking/v2.0/ports/" + port).expect(200).at("/port/device_id").asText()).isEqualTo(id);
    assertThat(member.get(NOVA + "/servers/" + id + "/os-instance-actions").expect(200).findValuesAsText("action"))
        .contains("shelve", "unshelve");
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void shelveAndUnshelveAreRefusedWhereNovaRefusesThem() {
    String id = Cloud.bootActive(member, imageId, networkId, "refuse");
    Api.Response unshelve = act(member, id, "{\"unshelve\": null}");
    assertThat(unshelve.status()).isEqualTo(409);
    assertThat(unshelve.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'unshelve' instance " + id + " while it is in vm_state active");
    act(member, id, "{\"pause\": null}").expect(202);
    Cloud.awaitSettled(admin, id, "PAUSED");
    act(member, id, "{\"shelve\": null}").expect(202); // a paused server may be shelved
    Cloud.awaitSettled(admin, id, "SHELVED_OFFLOADED");
    Api.Response again = act(member, id, "{\"shelve\": null}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/conflictingRequest/message").asText())
        .isEqualTo("Cannot 'shelve' instance " + id + " while it is in vm_state shelved_offloaded");
    assertThat(act(member, id, "{\"shelveOffload\": null}").status()).isEqualTo(403);
    assertThat(act(member, id, "{\"os-start\": null}").status()).isEqualTo(409);
    String unknown = "8a4a1e6c-0000-4000-8000-000000000009";
    assertThat(act(member, unknown, "{\"shelve\": null}").status()).isEqualTo(404);
    assertThat(act(member, unknown, "{\"unshelve\": null}").status()).isEqualTo(404);
    // A shelved server can be deleted, and its shelved image goes with it.
    assertThat(shelvedImages("refuse")).hasSize(1);
    member.delete(NOVA + "/servers/" + id).expect(204);
    Cloud.awaitGone(admin, id);
    assertThat(shelvedImages("refuse")).isEmpty();
  }

  @Test
  void ofRacingShelvesExactlyOneWins() throws Exception {
    String id = Cloud.bootActive(member, imageId, networkId, "race");
    List<Integer> statuses = Race.run(6, i -> act(member, id, "{\"shelve\": null}").status());
    assertThat(statuses).containsOnly(202, 409);
    assertThat(statuses.stream().filter(s -> s == 202).count()).isEqualTo(1);
    Cloud.awaitSettled(admin, id, "SHELVED_OFFLOADED");
    assertThat(shelvedImages("race")).hasSize(1); // the losers' images were deleted
    member.delete(NOVA + "/servers/" + id).expect(204);
  }

  @Test
  void volumesAttachAndDetachWhileOffloadedAndAreConnectedAtUnshelve() {
    String id = Cloud.bootActive(member, imageId, networkId, "vols");
    String kept = Cloud.availableVolume(member, tenant.cinder(), "kept");
    member.post(NOVA + "/servers/" + id + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + kept + "\"}}")
        .expect(200);
    Await.until(() -> Cloud.volumeStatus(member, tenant.cinder(), kept).equals("in-use"), "kept in-use");

    act(member, id, "{\"shelve\": null}").expect(202);
    Cloud.awaitSettled(admin, id, "SHELVED_OFFLOADED");
    String late = Cloud.availableVolume(member, tenant.cinder(), "late");
    Api.Response attach = member.post(
        NOVA + "/servers/" + id + "/os-volume_attachments", "{\"volumeAttachment\": {\"volumeId\": \"" + late + "\"}}");
    assertThat(attach.status()).as(attach.toString()).isEqualTo(200);
    Await.until(() -> Cloud.volumeStatus(member, tenant.cinder(), late).equals("in-use"), "late in-use");
    member.delete(NOVA + "/servers/" + id + "/os-volume_attachments/" + kept).expect(202);
    Await.until(() -> Cloud.volumeStatus(member, tenant.cinder(), kept).equals("available"), "kept available");

    act(member, id, "{\"unshelve\": null}").expect(202);
    JsonNode active = Cloud.awaitSettled(admin, id, "ACTIVE");
    String host = active.get("OS-EXT-SRV-ATTR:host").asText();
    JsonNode attachment = admin.get(tenant.cinder() + "/volumes/" + late).expect(200).at("/volume/attachments/0");
    assertThat(attachment.get("server_id").asText()).isEqualTo(id);
    assertThat(attachment.get("host_name").asText()).isEqualTo(host); // shown to admins
    assertThat(member.get(NOVA + "/servers/" + id + "/os-volume_attachments").expect(200)
            .get("volumeAttachments").findValuesAsText("volumeId"))
        .containsExactly(late);
    member.delete(NOVA + "/servers/" + id).expect(204);
  }
}
