package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's create-from-image ({@code imageRef}) over HTTP and through the openstack CLI. */
class VolumeFromImageApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static String token;
  private static String v3;
  private static JsonNode cirros;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    token = operator.token();
    admin = operator.api();
    v3 = operator.cinder();
    cirros = admin.get("/image/v2/images?name=cirros").json().at("/images/0");
  }

  private static Api.Response create(String body) {
    return admin.post(v3 + "/volumes", "{\"volume\": " + body + "}");
  }

  private static JsonNode settled(String id) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !admin.get(v3 + "/volumes/" + id).json().at("/volume/status").asText().equals("creating"));
    return admin.get(v3 + "/volumes/" + id).json().get("volume");
  }

  private static int volumeCount() {
    return admin.get(v3 + "/volumes").json().get("volumes").size();
  }

  /** A Glance image in status queued (no data) or, with data, active. */
  private static String image(String extra, byte[] data) throws Exception {
    Api.Response created = admin.post("/image/v2/images",
        "{\"disk_format\": \"raw\", \"container_format\": \"bare\"" + extra + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    if (data != null) {
      HttpResponse<String> upload = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(kiln.baseUrl() + "/image/v2/images/" + id + "/file"))
              .header("X-Auth-Token", token)
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);
    }
    return id;
  }

  @Test
  void volumeFromAnImageIsAvailableBootableAndRemembersTheImage() {
    Api.Response created = create("{\"size\": 1, \"name\": \"root\", \"imageRef\": \"" + cirros.get("id").asText() + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    JsonNode volume = settled(created.json().at("/volume/id").asText());
    assertThat(volume.get("status").asText()).isEqualTo("available");
    assertThat(volume.get("bootable").asText()).isEqualTo("true");
    JsonNode image = volume.get("volume_image_metadata");
    assertThat(image.get("image_id").asText()).isEqualTo(cirros.get("id").asText());
    assertThat(image.get("image_name").asText()).isEqualTo("cirros");
    assertThat(image.get("checksum").asText()).isEqualTo(cirros.get("checksum").asText());
    assertThat(image.get("disk_format").asText()).isEqualTo("qcow2");
    assertThat(image.get("container_format").asText()).isEqualTo("bare");
    assertThat(image.get("min_disk").asText()).isEqualTo("1");
    assertThat(image.get("min_ram").asText()).isEqualTo("0");
    assertThat(image.get("size").asText()).isEqualTo(cirros.get("size").asText());

    JsonNode detail = admin.get(v3 + "/volumes/detail?name=root").json().at("/volumes/0");
    assertThat(detail.at("/volume_image_metadata/image_id").asText()).isEqualTo(cirros.get("id").asText());
    assertThat(admin.get(v3 + "/volumes?name=root").json().at("/volumes/0").has("volume_image_metadata")).isFalse();
  }

  @Test
  void aVolumeNotFromAnImageHasNoImageMetadata() {
    JsonNode volume = settled(create("{\"size\": 1}").json().at("/volume/id").asText());
    assertThat(volume.get("bootable").asText()).isEqualTo("false");
    assertThat(volume.has("volume_image_metadata")).isFalse();
  }

  @Test
  void imageRefMayBeALinkOrAName() {
    String id = cirros.get("id").asText();
    Api.Response byLink = create("{\"size\": 1, \"imageRef\": \"http://kiln.example/image/v2/images/" + id + "\"}");
    assertThat(byLink.status()).as(byLink.body()).isEqualTo(202);
    assertThat(settled(byLink.json().at("/volume/id").asText()).at("/volume_image_metadata/image_id").asText()).isEqualTo(id);
    Api.Response byName = create("{\"size\": 1, \"imageRef\": \"cirros\"}");
    assertThat(byName.status()).as(byName.body()).isEqualTo(202);
    assertThat(settled(byName.json().at("/volume/id").asText()).at("/volume_image_metadata/image_id").asText()).isEqualTo(id);
  }

  @Test
  void aCloneOfAVolumeFromAnImageIsBootableWithTheSameImageMetadata() {
    String source = settled(create("{\"size\": 1, \"imageRef\": \"" + cirros.get("id").asText() + "\"}").json().at("/volume/id").asText())
        .get("id").asText();
    JsonNode clone = settled(create("{\"source_volid\": \"" + source + "\"}").json().at("/volume/id").asText());
    assertThat(clone.get("bootable").asText()).isEqualTo("true");
    assertThat(clone.at("/volume_image_metadata/image_id").asText()).isEqualTo(cirros.get("id").asText());
  }

  @Test
  void unknownImageIsInvalidInputAndCreatesNothing() {
    int before = volumeCount();
    Api.Response unknown = create("{\"size\": 1, \"imageRef\": \"6a0b8e34-0b52-4a8e-9d3e-2a1f5a9c0d11\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid input received: Invalid image identifier or unable to access requested image.");
    assertThat(create("{\"size\": 1, \"imageRef\": \"no-such-image\"}").status()).isEqualTo(400);
    assertThat(volumeCount()).isEqualTo(before);
  }

  @Test
  void imageWithoutDataIsNotActiveAndCreatesNothing() throws Exception {
    String queued = image(", \"name\": \"empty\"", null);
    int before = volumeCount();
    Api.Response refused = create("{\"size\": 1, \"imageRef\": \"" + queued + "\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid input received: Image " + queued + " is not active.");
    assertThat(volumeCount()).isEqualTo(before);
  }

  @Test
  void volumeSmallerThanTheImagesMinDiskIsRefusedAndCreatesNothing() throws Exception {
    String big = image(", \"name\": \"needs-three\", \"min_disk\": 3", new byte[4096]);
    int before = volumeCount();
    Api.Response small = create("{\"size\": 2, \"imageRef\": \"" + big + "\"}");
    assertThat(small.status()).isEqualTo(400);
    assertThat(small.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid input received: Volume size 2GB cannot be smaller than the image minDisk size 3GB.");
    assertThat(volumeCount()).isEqualTo(before);
    Api.Response fits = create("{\"size\": 3, \"imageRef\": \"" + big + "\"}");
    assertThat(fits.status()).as(fits.body()).isEqualTo(202);
    assertThat(settled(fits.json().at("/volume/id").asText()).at("/volume_image_metadata/min_disk").asText()).isEqualTo("3");
  }

  @Test
  void sizeIsRequiredWithAnImageAndOnlyOneSourceIsAllowed() {
    int before = volumeCount();
    Api.Response noSize = create("{\"imageRef\": \"" + cirros.get("id").asText() + "\"}");
    assertThat(noSize.status()).isEqualTo(400);
    assertThat(noSize.json().at("/badRequest/message").asText()).contains("size");
    Api.Response twoSources = create(
        "{\"size\": 1, \"imageRef\": \"" + cirros.get("id").asText() + "\", \"source_volid\": \"6a0b8e34-0b52-4a8e-9d3e-2a1f5a9c0d11\"}");
    assertThat(twoSources.status()).isEqualTo(400);
    assertThat(twoSources.json().at("/badRequest/message").asText()).contains("May specify only one of");
    assertThat(volumeCount()).isEqualTo(before);
  }

  @Test
  void openstackVolumeCreateWithAnImageMakesABootableVolume() {
    OpenStackCli cli = kiln.adminCli();
    JsonNode created = cli.json("volume", "create", "--image", "cirros", "--size", "1", "cli-root");
    String id = created.get("id").asText();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> cli.json("volume", "show", id).get("status").asText().equals("available"));
    JsonNode shown = cli.json("volume", "show", id);
    assertThat(shown.get("bootable").asText()).isEqualTo("true");
    assertThat(shown.get("volume_image_metadata").toString()).contains(cirros.get("id").asText()).contains("cirros");
  }
}
