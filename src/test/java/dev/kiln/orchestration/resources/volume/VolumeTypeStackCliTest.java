package dev.kiln.orchestration.resources.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OS::Cinder::VolumeType through the real {@code openstack stack} client: an admin's stack makes a
 * type whose extra specs {@code openstack volume type show} lists, and a volume of that type is
 * multiattach because its type says so; a member's stack is refused up front (Heat's resource_types policy).
 */
class VolumeTypeStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final OpenStackCli admin = kiln.adminCli();
  private static OpenStackCli member;

  @BeforeAll
  static void tenant() {
    member = Tenant.create(kiln, kiln.admin(), "vt-member", "vt-member-user").cli(kiln.authUrl());
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void adminStackMakesAMultiattachTypeAndAVolumeOfIt() throws IOException {
    String template =
        file(
            "type.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              shared:
                type: OS::Cinder::VolumeType
                properties:
                  name: stack-shared
                  description: attach anywhere
                  metadata: {multiattach: "<is> True"}
              disk:
                type: OS::Cinder::Volume
                properties:
                  size: 1
                  volume_type: {get_resource: shared}
            outputs:
              multiattach: {value: {get_attr: [disk, multiattach]}}
              type: {value: {get_attr: [disk, volume_type]}}
            """);
    admin.ok("stack", "create", "-t", template, "--wait", "typed");

    JsonNode type = admin.json("volume", "type", "show", "stack-shared");
    assertThat(type.get("description").asText()).isEqualTo("attach anywhere");
    assertThat(type.get("is_public").asBoolean()).isTrue();
    assertThat(type.get("properties").toString()).contains("multiattach").contains("<is> True");
    String volumeId = admin.json("stack", "resource", "show", "typed", "disk").get("physical_resource_id").asText();
    JsonNode volume = admin.json("volume", "show", volumeId);
    assertThat(volume.get("type").asText()).isEqualTo("stack-shared");
    assertThat(volume.get("multiattach").asBoolean()).isTrue();
    assertThat(admin.json("stack", "output", "show", "typed", "multiattach").get("output_value").asText())
        .isEqualTo("True");
    assertThat(admin.json("stack", "output", "show", "typed", "type").get("output_value").asText())
        .isEqualTo("stack-shared");

    admin.ok("stack", "delete", "--yes", "--wait", "typed");
    assertThat(admin.run("volume", "show", volumeId).exitCode()).isNotZero();
    assertThat(admin.run("volume", "type", "show", "stack-shared").exitCode()).isNotZero();
  }

  @Test
  void memberStackMakingAVolumeTypeIsRefusedUpFront() throws IOException {
    String template =
        file(
            "member-type.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              mine:
                type: OS::Cinder::VolumeType
                properties:
                  name: member-type
            """);
    OpenStackCli.Result refused = member.run("stack", "create", "-t", template, "--wait", "member-type");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("You are not authorized to use OS::Cinder::VolumeType.");
    assertThat(member.run("stack", "show", "member-type").exitCode()).isNotZero();
    assertThat(admin.run("volume", "type", "show", "member-type").exitCode()).isNotZero();
  }
}
