package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Block Storage driven by Debian's real clients: {@code openstack volume …} and {@code cinder
 * attachment-…} at microversion 3.44, the flow Nova uses.
 */
class VolumeCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  private static JsonNode openstack(String... args) {
    return admin.json(args);
  }

  private static String cinder(String... args) {
    return admin.cinderOk("3.44", args);
  }

  private static String status(String volume) throws Exception {
    return openstack("volume", "show", volume).get("status").asText();
  }

  @Test
  void volumeLifecycleAndTheNovaAttachFlow() throws Exception {
    JsonNode created = openstack("volume", "create", "--size", "1", "cli-vol");
    String id = created.get("id").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("available"));
    assertThat(openstack("volume", "list").findValuesAsText("Name")).contains("cli-vol");
    admin.ok("volume", "set", "--name", "cli-vol2", "--property", "owner=kiln", id);
    JsonNode shown = openstack("volume", "show", "cli-vol2");
    assertThat(shown.get("properties").toString()).contains("owner");

    String server = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    // Without --connect, cinderclient sends an empty connector: Cinder only reserves the volume.
    String reserved = cinder("attachment-create", id, server);
    assertThat(reserved).contains("reserved").contains(server);
    assertThat(status(id)).isEqualTo("reserved");
    String attachment = reserved.replaceAll("(?s).*\\| id\\s+\\| ([0-9a-f-]{36}).*", "$1");
    String updated =
        cinder("attachment-update", "--initiator", "iqn.1993-08.org.debian:01:kiln", "--ip", "192.0.2.7",
            "--host", "kiln-compute-2", "--mountpoint", "/dev/vdb", attachment);
    assertThat(updated).contains("target_iqn").contains("iqn.2010-10.org.openstack").contains("target_portal");
    assertThat(status(id)).isEqualTo("attaching");
    cinder("attachment-complete", attachment);
    assertThat(status(id)).isEqualTo("in-use");
    assertThat(cinder("attachment-list")).contains(attachment).contains("attached");

    cinder("attachment-delete", attachment);
    assertThat(status(id)).isEqualTo("available");
    admin.ok("volume", "delete", id);
    assertThat(openstack("volume", "list").findValuesAsText("ID")).doesNotContain(id);
  }
}
