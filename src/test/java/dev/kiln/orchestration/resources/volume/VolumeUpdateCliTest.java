package dev.kiln.orchestration.resources.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Cloud;
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
 * Stack updates of OS::Cinder::Volume and OS::Cinder::VolumeAttachment through the real {@code
 * openstack stack update}: a larger size extends the same volume, attached or not; a new image
 * replaces it; a new {@code instance_uuid} moves the attachment to another server with one update,
 * the volume keeping its id and never attached to both.
 */
class VolumeUpdateCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static String serverA;
  private static String serverB;

  private static final String ATTACHED =
      """
      heat_template_version: 2018-08-31
      parameters:
        server: {type: string}
        size: {type: number, default: 1}
      resources:
        data:
          type: OS::Cinder::Volume
          properties: {size: {get_param: size}, name: moving-data}
        attach:
          type: OS::Cinder::VolumeAttachment
          properties:
            instance_uuid: {get_param: server}
            volume_id: {get_resource: data}
      """;

  @BeforeAll
  static void tenant() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "vol-updates", "vol-updates-user");
    cli = member.cli(kiln.authUrl());
    String net = Cloud.network(member.api(), "upd-net", "10.41.0.0/24");
    String image = Cloud.cirros(member.api());
    serverA = Cloud.bootActive(member.api(), image, net, "upd-a");
    serverB = Cloud.bootActive(member.api(), image, net, "upd-b");
    Files.writeString(dir.resolve("attached.yaml"), ATTACHED);
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void largerSizeExtendsTheAttachedVolumeInPlace() {
    String template = dir.resolve("attached.yaml").toString();
    cli.ok("stack", "create", "-t", template, "--parameter", "server=" + serverA, "--wait", "grow");
    String volumeId = physicalId("grow", "data");

    cli.ok("stack", "update", "-t", template, "--parameter", "server=" + serverA, "--parameter", "size=3", "--wait",
        "grow");

    assertThat(cli.json("stack", "show", "grow").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(physicalId("grow", "data")).isEqualTo(volumeId);
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("size").asInt()).isEqualTo(3);
    assertThat(volume.get("status").asText()).isEqualTo("in-use");
    assertThat(volume.get("attachments").toString()).contains(serverA);
    cli.ok("stack", "delete", "--yes", "--wait", "grow");
    assertThat(cli.run("volume", "show", volumeId).exitCode()).isNotZero();
  }

  @Test
  void changingInstanceMovesTheAttachmentWithTheSameVolume() {
    String template = dir.resolve("attached.yaml").toString();
    cli.ok("stack", "create", "-t", template, "--parameter", "server=" + serverA, "--wait", "move");
    String volumeId = physicalId("move", "data");

    cli.ok("stack", "update", "-t", template, "--parameter", "server=" + serverB, "--wait", "move");

    assertThat(cli.json("stack", "show", "move").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(physicalId("move", "data")).isEqualTo(volumeId);
    assertThat(physicalId("move", "attach")).isEqualTo(volumeId);
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("attachments")).hasSize(1);
    assertThat(volume.get("attachments").get(0).get("server_id").asText()).isEqualTo(serverB);
    assertThat(cli.json("server", "show", serverA).get("volumes_attached").toString()).doesNotContain(volumeId);
    assertThat(cli.json("server", "show", serverB).get("volumes_attached").toString()).contains(volumeId);
    assertThat(cli.json("server", "event", "list", serverA).findValuesAsText("Action")).contains("detach_volume");
    assertThat(cli.json("server", "event", "list", serverB).findValuesAsText("Action")).contains("attach_volume");

    cli.ok("stack", "delete", "--yes", "--wait", "move");
    assertThat(cli.json("server", "show", serverB).get("volumes_attached").toString()).doesNotContain(volumeId);
    assertThat(cli.run("volume", "show", volumeId).exitCode()).isNotZero();
  }

  /**
   * The volume moves from one attachment resource to another in one update: the removed one must
   * let the volume go before the added one takes it, which the engine orders by their claims.
   */
  @Test
  void volumeHandedFromARemovedAttachmentToANewOneIsDetachedFirst() throws IOException {
    String before =
        file(
            "hand-before.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              a: {type: string}
              b: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {size: 1}
              on_a:
                type: OS::Cinder::VolumeAttachment
                properties: {instance_uuid: {get_param: a}, volume_id: {get_resource: data}}
            """);
    String after =
        file(
            "hand-after.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              a: {type: string}
              b: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {size: 1}
              on_b:
                type: OS::Cinder::VolumeAttachment
                properties: {instance_uuid: {get_param: b}, volume_id: {get_resource: data}}
            """);
    String[] servers = {"--parameter", "a=" + serverA, "--parameter", "b=" + serverB};
    cli.ok(args("stack", "create", "-t", before, servers, "--wait", "hand"));
    String volumeId = physicalId("hand", "data");

    cli.ok(args("stack", "update", "-t", after, servers, "--wait", "hand"));

    assertThat(cli.json("stack", "show", "hand").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(physicalId("hand", "data")).isEqualTo(volumeId);
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("attachments")).hasSize(1);
    assertThat(volume.get("attachments").get(0).get("server_id").asText()).isEqualTo(serverB);
    assertThat(cli.json("server", "show", serverA).get("volumes_attached").toString()).doesNotContain(volumeId);
    cli.ok("stack", "delete", "--yes", "--wait", "hand");
    assertThat(cli.run("volume", "show", volumeId).exitCode()).isNotZero();
  }

  private static String[] args(String a, String b, String c, String file, String[] params, String wait, String name) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(a, b, c, file));
    all.addAll(java.util.List.of(params));
    all.add(wait);
    all.add(name);
    return all.toArray(String[]::new);
  }

  @Test
  void newImageReplacesTheVolume() throws IOException {
    Path bytes = dir.resolve("other.img");
    Files.write(bytes, new byte[4096]);
    cli.ok("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file", bytes.toString(),
        "other-image");
    String template =
        file(
            "imaged.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              image: {type: string}
            resources:
              disk:
                type: OS::Cinder::Volume
                properties: {size: 1, image: {get_param: image}, name: imaged}
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "image=cirros", "--wait", "imaged");
    String first = physicalId("imaged", "disk");

    cli.ok("stack", "update", "-t", template, "--parameter", "image=other-image", "--wait", "imaged");

    String second = physicalId("imaged", "disk");
    assertThat(second).isNotEqualTo(first);
    assertThat(cli.json("volume", "show", second).get("volume_image_metadata").toString()).contains("other-image");
    assertThat(cli.run("volume", "show", first).exitCode()).isNotZero();
    cli.ok("stack", "delete", "--yes", "--wait", "imaged");
    assertThat(cli.run("volume", "show", second).exitCode()).isNotZero();
  }

  private static String physicalId(String stack, String resource) {
    return cli.json("stack", "resource", "show", stack, resource).get("physical_resource_id").asText();
  }
}
