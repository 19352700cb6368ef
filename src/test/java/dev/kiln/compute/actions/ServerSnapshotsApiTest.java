package dev.kiln.compute.actions;

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
 * {@code createImage} and {@code createBackup}: the server's disk becomes a Glance image with
 * Nova's snapshot properties, made through Image's interface while the server holds its
 * image_snapshot task state; the image boots servers of its own.
 */
class ServerSnapshotsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final String NOVA = Cloud.NOVA;
  private static Tenant member;
  private static String image;
  private static String networkId;

  @BeforeAll
  static void start() {
    member = Tenant.create(kiln, kiln.admin(), "snap", "snap-user");
    image = Cloud.cirros(member.api());
    networkId = Cloud.network(member.api(), "snap-net", "10.98.0.0/24");
  }

  private static JsonNode image(Api api, String id) {
    return api.get("/image/v2/images/" + id).expect(200);
  }

  @Test
  void createImageMakesAnActiveSnapshotWithNovasProperties() {
    Api api = member.api();
    String server = Cloud.bootActive(api, image, networkId, "snapped");
    Api.Response r =
        api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"snap-1\", \"metadata\": {\"purpose\": \"test\"}}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    String location = r.header("Location");
    String imageId = location.substring(location.lastIndexOf('/') + 1);
    Await.until(() -> image(api, imageId).get("status").asText().equals("active"), "the snapshot to be active");
    JsonNode made = image(api, imageId);
    assertThat(made.get("name").asText()).isEqualTo("snap-1");
    assertThat(made.get("image_type").asText()).isEqualTo("snapshot");
    assertThat(made.get("instance_uuid").asText()).isEqualTo(server);
    assertThat(made.get("base_image_ref").asText()).isEqualTo(image);
    assertThat(made.get("purpose").asText()).isEqualTo("test");
    assertThat(made.get("visibility").asText()).isEqualTo("private");
    assertThat(made.get("size").asLong()).isEqualTo(image(api, image).get("size").asLong());
    Cloud.awaitSettled(api, server, "ACTIVE");
    // The snapshot boots a server of its own.
    Cloud.bootActive(api, imageId, networkId, "from-snapshot");
  }

  @Test
  void from245TheAnswerNamesTheImageAndBackupsAreSnapshotsToo() {
    Api api = member.atNova("2.45");
    String server = Cloud.bootActive(api, image, networkId, "snapped-245");
    JsonNode body =
        api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"snap-245\"}}").expect(202);
    String imageId = body.get("image_id").asText();
    Await.until(() -> image(api, imageId).get("status").asText().equals("active"), "the snapshot to be active");
    Cloud.awaitSettled(api, server, "ACTIVE"); // the image is active a moment before the server is given back
    api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \" padded \"}}").expect(400);
    api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {}}").expect(400);
    api.post(NOVA + "/servers/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/action", "{\"createImage\": {\"name\": \"x\"}}").expect(404);
    JsonNode backup =
        api.post(NOVA + "/servers/" + server + "/action",
            "{\"createBackup\": {\"name\": \"nightly\", \"backup_type\": \"daily\", \"rotation\": 2}}").expect(202);
    String backupId = backup.get("image_id").asText();
    Await.until(() -> image(api, backupId).get("status").asText().equals("active"), "the backup to be active");
    assertThat(image(api, backupId).get("image_type").asText()).isEqualTo("backup");
    assertThat(image(api, backupId).get("backup_type").asText()).isEqualTo("daily");
  }

  @Test
  void openstackServerImageCreateWaitsForTheImage() {
    OpenStackCli cli = member.cli(kiln.authUrl());
    String server = Cloud.bootActive(member.api(), image, networkId, "snapped-cli");
    JsonNode made = cli.json("server", "image", "create", "--name", "cli-snap", "--wait", server);
    assertThat(made.get("status").asText()).isEqualTo("active");
    assertThat(cli.json("image", "show", "cli-snap").get("properties").toString()).contains(server);
  }

  @Test
  void backupsRotateKeepingTheNewestOnes() {
    Api api = member.atNova("2.45");
    String server = Cloud.bootActive(api, image, networkId, "rotated");
    java.util.List<String> made = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Cloud.awaitSettled(api, server, "ACTIVE");
      String id =
          api.post(NOVA + "/servers/" + server + "/action",
                  "{\"createBackup\": {\"name\": \"b-" + i + "\", \"backup_type\": \"weekly\", \"rotation\": 2}}")
              .expect(202).get("image_id").asText();
      made.add(id);
      Await.until(() -> image(api, id).get("status").asText().equals("active"), "backup " + id);
    }
    Cloud.awaitSettled(api, server, "ACTIVE");
    api.get("/image/v2/images/" + made.get(0)).expect(404);
    image(api, made.get(1));
    image(api, made.get(2));
    // The compute proxy (before 2.36) filters on the server and the type, and deletes.
    Api proxy = member.atNova("2.35");
    assertThat(proxy.get(NOVA + "/images?server=" + server + "&type=backup").expect(200).get("images")).hasSize(2);
    assertThat(proxy.get(NOVA + "/images/detail?server=" + server + "&limit=1").expect(200).get("images")).hasSize(1);
    proxy.delete(NOVA + "/images/" + made.get(1)).expect(204);
    api.get("/image/v2/images/" + made.get(1)).expect(404);
  }

  @Test
  void aSnapshotUnderWayHoldsTheServerAndAFailedOneLeavesNoImage() {
    Api admin = kiln.admin();
    Api api = member.atNova("2.45");
    String server = Cloud.bootActive(api, image, networkId, "held");
    admin.put(NOVA + "/os-kiln-faults/snapshot", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    try {
      String first =
          api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"first\"}}").expect(202)
              .get("image_id").asText();
      assertThat(Cloud.server(api, server).get("OS-EXT-STS:task_state").asText()).startsWith("image_");
      api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"second\"}}").expect(409);
      assertThat(member.atNova("2.35").get(NOVA + "/images/" + first).expect(200).at("/image/status").asText()).isEqualTo("SAVING");
      Await.until(() -> image(api, first).get("status").asText().equals("active"), "the first snapshot");
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/snapshot").expect(204);
    }
    Cloud.awaitSettled(api, server, "ACTIVE");
    admin.put(NOVA + "/os-kiln-faults/snapshot", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    String failed =
        api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"doomed\"}}").expect(202)
            .get("image_id").asText();
    Await.until(() -> api.get("/image/v2/images/" + failed).status() == 404, "the failed snapshot's image to go");
    Cloud.awaitSettled(api, server, "ACTIVE");
  }

  @Test
  void aSnapshotGlanceRefusesNeitherTakesTheServerNorRecordsAnAction() {
    Api api = member.atNova("2.45");
    String server = Cloud.bootActive(api, image, networkId, "refused");
    Api.Response refused =
        api.post(NOVA + "/servers/" + server + "/action",
            "{\"createImage\": {\"name\": \"refused\", \"metadata\": {\"os_glance_mine\": \"x\"}}}");
    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    // The image, the task and the server's task state commit together, so nothing of the request
    // is left to undo: the server is free at once and its action list does not name it.
    assertThat(Cloud.server(api, server).get("OS-EXT-STS:task_state").isNull()).isTrue();
    JsonNode actions = api.get(NOVA + "/servers/" + server + "/os-instance-actions").expect(200).get("instanceActions");
    assertThat(actions.findValuesAsText("action")).doesNotContain("createImage");
    String made =
        api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"after\"}}").expect(202)
            .get("image_id").asText();
    Await.until(() -> image(api, made).get("status").asText().equals("active"), "the next snapshot");
  }

  @Test
  void theImageProxyKeepsASnapshotsMetadataUntil239() {
    Api api = member.atNova("2.45");
    String server = Cloud.bootActive(api, image, networkId, "meta-source");
    String imageId =
        api.post(NOVA + "/servers/" + server + "/action", "{\"createImage\": {\"name\": \"meta\"}}").expect(202)
            .get("image_id").asText();
    Await.until(() -> image(api, imageId).get("status").asText().equals("active"), "the snapshot");
    Api proxy = member.atNova("2.38");
    String meta = NOVA + "/images/" + imageId + "/metadata";
    proxy.post(meta, "{\"metadata\": {\"os_distro\": \"cirros\", \"tier\": \"web\"}}").expect(200);
    assertThat(proxy.get(meta + "/tier").expect(200).at("/meta/tier").asText()).isEqualTo("web");
    proxy.put(meta + "/tier", "{\"meta\": {\"tier\": \"db\"}}").expect(200);
    assertThat(image(api, imageId).get("tier").asText()).isEqualTo("db");
    proxy.put(meta + "/tier", "{\"meta\": {\"other\": \"x\"}}").expect(400);
    proxy.delete(meta + "/tier").expect(204);
    proxy.get(meta + "/tier").expect(404);
    JsonNode replaced = proxy.put(meta, "{\"metadata\": {\"only\": \"this\"}}").expect(200).get("metadata");
    assertThat(replaced.size()).isEqualTo(1);
    assertThat(image(api, imageId).has("instance_uuid")).isFalse();
    member.atNova("2.39").get(meta).expect(404);
  }
}
