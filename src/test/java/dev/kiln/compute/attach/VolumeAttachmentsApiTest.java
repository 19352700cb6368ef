package dev.kiln.compute.attach;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * os-volume_attachments over Block Storage's attachments: attach answers with the device, the
 * attachment completes in the background; detach, swap, delete_on_termination; a driver fault at
 * attach or detach leaves the volume as it was before.
 */
class VolumeAttachmentsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "vat", "vat-user");
    String project = tenant.projectId();
    admin.put("/identity/v3/projects/" + project + "/users/" + admin.get("/identity/v3/users?name=admin").json().at("/users/0/id").asText()
        + "/roles/" + admin.get("/identity/v3/roles?name=admin").json().at("/roles/0/id").asText(), null);
    member = tenant.atNova("2.79");
    cinder = tenant.cinder();
    Cloud.unlimitedVolumes(admin, project);
    admin.put(NOVA + "/os-quota-sets/" + project, "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").expect(200);
    imageId = Cloud.cirros(member);
  }

  private static JsonNode volume(String id) {
    return member.get(cinder + "/volumes/" + id).expect(200).get("volume");
  }

  /** As an admin sees it: Cinder shows an attachment's host_name only to admins. */
  private static JsonNode volumeAsAdmin(String id) {
    return admin.get(cinder + "/volumes/" + id).expect(200).get("volume");
  }

  private static String status(String volumeId) {
    return Cloud.volumeStatus(member, cinder, volumeId);
  }

  private static String bootNoNetwork(String name) {
    return Cloud.awaitActive(member, Cloud.boot(member, imageId, "\"none\"", name));
  }

  private static Api.Response attach(String server, String volume, String extra) {
    return member.post(
        NOVA + "/servers/" + server + "/os-volume_attachments",
        "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"" + extra + "}}");
  }

  private static JsonNode attachments(String volumeId) {
    return member.withHeader("OpenStack-API-Version", "volume 3.27").get(cinder + "/attachments?volume_id=" + volumeId).expect(200)
        .get("attachments");
  }

  @Test
  void attachAnswersWithTheDeviceAndTheAttachmentCompletesThenDetachFreesTheVolume() {
    String server = bootNoNetwork("vat-1");
    String vol = Cloud.availableVolume(member, cinder, "data");
    JsonNode attached = attach(server, vol, ", \"tag\": \"db\"").expect(200).get("volumeAttachment");
    assertThat(attached.get("device").asText()).isEqualTo("/dev/vdb");
    assertThat(attached.get("serverId").asText()).isEqualTo(server);
    assertThat(attached.get("volumeId").asText()).isEqualTo(vol);
    assertThat(attached.get("id").asText()).isEqualTo(vol);
    assertThat(attached.get("tag").asText()).isEqualTo("db");
    assertThat(attached.get("delete_on_termination").asBoolean()).isFalse();

    Await.until(() -> status(vol).equals("in-use"), "in-use");
    JsonNode records = attachments(vol);
    assertThat(records).hasSize(1);
    assertThat(records.at("/0/instance").asText()).isEqualTo(server);
    assertThat(records.at("/0/status").asText()).isEqualTo("attached");
    assertThat(volume(vol).at("/attachments/0/device").asText()).isEqualTo("/dev/vdb");
    JsonNode listed = member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).get("volumeAttachments");
    assertThat(listed).hasSize(1);
    assertThat(member.get(NOVA + "/servers/" + server).expect(200).at("/server/os-extended-volumes:volumes_attached/0/id").asText())
        .isEqualTo(vol);

    // Attaching it again is refused; a second volume takes the next device.
    attach(server, vol, "").expect(400);
    String second = Cloud.availableVolume(member, cinder, "second");
    assertThat(attach(server, second, "").expect(200).at("/volumeAttachment/device").asText()).isEqualTo("/dev/vdc");
    Await.until(() -> status(second).equals("in-use"), "second in-use");

    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(202);
    Await.until(() -> status(vol).equals("available"), "available again");
    assertThat(attachments(vol)).isEmpty();
    member.get(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(404);
    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(404);
  }

  @Test
  void aDriverFaultAtAttachDeletesTheAttachmentAndLeavesTheVolumeAvailable() {
    String server = bootNoNetwork("vat-fault");
    String vol = Cloud.availableVolume(member, cinder, "faulty");
    admin.put(NOVA + "/os-kiln-faults/attach_volume", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    attach(server, vol, "").expect(200);
    Await.until(() -> member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).get("volumeAttachments").isEmpty(),
        "the mapping rolled back");
    assertThat(status(vol)).isEqualTo("available");
    assertThat(attachments(vol)).isEmpty();
    JsonNode actions = member.get(NOVA + "/servers/" + server + "/os-instance-actions").expect(200).get("instanceActions");
    String requestId = actions.get(0).get("request_id").asText();
    assertThat(actions.get(0).get("action").asText()).isEqualTo("attach_volume");
    // The rollback and the event are two commits (ServerVolumeAttachments' failure path): wait for both.
    JsonNode action = Await.value(
        () -> admin.get(NOVA + "/servers/" + server + "/os-instance-actions/" + requestId).expect(200).get("instanceAction"),
        a -> a.at("/events/0/result").asText().equals("Error"));
    assertThat(action.at("/events/0/result").asText()).isEqualTo("Error");

    // The volume attaches fine afterwards.
    attach(server, vol, "").expect(200);
    Await.until(() -> status(vol).equals("in-use"), "in-use");

    admin.put(NOVA + "/os-kiln-faults/detach_volume", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(202);
    Await.until(() -> status(vol).equals("in-use"), "in-use again after the failed detach");
    assertThat(attachments(vol)).hasSize(1);
    member.get(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(200);
  }

  @Test
  void deleteOnTerminationDeletesTheVolumeWithTheServerAndOthersSurvive() {
    String server = bootNoNetwork("vat-dot");
    String doomed = Cloud.availableVolume(member, cinder, "doomed");
    String kept = Cloud.availableVolume(member, cinder, "kept");
    attach(server, doomed, ", \"delete_on_termination\": true").expect(200);
    attach(server, kept, "").expect(200);
    Await.until(() -> status(doomed).equals("in-use") && status(kept).equals("in-use"), "both in-use");
    member.delete(NOVA + "/servers/" + server).expect(204);
    Await.until(() -> member.get(NOVA + "/servers/" + server).status() == 404, "server gone");
    member.get(cinder + "/volumes/" + doomed).expect(404);
    assertThat(status(kept)).isEqualTo("available");
  }

  @Test
  void anAdminSwapsAVolumeForAnother() {
    String server = bootNoNetwork("vat-swap");
    String old = Cloud.availableVolume(member, cinder, "old");
    String replacement = Cloud.availableVolume(member, cinder, "new");
    attach(server, old, "").expect(200);
    Await.until(() -> status(old).equals("in-use"), "old in-use");
    member.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + old,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(403);
    admin.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + old,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(202);
    Await.until(() -> status(old).equals("available") && status(replacement).equals("in-use"), "swapped");
    JsonNode listed = member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).get("volumeAttachments");
    assertThat(listed).hasSize(1);
    assertThat(listed.at("/0/volumeId").asText()).isEqualTo(replacement);
    assertThat(listed.at("/0/device").asText()).isEqualTo("/dev/vdb");
  }

  @Test
  void swappingToAVolumeThatDoesNotExistIsBadInput() {
    String server = bootNoNetwork("vat-swap-missing");
    String old = Cloud.availableVolume(member, cinder, "swap-missing-old");
    attach(server, old, "").expect(200);
    Await.until(() -> status(old).equals("in-use"), "old in-use");
    String missing = "00000000-0000-4000-8000-000000000042";
    JsonNode fault = admin.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + old,
        "{\"volumeAttachment\": {\"volumeId\": \"" + missing + "\"}}").expect(400);
    assertThat(fault.at("/badRequest/message").asText()).contains(missing).contains("could not be found");
    // the volume in the path is still a missing resource
    admin.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + missing,
        "{\"volumeAttachment\": {\"volumeId\": \"" + old + "\"}}").expect(404);
    assertThat(status(old)).isEqualTo("in-use");
    assertThat(member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).at("/volumeAttachments/0/volumeId").asText())
        .isEqualTo(old);
  }

  @Test
  void aMultiattachVolumeWithTwoWritersCannotBeSwappedAndStaysAttached() {
    String adminProject = admin.get("/identity/v3/auth/projects").json().at("/projects/0/id").asText();
    admin.post("/volume/v3/" + adminProject + "/types",
        "{\"volume_type\": {\"name\": \"vat-multi\", \"extra_specs\": {\"multiattach\": \"<is> True\"}}}").expect(200);
    String shared = member.post(cinder + "/volumes",
        "{\"volume\": {\"name\": \"shared\", \"size\": 1, \"volume_type\": \"vat-multi\"}}").expect(202).at("/volume/id").asText();
    Cloud.awaitAvailable(member, cinder, shared, java.time.Duration.ofSeconds(30), "shared available");
    String replacement = Cloud.availableVolume(member, cinder, "multi-new");
    String first = bootNoNetwork("vat-multi-1");
    String second = bootNoNetwork("vat-multi-2");
    attach(first, shared, "").expect(200);
    Await.until(() -> status(shared).equals("in-use"), "first attached");
    attach(second, shared, "").expect(200);
    Await.until(() -> volume(shared).get("attachments").size() == 2, "second attached");

    JsonNode fault = admin.put(NOVA + "/servers/" + first + "/os-volume_attachments/" + shared,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(400);
    assertThat(fault.at("/badRequest/message").asText())
        .isEqualTo("Swapping multi-attach volumes with more than one read/write attachment is not supported.");

    // nothing half-done: the replacement is free, the shared volume still attached to both
    assertThat(status(replacement)).isEqualTo("available");
    assertThat(status(shared)).isEqualTo("in-use");
    for (String server : new String[] {first, second}) {
      assertThat(member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).at("/volumeAttachments/0/volumeId").asText())
          .isEqualTo(shared);
    }
    // once only one server writes to it, the swap goes ahead
    member.delete(NOVA + "/servers/" + second + "/os-volume_attachments/" + shared).expect(202);
    Await.until(() -> volume(shared).get("attachments").size() == 1, "second detached");
    admin.put(NOVA + "/servers/" + first + "/os-volume_attachments/" + shared,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(202);
    Await.until(() -> status(shared).equals("available") && status(replacement).equals("in-use"), "swapped");
  }

  @Test
  void extendingAnAttachedVolumeShowsAsAnExtendVolumeActionOnTheServer() {
    String server = bootNoNetwork("vat-extend");
    String disk = Cloud.availableVolume(member, cinder, "grows");
    attach(server, disk, "").expect(200);
    Await.until(() -> status(disk).equals("in-use"), "attached");
    member.withHeader("OpenStack-API-Version", "volume 3.42")
        .post(cinder + "/volumes/" + disk + "/action", "{\"os-extend\": {\"new_size\": 2}}").expect(202);
    Await.until(() -> volume(disk).get("size").asInt() == 2, "extended");

    JsonNode actions = member.get(NOVA + "/servers/" + server + "/os-instance-actions").expect(200).get("instanceActions");
    JsonNode extend = null;
    for (JsonNode a : actions) {
      if (a.get("action").asText().equals("extend_volume")) {
        extend = a;
      }
    }
    assertThat(extend).as(actions.toString()).isNotNull();
    JsonNode events = admin.get(NOVA + "/servers/" + server + "/os-instance-actions/" + extend.get("request_id").asText())
        .expect(200).at("/instanceAction/events");
    assertThat(events).hasSize(1);
    assertThat(events.at("/0/event").asText()).isEqualTo("compute_extend_volume");
    assertThat(events.at("/0/result").asText()).isEqualTo("Success");
    assertThat(events.at("/0/finish_time").isNull()).isFalse();
  }

  @Test
  void aServerWhoseVolumeIsStillAttachingCannotBeMoved() {
    String server = bootNoNetwork("vat-busy");
    String vol = Cloud.availableVolume(member, cinder, "busy");
    admin.put(NOVA + "/os-kiln-faults/attach_volume", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    try {
      attach(server, vol, "").expect(200);
      String message =
          admin.post(NOVA + "/servers/" + server + "/action", "{\"migrate\": null}").expect(409)
              .at("/conflictingRequest/message").asText();
      assertThat(message).contains("volume is being attached");
      admin.withHeader("X-OpenStack-Nova-API-Version", "2.25")
          .post(NOVA + "/servers/" + server + "/action", "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}")
          .expect(409);
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/attach_volume").expect(204);
    }
    Await.until(() -> status(vol).equals("in-use"), "in-use");
    assertThat(admin.get(NOVA + "/os-migrations?instance_uuid=" + server).expect(200).get("migrations")).isEmpty();
  }

  @Test
  void aColdMigrationMovesTheAttachmentWithTheServerAndARevertBringsItBack() {
    String server = bootNoNetwork("vat-move");
    String vol = Cloud.availableVolume(member, cinder, "moving");
    attach(server, vol, "").expect(200);
    Await.until(() -> status(vol).equals("in-use"), "in-use");
    String source = admin.get(NOVA + "/servers/" + server).expect(200).at("/server/OS-EXT-SRV-ATTR:host").asText();
    admin.post(NOVA + "/servers/" + server + "/action", "{\"migrate\": null}").expect(202);
    Await.until(() -> admin.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("VERIFY_RESIZE"), "moved");
    String dest = admin.get(NOVA + "/servers/" + server).expect(200).at("/server/OS-EXT-SRV-ATTR:host").asText();
    assertThat(dest).isNotEqualTo(source);
    assertThat(volume(vol).get("attachments")).hasSize(1);
    assertThat(volumeAsAdmin(vol).at("/attachments/0/host_name").asText()).isEqualTo(dest);
    assertThat(status(vol)).isEqualTo("in-use");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"revertResize\": null}").expect(202);
    Await.until(() -> admin.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("ACTIVE"), "reverted");
    assertThat(volume(vol).get("attachments")).hasSize(1);
    assertThat(volumeAsAdmin(vol).at("/attachments/0/host_name").asText()).isEqualTo(source);
    assertThat(attachments(vol)).hasSize(1);
  }

  @Test
  void badRequestsAreRefusedAndChangeNothing() {
    String server = bootNoNetwork("vat-bad");
    attach(server, "00000000-0000-0000-0000-000000000000", "").expect(404);
    attach(server, "not-a-uuid", "").expect(400);
    String vol = Cloud.availableVolume(member, cinder, "bad");
    attach(server, vol, ", \"device\": \"/dev/../etc\"").expect(400);
    member.post(NOVA + "/servers/" + server + "/action", "{\"os-stop\": null}").expect(202);
    Await.until(() -> member.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("SHUTOFF"), "stopped");
    member.post(NOVA + "/servers/" + server + "/action", "{\"lock\": null}").expect(202);
    assertThat(attach(server, vol, "").expect(409).at("/conflictingRequest/message").asText()).contains("locked");
    assertThat(status(vol)).isEqualTo("available");
    assertThat(attachments(vol)).isEmpty();
  }

  @Test
  void theClientsAddAndRemoveVolumes() {
    String server = bootNoNetwork("vat-cli");
    String vol = Cloud.availableVolume(member, cinder, "cli-vol");
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "vat-user", "pw", "vat");
    cli.ok("server", "add", "volume", server, vol);
    Await.until(() -> status(vol).equals("in-use"), "in-use");
    assertThat(cli.cinderOk("3.27", "attachment-list")).contains(vol).contains(server);
    cli.ok("server", "remove", "volume", server, vol);
    Await.until(() -> status(vol).equals("available"), "available");
  }
}
