package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's os-volume_upload_image over HTTP: a volume's data becomes an active image. */
class VolumeUploadApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Tenant tenant;
  private static Api api;

  @BeforeAll
  static void start() {
    Api admin = Tenant.admin(kiln).api();
    tenant = Tenant.create(kiln, admin, "upload-tenant", "upload-user");
    api = tenant.api().withHeader("OpenStack-API-Version", "volume 3.1");
  }

  private static String availableVolume(String body) {
    String id = api.post(tenant.cinder() + "/volumes", "{\"volume\": " + body + "}").expect(202).at("/volume/id").asText();
    Await.until(() -> status(id).equals("available"), "volume " + id + " available");
    return id;
  }

  private static String status(String volumeId) {
    return api.get(tenant.cinder() + "/volumes/" + volumeId).json().at("/volume/status").asText();
  }

  @Test
  void uploadingMakesAnActiveImageOfTheVolumesData() {
    JsonNode cirros = api.get("/image/v2/images?name=cirros").expect(200).at("/images/0");
    String volume = availableVolume("{\"size\": 1, \"imageRef\": \"" + cirros.get("id").asText() + "\"}");
    JsonNode started = api.post(tenant.cinder() + "/volumes/" + volume + "/action",
        "{\"os-volume_upload_image\": {\"image_name\": \"saved\", \"disk_format\": \"qcow2\","
            + " \"container_format\": \"bare\", \"visibility\": \"private\"}}").expect(202).get("os-volume_upload_image");
    assertThat(started.get("id").asText()).isEqualTo(volume);
    assertThat(started.get("status").asText()).isEqualTo("uploading");
    assertThat(started.get("image_name").asText()).isEqualTo("saved");
    assertThat(started.get("visibility").asText()).isEqualTo("private");
    String image = started.get("image_id").asText();

    Await.until(() -> api.get("/image/v2/images/" + image).json().path("status").asText().equals("active"), "image active");
    Await.until(() -> status(volume).equals("available"), "volume available again");
    JsonNode shown = api.get("/image/v2/images/" + image).expect(200);
    assertThat(shown.get("name").asText()).isEqualTo("saved");
    assertThat(shown.get("disk_format").asText()).isEqualTo("qcow2");
    assertThat(shown.get("owner").asText()).isEqualTo(tenant.projectId());
    assertThat(shown.get("size").asLong()).as("the data the volume was made from").isEqualTo(cirros.get("size").asLong());
    assertThat(shown.get("checksum").asText()).isEqualTo(cirros.get("checksum").asText());
  }

  @Test
  void aVolumeThatIsNotAvailableIsNotUploadedAndLeavesNoImage() {
    String volume = availableVolume("{\"size\": 1}");
    api.post(tenant.cinder() + "/volumes/" + volume + "/action", "{\"os-reserve\": {}}").expect(202);
    int imagesBefore = api.get("/image/v2/images").json().get("images").size();
    Api.Response refused = api.post(tenant.cinder() + "/volumes/" + volume + "/action",
        "{\"os-volume_upload_image\": {\"image_name\": \"nope\", \"force\": true}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/badRequest/message").asText()).startsWith("Invalid volume: Volume status must be available");
    assertThat(api.get("/image/v2/images").json().get("images").size()).isEqualTo(imagesBefore);

    assertThat(api.post(tenant.cinder() + "/volumes/" + volume + "/action", "{\"os-volume_upload_image\": {}}").status())
        .as("image_name is required").isEqualTo(400);
    assertThat(tenant.api().post(tenant.cinder() + "/volumes/" + volume + "/action",
        "{\"os-volume_upload_image\": {\"image_name\": \"x\", \"visibility\": \"public\"}}").status())
        .as("visibility only from 3.1").isEqualTo(400);
  }
}
