package dev.kiln.compute.servers;

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
 * Servers with volumes from {@code block_device_mapping_v2}: booted from an existing volume,
 * with blank data volumes made by the build, attached through Block Storage's attachments, and
 * detached (or deleted, when asked) with the server.
 */
class BootFromVolumeApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String cinder;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "bfv", "bfv-user");
    member = tenant.atNova("2.37");
    cinder = tenant.cinder();
    imageId = Cloud.cirros(member);
  }

  private static JsonNode volume(String id) {
    return member.get(cinder + "/volumes/" + id).expect(200).get("volume");
  }

  private static String availableVolume(String name, boolean bootable) {
    String id = Cloud.availableVolume(member, cinder, name);
    if (bootable) {
      member.post(cinder + "/volumes/" + id + "/action", "{\"os-set_bootable\": {\"bootable\": true}}").expect(200);
    }
    return id;
  }

  private static JsonNode settled(String id) {
    Await.until(() -> !Cloud.serverStatus(member, id).equals("BUILD"), id + " built");
    return member.get(NOVA + "/servers/" + id).expect(200).get("server");
  }

  @Test
  void bootingFromAVolumeAttachesItAndDeletingTheServerLeavesItAvailable() {
    String boot = availableVolume("root", true);
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"bfv\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": ["
                + "{\"boot_index\": 0, \"uuid\": \"" + boot + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"},"
                + "{\"source_type\": \"blank\", \"destination_type\": \"volume\", \"volume_size\": 2,"
                + " \"delete_on_termination\": true}]}}").expect(202).at("/server/id").asText();
    JsonNode server = settled(id);
    assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
    assertThat(server.get("image").asText()).isEmpty();
    JsonNode attached = server.get("os-extended-volumes:volumes_attached");
    assertThat(attached).hasSize(2);
    assertThat(attached.get(0).get("id").asText()).isEqualTo(boot);
    assertThat(attached.get(0).get("delete_on_termination").asBoolean()).isFalse();
    assertThat(attached.get(1).get("delete_on_termination").asBoolean()).isTrue();
    String data = attached.get(1).get("id").asText();

    JsonNode root = volume(boot);
    assertThat(root.get("status").asText()).isEqualTo("in-use");
    assertThat(root.at("/attachments/0/server_id").asText()).isEqualTo(id);
    assertThat(root.at("/attachments/0/device").asText()).isEqualTo("/dev/vda");
    JsonNode blank = volume(data);
    assertThat(blank.get("size").asInt()).isEqualTo(2);
    assertThat(blank.get("status").asText()).isEqualTo("in-use");
    assertThat(blank.at("/attachments/0/device").asText()).isEqualTo("/dev/vdb");
    JsonNode attachments =
        member.withHeader("OpenStack-API-Version", "volume 3.27").get(cinder + "/attachments?volume_id=" + boot).expect(200);
    assertThat(attachments.get("attachments")).hasSize(1);
    assertThat(attachments.at("/attachments/0/status").asText()).isEqualTo("attached");

    Cloud.deleteServer(member, id);
    assertThat(volume(boot).get("status").asText()).isEqualTo("available");
    assertThat(volume(boot).get("attachments")).isEmpty();
    member.get(cinder + "/volumes/" + data).expect(404);
  }

  @Test
  void bootingFromAnImageMakesABootableVolumeThatGoesWithTheServer() {
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"from-image\", \"flavorRef\": \"1\", \"networks\": \"none\","
                + " \"block_device_mapping_v2\": [{\"boot_index\": 0, \"uuid\": \"" + imageId + "\","
                + " \"source_type\": \"image\", \"destination_type\": \"volume\", \"volume_size\": 1,"
                + " \"delete_on_termination\": true}]}}").expect(202).at("/server/id").asText();
    JsonNode server = settled(id);
    assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
    String root = server.at("/os-extended-volumes:volumes_attached/0/id").asText();
    JsonNode volume = volume(root);
    assertThat(volume.get("bootable").asText()).isEqualTo("true");
    assertThat(volume.at("/volume_image_metadata/image_id").asText()).isEqualTo(imageId);
    assertThat(volume.get("status").asText()).isEqualTo("in-use");
    Cloud.deleteServer(member, id);
    member.get(cinder + "/volumes/" + root).expect(404);
  }

  @Test
  void aVolumeReservedForABuildingServerCannotBeTakenByAnother() {
    String boot = availableVolume("taken", true);
    String body =
        "{\"server\": {\"name\": \"%s\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": ["
            + "{\"boot_index\": 0, \"uuid\": \"" + boot + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}";
    String first = member.post(NOVA + "/servers", body.formatted("first")).expect(202).at("/server/id").asText();
    int servers = member.get(NOVA + "/servers").expect(200).get("servers").size();
    member.post(NOVA + "/servers", body.formatted("second")).expect(400);
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).hasSize(servers);
    assertThat(settled(first).get("status").asText()).isEqualTo("ACTIVE");

    // A create whose second volume is taken gives back the first one it had reserved.
    String data = availableVolume("free-data", false);
    String both =
        "{\"server\": {\"name\": \"third\", \"flavorRef\": \"1\", \"networks\": \"none\", \"imageRef\": \""
            + imageId + "\", \"block_device_mapping_v2\": ["
            + "{\"uuid\": \"" + data + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"},"
            + "{\"uuid\": \"" + boot + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}";
    member.post(NOVA + "/servers", both).expect(400);
    assertThat(volume(data).get("status").asText()).isEqualTo("available");
    assertThat(volume(data).get("attachments")).isEmpty();

    Cloud.deleteServer(member, first);
    assertThat(volume(boot).get("status").asText()).isEqualTo("available");
  }

  @Test
  void badMappingsAreRefusedAndReserveNothing() {
    String plain = availableVolume("plain", false);
    String notBootable =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": ["
            + "{\"boot_index\": 0, \"uuid\": \"" + plain + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}";
    assertThat(member.post(NOVA + "/servers", notBootable).expect(400).at("/badRequest/message").asText()).contains("not bootable");
    assertThat(volume(plain).get("status").asText()).isEqualTo("available");

    String gap =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"none\","
            + " \"block_device_mapping_v2\": [{\"boot_index\": 2, \"source_type\": \"blank\", \"destination_type\": \"volume\","
            + " \"volume_size\": 1}]}}";
    assertThat(member.post(NOVA + "/servers", gap).expect(400).at("/badRequest/message").asText()).contains("Boot sequence");
    String missing =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping_v2\": ["
            + "{\"boot_index\": 0, \"uuid\": \"00000000-0000-0000-0000-000000000000\", \"source_type\": \"volume\","
            + " \"destination_type\": \"volume\"}]}}";
    assertThat(member.post(NOVA + "/servers", missing).expect(400).at("/badRequest/message").asText()).contains("could not be found");
    String blankWithoutSize =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"none\","
            + " \"block_device_mapping_v2\": [{\"source_type\": \"blank\", \"destination_type\": \"volume\"}]}}";
    assertThat(member.post(NOVA + "/servers", blankWithoutSize).expect(400).at("/badRequest/message").asText()).contains("volume_size");
    String ephemeral =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"none\","
            + " \"block_device_mapping_v2\": [{\"source_type\": \"blank\", \"destination_type\": \"local\", \"volume_size\": 1}]}}";
    member.post(NOVA + "/servers", ephemeral).expect(400);
    String unknownField =
        "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"none\","
            + " \"block_device_mapping_v2\": [{\"source_type\": \"blank\", \"destination_type\": \"volume\", \"size\": 1}]}}";
    assertThat(member.post(NOVA + "/servers", unknownField).expect(400).at("/badRequest/message").asText()).contains("size");
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).isEmpty();
  }

  @Test
  void theCliBootsFromAVolume() {
    String boot = availableVolume("cli-root", true);
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "bfv-user", "pw", "bfv");
    JsonNode server = cli.json("--os-compute-api-version", "2.37", "server", "create", "--flavor", "m1.tiny", "--volume", boot, "--nic", "none", "--wait", "cli-bfv");
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(volume(boot).get("status").asText()).isEqualTo("in-use");
    cli.ok("server", "delete", "--wait", "cli-bfv");
    assertThat(volume(boot).get("status").asText()).isEqualTo("available");

    JsonNode fromImage =
        cli.json(
            "--os-compute-api-version", "2.37", "server", "create", "--flavor", "m1.tiny", "--image", "cirros",
            "--boot-from-volume", "1", "--nic", "none", "--wait", "cli-bfv-image");
    assertThat(fromImage.get("status").asText()).isEqualTo("ACTIVE");
    JsonNode shown = member.get(NOVA + "/servers/" + fromImage.get("id").asText()).expect(200).get("server");
    String made = shown.at("/os-extended-volumes:volumes_attached/0/id").asText();
    assertThat(volume(made).get("bootable").asText()).isEqualTo("true");
    cli.ok("server", "delete", "--wait", "cli-bfv-image");
    // The CLI's --boot-from-volume keeps the volume, as Nova's default delete_on_termination=false does.
    assertThat(volume(made).get("status").asText()).isEqualTo("available");
  }
}
