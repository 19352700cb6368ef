package dev.kiln.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * os-volume_attachments over Block Storage's attachments: attach answers with the device, the
 * attachment completes in the background; detach, swap, delete_on_termination; a driver fault at
 * attach or detach leaves the volume as it was before.
 */
class VolumeAttachmentsApiTest {
  private static final String NOVA = "/compute/v2.1";

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String imageId;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    Api anonymous = kiln.api();
    admin = anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    String project = admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"vat\"}}").json().at("/project/id").asText();
    String user =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"vat-user\", \"password\": \"pw\"}}").json().at("/user/id").asText();
    String role = admin.get("/identity/v3/roles?name=member").json().at("/roles/0/id").asText();
    admin.put("/identity/v3/projects/" + project + "/users/" + user + "/roles/" + role, null);
    admin.put("/identity/v3/projects/" + project + "/users/" + admin.get("/identity/v3/users?name=admin").json().at("/users/0/id").asText()
        + "/roles/" + admin.get("/identity/v3/roles?name=admin").json().at("/roles/0/id").asText(), null);
    member = anonymous.withToken(anonymous.token("vat-user", "pw", "vat")).withHeader("X-OpenStack-Nova-API-Version", "2.79");
    cinder = "/volume/v3/" + project;
    imageId = member.get("/image/v2/images?name=cirros").expect(200).at("/images/0/id").asText();
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static JsonNode volume(String id) {
    return member.get(cinder + "/volumes/" + id).expect(200).get("volume");
  }

  private static String status(String volumeId) {
    return volume(volumeId).get("status").asText();
  }

  private static String newVolume(String name) {
    String id =
        member.post(cinder + "/volumes", "{\"volume\": {\"name\": \"" + name + "\", \"size\": 1}}").expect(202).at("/volume/id").asText();
    await(() -> status(id).equals("available"), name + " available");
    return id;
  }

  private static String boot(String name) {
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": \"none\"}}").expect(202).at("/server/id").asText();
    await(() -> member.get(NOVA + "/servers/" + id).expect(200).at("/server/status").asText().equals("ACTIVE"), name + " active");
    return id;
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
    String server = boot("vat-1");
    String vol = newVolume("data");
    JsonNode attached = attach(server, vol, ", \"tag\": \"db\"").expect(200).get("volumeAttachment");
    assertThat(attached.get("device").asText()).isEqualTo("/dev/vdb");
    assertThat(attached.get("serverId").asText()).isEqualTo(server);
    assertThat(attached.get("volumeId").asText()).isEqualTo(vol);
    assertThat(attached.get("id").asText()).isEqualTo(vol);
    assertThat(attached.get("tag").asText()).isEqualTo("db");
    assertThat(attached.get("delete_on_termination").asBoolean()).isFalse();

    await(() -> status(vol).equals("in-use"), "in-use");
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
    String second = newVolume("second");
    assertThat(attach(server, second, "").expect(200).at("/volumeAttachment/device").asText()).isEqualTo("/dev/vdc");
    await(() -> status(second).equals("in-use"), "second in-use");

    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(202);
    await(() -> status(vol).equals("available"), "available again");
    assertThat(attachments(vol)).isEmpty();
    member.get(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(404);
    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(404);
  }

  @Test
  void aDriverFaultAtAttachDeletesTheAttachmentAndLeavesTheVolumeAvailable() {
    String server = boot("vat-fault");
    String vol = newVolume("faulty");
    admin.put(NOVA + "/os-kiln-faults/attach_volume", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    attach(server, vol, "").expect(200);
    await(() -> member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).get("volumeAttachments").isEmpty(),
        "the mapping rolled back");
    assertThat(status(vol)).isEqualTo("available");
    assertThat(attachments(vol)).isEmpty();
    JsonNode actions = member.get(NOVA + "/servers/" + server + "/os-instance-actions").expect(200).get("instanceActions");
    String requestId = actions.get(0).get("request_id").asText();
    assertThat(actions.get(0).get("action").asText()).isEqualTo("attach_volume");
    JsonNode action = admin.get(NOVA + "/servers/" + server + "/os-instance-actions/" + requestId).expect(200).get("instanceAction");
    assertThat(action.at("/events/0/result").asText()).isEqualTo("Error");

    // The volume attaches fine afterwards.
    attach(server, vol, "").expect(200);
    await(() -> status(vol).equals("in-use"), "in-use");

    admin.put(NOVA + "/os-kiln-faults/detach_volume", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    member.delete(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(202);
    await(() -> status(vol).equals("in-use"), "in-use again after the failed detach");
    assertThat(attachments(vol)).hasSize(1);
    member.get(NOVA + "/servers/" + server + "/os-volume_attachments/" + vol).expect(200);
  }

  @Test
  void deleteOnTerminationDeletesTheVolumeWithTheServerAndOthersSurvive() {
    String server = boot("vat-dot");
    String doomed = newVolume("doomed");
    String kept = newVolume("kept");
    attach(server, doomed, ", \"delete_on_termination\": true").expect(200);
    attach(server, kept, "").expect(200);
    await(() -> status(doomed).equals("in-use") && status(kept).equals("in-use"), "both in-use");
    member.delete(NOVA + "/servers/" + server).expect(204);
    await(() -> member.get(NOVA + "/servers/" + server).status() == 404, "server gone");
    member.get(cinder + "/volumes/" + doomed).expect(404);
    assertThat(status(kept)).isEqualTo("available");
  }

  @Test
  void anAdminSwapsAVolumeForAnother() {
    String server = boot("vat-swap");
    String old = newVolume("old");
    String replacement = newVolume("new");
    attach(server, old, "").expect(200);
    await(() -> status(old).equals("in-use"), "old in-use");
    member.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + old,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(403);
    admin.put(NOVA + "/servers/" + server + "/os-volume_attachments/" + old,
        "{\"volumeAttachment\": {\"volumeId\": \"" + replacement + "\"}}").expect(202);
    await(() -> status(old).equals("available") && status(replacement).equals("in-use"), "swapped");
    JsonNode listed = member.get(NOVA + "/servers/" + server + "/os-volume_attachments").expect(200).get("volumeAttachments");
    assertThat(listed).hasSize(1);
    assertThat(listed.at("/0/volumeId").asText()).isEqualTo(replacement);
    assertThat(listed.at("/0/device").asText()).isEqualTo("/dev/vdb");
  }

  @Test
  void aColdMigrationMovesTheAttachmentWithTheServerAndARevertBringsItBack() {
    String server = boot("vat-move");
    String vol = newVolume("moving");
    attach(server, vol, "").expect(200);
    await(() -> status(vol).equals("in-use"), "in-use");
    String source = admin.get(NOVA + "/servers/" + server).expect(200).at("/server/OS-EXT-SRV-ATTR:host").asText();
    admin.post(NOVA + "/servers/" + server + "/action", "{\"migrate\": null}").expect(202);
    await(() -> admin.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("VERIFY_RESIZE"), "moved");
    String dest = admin.get(NOVA + "/servers/" + server).expect(200).at("/server/OS-EXT-SRV-ATTR:host").asText();
    assertThat(dest).isNotEqualTo(source);
    assertThat(volume(vol).get("attachments")).hasSize(1);
    assertThat(volume(vol).at("/attachments/0/host_name").asText()).isEqualTo(dest);
    assertThat(status(vol)).isEqualTo("in-use");
    admin.post(NOVA + "/servers/" + server + "/action", "{\"revertResize\": null}").expect(202);
    await(() -> admin.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("ACTIVE"), "reverted");
    assertThat(volume(vol).get("attachments")).hasSize(1);
    assertThat(volume(vol).at("/attachments/0/host_name").asText()).isEqualTo(source);
    assertThat(attachments(vol)).hasSize(1);
  }

  @Test
  void badRequestsAreRefusedAndChangeNothing() {
    String server = boot("vat-bad");
    attach(server, "00000000-0000-0000-0000-000000000000", "").expect(404);
    attach(server, "not-a-uuid", "").expect(400);
    String vol = newVolume("bad");
    attach(server, vol, ", \"device\": \"/dev/../etc\"").expect(400);
    member.post(NOVA + "/servers/" + server + "/action", "{\"os-stop\": null}").expect(202);
    await(() -> member.get(NOVA + "/servers/" + server).expect(200).at("/server/status").asText().equals("SHUTOFF"), "stopped");
    member.post(NOVA + "/servers/" + server + "/action", "{\"lock\": null}").expect(202);
    assertThat(attach(server, vol, "").expect(409).at("/conflictingRequest/message").asText()).contains("locked");
    assertThat(status(vol)).isEqualTo("available");
    assertThat(attachments(vol)).isEmpty();
  }

  @Test
  void theClientsAddAndRemoveVolumes() {
    String server = boot("vat-cli");
    String vol = newVolume("cli-vol");
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "vat-user", "pw", "vat");
    cli.ok("server", "add", "volume", server, vol);
    await(() -> status(vol).equals("in-use"), "in-use");
    assertThat(cli.cinderOk("3.27", "attachment-list")).contains(vol).contains(server);
    cli.ok("server", "remove", "volume", server, vol);
    await(() -> status(vol).equals("available"), "available");
  }
}
