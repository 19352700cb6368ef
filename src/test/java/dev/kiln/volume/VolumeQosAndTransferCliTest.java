package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** QoS specs, volume transfers and upload to an image, driven by Debian's {@code openstack}. */
class VolumeQosAndTransferCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void qosSpecsAssociatedWithAType() {
    admin.ok("volume", "qos", "create", "--consumer", "front-end", "--property", "read_iops_sec=100", "gold");
    admin.ok("volume", "type", "create", "fast");
    admin.ok("volume", "qos", "associate", "gold", "fast");
    JsonNode shown = admin.json("volume", "qos", "show", "gold");
    assertThat(shown.get("consumer").asText()).isEqualTo("front-end");
    assertThat(shown.at("/properties/read_iops_sec").asText()).isEqualTo("100");
    assertThat(shown.get("associations").toString()).contains("fast");
    OpenStackCli.Result inUse = admin.run("volume", "qos", "delete", "gold");
    assertThat(inUse.exitCode()).isNotZero();
    admin.ok("volume", "qos", "delete", "--force", "gold");
    assertThat(admin.json("volume", "qos", "list").findValuesAsText("Name")).doesNotContain("gold");
  }

  @Test
  void aVolumeTransferredToAnotherProjectAndUploadedToAnImage() {
    Tenant recipient = Tenant.create(kiln, Tenant.admin(kiln).api(), "cli-recipient", "cli-recipient-user");
    String volume = admin.json("volume", "create", "--size", "1", "gift").get("id").asText();
    Await.until(() -> json(admin, "volume", "show", volume).get("status").asText().equals("available"), "available");
    JsonNode transfer = admin.json("volume", "transfer", "request", "create", volume);
    assertThat(json(admin, "volume", "show", volume).get("status").asText()).isEqualTo("awaiting-transfer");

    OpenStackCli other = recipient.cli(kiln.authUrl());
    other.ok("volume", "transfer", "request", "accept", "--auth-key", transfer.get("auth_key").asText(),
        transfer.get("id").asText());
    assertThat(other.json("volume", "list").findValuesAsText("ID")).contains(volume);

    String image = other.json("image", "create", "--volume", volume, "gift-image").get("image_id").asText();
    Await.until(() -> json(other, "image", "show", image).get("status").asText().equals("active"), "image active");
  }

  private static JsonNode json(OpenStackCli cli, String... args) {
    return cli.json(args);
  }
}
