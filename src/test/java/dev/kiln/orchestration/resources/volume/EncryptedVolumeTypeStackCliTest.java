package dev.kiln.orchestration.resources.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OS::Cinder::EncryptedVolumeType through the real {@code openstack stack} client: an admin's stack
 * encrypts its volume type, an update changes the encryption in place, a delete removes it, and a
 * check finds it gone when it was removed behind the stack's back.
 */
class EncryptedVolumeTypeStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final OpenStackCli admin = kiln.adminCli();

  private static String template(int keySize, String cipher) {
    return """
        heat_template_version: 2015-04-30
        resources:
          my_volume_type:
            type: OS::Cinder::VolumeType
            properties: {name: LUKS}
          my_encrypted_vol_type:
            type: OS::Cinder::EncryptedVolumeType
            properties:
              provider: nova.volume.encryptors.luks.LuksEncryptor
              control_location: front-end
              cipher: %s
              key_size: %d
              volume_type: {get_resource: my_volume_type}
        """.formatted(cipher, keySize);
  }

  private static JsonNode encryption(String typeId) {
    return admin.json("volume", "type", "show", "--encryption-type", typeId).get("encryption");
  }

  @Test
  void anAdminsStackEncryptsItsTypeAndUpdatesItInPlace() throws IOException {
    Path v1 = Files.writeString(dir.resolve("v1.yaml"), template(512, "aes-xts-plain64"));
    Path v2 = Files.writeString(dir.resolve("v2.yaml"), template(256, "aes-cbc-essiv"));
    admin.ok("stack", "create", "-t", v1.toString(), "--wait", "enc");
    String type = admin.json("stack", "resource", "show", "enc", "my_volume_type").get("physical_resource_id").asText();
    JsonNode resource = admin.json("stack", "resource", "show", "enc", "my_encrypted_vol_type");
    assertThat(resource.get("physical_resource_id").asText()).isEqualTo(type);
    JsonNode created = encryption(type);
    assertThat(created.get("provider").asText()).isEqualTo("nova.volume.encryptors.luks.LuksEncryptor");
    assertThat(created.get("cipher").asText()).isEqualTo("aes-xts-plain64");
    assertThat(created.get("key_size").asInt()).isEqualTo(512);
    assertThat(created.get("control_location").asText()).isEqualTo("front-end");

    admin.ok("stack", "update", "-t", v2.toString(), "--wait", "enc");
    assertThat(admin.json("stack", "show", "enc").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(admin.json("stack", "resource", "show", "enc", "my_encrypted_vol_type").get("physical_resource_id")
        .asText()).isEqualTo(type);
    // Fields, not the whole text: a random id in it may hold "512" (it did, once in CI).
    JsonNode updated = encryption(type);
    assertThat(updated.get("cipher").asText()).isEqualTo("aes-cbc-essiv");
    assertThat(updated.get("key_size").asInt()).isEqualTo(256);
    assertThat(updated.get("encryption_id").asText()).isEqualTo(created.get("encryption_id").asText());

    admin.ok("stack", "delete", "--yes", "--wait", "enc");
    assertThat(admin.run("volume", "type", "show", type).exitCode()).isNotZero();
  }
}
