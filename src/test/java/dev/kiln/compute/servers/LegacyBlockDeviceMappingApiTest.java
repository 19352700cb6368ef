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
 * Servers created with Nova's legacy {@code block_device_mapping} (v1): read as v2 volumes, the one
 * on the root device {@code vda} being the boot disk.
 */
class LegacyBlockDeviceMappingApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api member;
  private static String cinder;
  private static String imageId;

  @BeforeAll
  static void start() {
    Tenant tenant = Tenant.create(kiln, kiln.admin(), "legacy-bdm", "legacy-bdm-user");
    member = tenant.atNova("2.37");
    cinder = tenant.cinder();
    imageId = Cloud.cirros(member);
  }

  private static JsonNode volume(String id) {
    return member.get(cinder + "/volumes/" + id).expect(200).get("volume");
  }

  private static JsonNode settled(String id) {
    Await.until(() -> !Cloud.serverStatus(member, id).equals("BUILD"), id + " built");
    return member.get(NOVA + "/servers/" + id).expect(200).get("server");
  }

  private static String create(String body) {
    return member.post(NOVA + "/servers", body).expect(202).at("/server/id").asText();
  }

  @Test
  void aLegacyVolumeWithNoDeviceIsADataDiskOfAnImageServer() {
    String data = Cloud.availableVolume(member, cinder, "legacy-data");
    String id =
        create(
            "{\"server\": {\"name\": \"legacy\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\", \"networks\": \"none\","
                + " \"block_device_mapping\": [{\"volume_id\": \"" + data + "\", \"delete_on_termination\": \"0\"}]}}");
    JsonNode server = settled(id);
    assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
    assertThat(server.at("/image/id").asText()).isEqualTo(imageId);
    JsonNode attached = server.get("os-extended-volumes:volumes_attached");
    assertThat(attached).hasSize(1);
    assertThat(attached.at("/0/id").asText()).isEqualTo(data);
    assertThat(attached.at("/0/delete_on_termination").asBoolean()).isFalse();
    assertThat(volume(data).get("status").asText()).isEqualTo("in-use");
    assertThat(volume(data).at("/attachments/0/device").asText()).isEqualTo("/dev/vdb");

    Cloud.deleteServer(member, id);
    assertThat(volume(data).get("status").asText()).isEqualTo("available");
  }

  @Test
  void theLegacyVolumeOnTheRootDeviceIsTheBootDisk() {
    String boot = Cloud.availableVolume(member, cinder, "legacy-root");
    member.post(cinder + "/volumes/" + boot + "/action", "{\"os-set_bootable\": {\"bootable\": true}}").expect(200);
    String id =
        create(
            "{\"server\": {\"name\": \"legacy-bfv\", \"flavorRef\": \"1\", \"networks\": \"none\", \"block_device_mapping\": ["
                + "{\"volume_id\": \"" + boot + "\", \"device_name\": \"/dev/vda\", \"delete_on_termination\": \"True\","
                + " \"volume_size\": \"1\"}]}}");
    JsonNode server = settled(id);
    assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
    assertThat(server.get("image").asText()).isEmpty();
    assertThat(server.at("/os-extended-volumes:volumes_attached/0/delete_on_termination").asBoolean()).isTrue();
    assertThat(volume(boot).at("/attachments/0/device").asText()).isEqualTo("/dev/vda");

    Cloud.deleteServer(member, id);
    member.get(cinder + "/volumes/" + boot).expect(404);
  }

  @Test
  void badLegacyMappingsAreRefusedAndReserveNothing() {
    String plain = Cloud.availableVolume(member, cinder, "legacy-plain");
    int servers = member.get(NOVA + "/servers").expect(200).get("servers").size();
    String prefix = "{\"server\": {\"name\": \"x\", \"flavorRef\": \"1\", \"networks\": \"none\", ";
    String withImage = prefix + "\"imageRef\": \"" + imageId + "\", ";

    String both =
        withImage + "\"block_device_mapping\": [{\"volume_id\": \"" + plain + "\"}], \"block_device_mapping_v2\": ["
            + "{\"uuid\": \"" + plain + "\", \"source_type\": \"volume\", \"destination_type\": \"volume\"}]}}";
    assertThat(message(both)).isEqualTo("Using different block_device_mapping syntaxes is not allowed in the same request.");
    String unknown = withImage + "\"block_device_mapping\": [{\"volume_id\": \"" + plain + "\", \"uuid\": \"x\"}]}}";
    assertThat(message(unknown)).contains("server/block_device_mapping/0").contains("'uuid' was unexpected");
    String neither = withImage + "\"block_device_mapping\": [{\"device_name\": \"vdb\"}]}}";
    assertThat(message(neither)).isEqualTo("Block Device Mapping is Invalid: Unrecognized legacy format.");
    String badFlag = withImage + "\"block_device_mapping\": [{\"volume_id\": \"" + plain + "\", \"delete_on_termination\": \"maybe\"}]}}";
    assertThat(message(badFlag)).contains("server/block_device_mapping/0/delete_on_termination");
    String badDevice = withImage + "\"block_device_mapping\": [{\"volume_id\": \"" + plain + "\", \"device_name\": \"v d b\"}]}}";
    assertThat(message(badDevice)).contains("device_name").contains("does not match");
    String badId = withImage + "\"block_device_mapping\": [{\"volume_id\": \"not-a-uuid\"}]}}";
    assertThat(message(badId)).contains("volume_id").contains("is not a 'uuid'");
    String notAList = withImage + "\"block_device_mapping\": {\"volume_id\": \"" + plain + "\"}}}";
    assertThat(message(notAList)).contains("is not of type 'array'");
    // With no image, a volume that is not on the root device leaves nothing to boot from.
    String noRoot = prefix + "\"block_device_mapping\": [{\"volume_id\": \"" + plain + "\", \"device_name\": \"vdb\"}]}}";
    assertThat(message(noRoot)).contains("Boot sequence");
    // An image server's root disk is vda, so no volume may claim it (in either syntax).
    String onRoot =
        withImage + "\"block_device_mapping_v2\": [{\"uuid\": \"" + plain + "\", \"source_type\": \"volume\","
            + " \"destination_type\": \"volume\", \"device_name\": \"/dev/vda\"}]}}";
    assertThat(message(onRoot)).isEqualTo("The volume cannot be assigned the same device name as the root device vda");
    String missing = withImage + "\"block_device_mapping\": [{\"volume_id\": \"00000000-0000-0000-0000-000000000000\"}]}}";
    assertThat(message(missing)).contains("could not be found");

    assertThat(volume(plain).get("status").asText()).isEqualTo("available");
    assertThat(member.get(NOVA + "/servers").expect(200).get("servers")).hasSize(servers);
  }

  private static String message(String body) {
    return member.post(NOVA + "/servers", body).expect(400).at("/badRequest/message").asText();
  }

  @Test
  void novaClientsBlockDeviceMappingOptionSendsTheLegacyFormat() {
    String data = Cloud.availableVolume(member, cinder, "legacy-cli");
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "legacy-bdm-user", "pw", "legacy-bdm");
    cli.novaOk(
        "2.37", "boot", "--flavor", "m1.tiny", "--image", "cirros", "--nic", "none", "--block-device-mapping",
        "vdb=" + data + ":::0", "--poll", "legacy-cli");
    assertThat(volume(data).get("status").asText()).isEqualTo("in-use");
    assertThat(volume(data).at("/attachments/0/device").asText()).isEqualTo("/dev/vdb");
    cli.ok("server", "delete", "--wait", "legacy-cli");
    assertThat(volume(data).get("status").asText()).isEqualTo("available");
  }
}
