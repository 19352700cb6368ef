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
 * OS::Cinder::Volume and OS::Cinder::VolumeAttachment driven by the real {@code openstack stack}
 * client as a project member, checked with {@code openstack volume show} and {@code openstack
 * server show}: what the stack made is what Block Storage and Compute show.
 */
class VolumeStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static String serverA;

  @BeforeAll
  static void tenant() {
    Tenant member = Tenant.create(kiln, kiln.admin(), "vol-stacks", "vol-stacks-user");
    cli = member.cli(kiln.authUrl());
    String net = Cloud.network(member.api(), "vol-net", "10.40.0.0/24");
    serverA = Cloud.bootActive(member.api(), Cloud.cirros(member.api()), net, "vol-a");
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void volumeAttachedByAStackShowsInBlockStorageAndComputeAndGoesWithIt() throws IOException {
    String template =
        file(
            "attached.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              server: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties:
                  size: 1
                  name: stack-data
                  description: made by a stack
                  metadata: {purpose: test, count: 3}
              attach:
                type: OS::Cinder::VolumeAttachment
                properties:
                  instance_uuid: {get_param: server}
                  volume_id: {get_resource: data}
                  mountpoint: /dev/vdc
            outputs:
              size: {value: {get_attr: [data, size]}}
              status: {value: {get_attr: [data, status]}}
              metadata: {value: {get_attr: [data, metadata]}}
              metadata_values: {value: {get_attr: [data, metadata_values]}}
              attachments: {value: {get_attr: [data, attachments_list]}}
              shown_name: {value: {get_attr: [data, show, name]}}
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "server=" + serverA, "--wait", "attached");

    String volumeId = cli.json("stack", "resource", "show", "attached", "data").get("physical_resource_id").asText();
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("name").asText()).isEqualTo("stack-data");
    assertThat(volume.get("description").asText()).isEqualTo("made by a stack");
    assertThat(volume.get("size").asInt()).isEqualTo(1);
    assertThat(volume.get("status").asText()).isEqualTo("in-use");
    assertThat(volume.get("properties").toString()).contains("purpose").contains("test").contains("count");
    assertThat(volume.get("attachments").toString()).contains(serverA).contains("/dev/vdc");
    assertThat(cli.json("stack", "resource", "show", "attached", "attach").get("physical_resource_id").asText())
        .isEqualTo(volumeId);
    assertThat(cli.json("server", "show", serverA).get("volumes_attached").toString()).contains(volumeId);

    assertThat(output("attached", "size").asText()).isEqualTo("1");
    assertThat(output("attached", "status").asText()).isEqualTo("in-use");
    assertThat(output("attached", "metadata").asText()).isEqualTo("{\"count\": \"3\", \"purpose\": \"test\"}");
    assertThat(output("attached", "metadata_values").get("count").asText()).isEqualTo("3");
    assertThat(output("attached", "attachments").get(0).get("server_id").asText()).isEqualTo(serverA);
    assertThat(output("attached", "shown_name").asText()).isEqualTo("stack-data");

    cli.ok("stack", "delete", "--yes", "--wait", "attached");
    assertThat(cli.run("volume", "show", volumeId).exitCode()).isNotZero();
    assertThat(cli.json("server", "show", serverA).get("volumes_attached").toString()).doesNotContain(volumeId);
  }

  @Test
  void volumeFromAnImageIsBootableAndNamedAfterTheStackWhenUnnamed() throws IOException {
    String template =
        file(
            "image.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              boot:
                type: OS::Cinder::Volume
                properties:
                  size: 1
                  image: cirros
            outputs:
              bootable: {value: {get_attr: [boot, bootable]}}
            """);
    cli.ok("stack", "create", "-t", template, "--wait", "image");
    String volumeId = cli.json("stack", "resource", "show", "image", "boot").get("physical_resource_id").asText();
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("bootable").asText()).isEqualTo("true");
    assertThat(volume.get("name").asText()).startsWith("image-boot-");
    assertThat(output("image", "bootable").asText()).isEqualTo("true");
    cli.ok("stack", "delete", "--yes", "--wait", "image");
    assertThat(cli.run("volume", "show", volumeId).exitCode()).isNotZero();
  }

  @Test
  void volumeWithoutSizeOrSourceFailsWithHeatsReason() throws IOException {
    String template =
        file(
            "nosize.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              empty:
                type: OS::Cinder::Volume
                properties:
                  name: no-size
            """);
    OpenStackCli.Result result = cli.run("stack", "create", "-t", template, "--wait", "nosize");
    assertThat(result.exitCode()).isNotZero();
    JsonNode shown = cli.json("stack", "show", "nosize");
    assertThat(shown.get("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(shown.get("stack_status_reason").asText())
        .contains("StackValidationFailed: resources.empty: If neither \"backup_id\" nor \"size\" is provided");
    assertThat(cli.json("volume", "list").findValuesAsText("Name")).doesNotContain("no-size");
    cli.ok("stack", "delete", "--yes", "--wait", "nosize");
  }

  @Test
  void aVolumeFromABackupIsRestoredFromItAndAMissingBackupFailsTheConstraint() throws IOException {
    cli.ok("volume", "create", "--size", "1", "--property", "from=source", "bk-source");
    dev.kiln.testing.Await.until(
        () -> cli.json("volume", "show", "bk-source").get("status").asText().equals("available"), "source available");
    String backupId = cli.json("volume", "backup", "create", "--name", "bk", "bk-source").get("id").asText();
    dev.kiln.testing.Await.until(
        () -> cli.json("volume", "backup", "show", backupId).get("status").asText().equals("available"), "backup available");
    String template =
        file(
            "frombackup.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              backup: {type: string}
            resources:
              restored:
                type: OS::Cinder::Volume
                properties:
                  name: from-backup
                  backup_id: {get_param: backup}
            outputs:
              status: {value: {get_attr: [restored, status]}}
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "backup=" + backupId, "--wait", "frombackup");
    assertThat(output("frombackup", "status").asText()).isEqualTo("available");
    JsonNode volume = cli.json("volume", "show", "from-backup");
    assertThat(volume.get("status").asText()).isEqualTo("available");
    assertThat(volume.get("properties").toString()).contains("source");
    assertThat(cli.json("volume", "backup", "show", backupId).get("status").asText()).isEqualTo("available");
    cli.ok("stack", "delete", "--yes", "--wait", "frombackup");

    OpenStackCli.Result missing =
        cli.run("stack", "create", "-t", template, "--parameter", "backup=00000000-0000-0000-0000-000000000000", "--wait", "nobackup");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr() + missing.stdout())
        .contains("The Volume backup (00000000-0000-0000-0000-000000000000) could not be found");
  }

  /** A backup of a new 1 GiB volume with these properties ({@code key=value}), once available. */
  private static String backupOf(String volumeName, String... properties) {
    java.util.List<String> create = new java.util.ArrayList<>(java.util.List.of("volume", "create", "--size", "1"));
    for (String property : properties) {
      create.addAll(java.util.List.of("--property", property));
    }
    create.add(volumeName);
    cli.ok(create.toArray(String[]::new));
    dev.kiln.testing.Await.until(
        () -> cli.json("volume", "show", volumeName).get("status").asText().equals("available"), volumeName + " available");
    String backupId = cli.json("volume", "backup", "create", volumeName).get("id").asText();
    dev.kiln.testing.Await.until(
        () -> cli.json("volume", "backup", "show", backupId).get("status").asText().equals("available"), "backup available");
    return backupId;
  }

  @Test
  void aChangedBackupIdRestoresThatBackupOverTheSameVolumeAndAFailedRestoreFailsTheUpdate() throws IOException {
    String backupId = backupOf("restore-source", "origin=backup");
    String failing = backupOf("restore-failing", "kiln:fail=restore");
    String plain =
        file(
            "restorable.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {name: restorable, size: 1}
            """);
    String withBackup =
        file(
            "restored.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              backup: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {name: restorable, size: 1, backup_id: {get_param: backup}}
            """);
    cli.ok("stack", "create", "-t", plain, "--wait", "restorable");
    String volumeId = cli.json("volume", "show", "restorable").get("id").asText();

    cli.ok("stack", "update", "-t", withBackup, "--parameter", "backup=" + backupId, "--wait", "restorable");

    assertThat(cli.json("stack", "show", "restorable").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    JsonNode volume = cli.json("volume", "show", "restorable");
    assertThat(volume.get("id").asText()).as("restored in place, not replaced").isEqualTo(volumeId);
    assertThat(volume.get("status").asText()).isEqualTo("available");
    assertThat(volume.get("properties").toString()).contains("origin");
    assertThat(cli.json("volume", "backup", "show", backupId).get("status").asText()).isEqualTo("available");

    OpenStackCli.Result failed =
        cli.run("stack", "update", "-t", withBackup, "--parameter", "backup=" + failing, "--wait", "restorable");
    assertThat(failed.exitCode()).isNotZero();
    JsonNode shown = cli.json("stack", "show", "restorable");
    assertThat(shown.get("stack_status").asText()).isEqualTo("UPDATE_FAILED");
    assertThat(shown.get("stack_status_reason").asText()).contains("Volume backup restore failed");
    // The failed restore left the volume error_restoring, which Cinder deletes.
    assertThat(cli.json("volume", "show", volumeId).get("status").asText()).isEqualTo("error_restoring");
    cli.ok("stack", "delete", "--yes", "--wait", "restorable");
  }

  @Test
  void aChangedBackupIdOnAnAttachedVolumeFailsTheUpdateAndSaysToDetachIt() throws IOException {
    String backupId = backupOf("attached-restore-source");
    String plain =
        file(
            "attached-plain.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              server: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {size: 1}
              attach:
                type: OS::Cinder::VolumeAttachment
                properties: {instance_uuid: {get_param: server}, volume_id: {get_resource: data}}
            """);
    String withBackup =
        file(
            "attached-restore.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              server: {type: string}
              backup: {type: string}
            resources:
              data:
                type: OS::Cinder::Volume
                properties: {size: 1, backup_id: {get_param: backup}}
              attach:
                type: OS::Cinder::VolumeAttachment
                properties: {instance_uuid: {get_param: server}, volume_id: {get_resource: data}}
            """);
    cli.ok("stack", "create", "-t", plain, "--parameter", "server=" + serverA, "--wait", "attached-restore");

    OpenStackCli.Result refused =
        cli.run("stack", "update", "-t", withBackup, "--parameter", "server=" + serverA, "--parameter", "backup=" + backupId,
            "--wait", "attached-restore");

    assertThat(refused.exitCode()).isNotZero();
    JsonNode shown = cli.json("stack", "show", "attached-restore");
    assertThat(shown.get("stack_status").asText()).isEqualTo("UPDATE_FAILED");
    assertThat(shown.get("stack_status_reason").asText()).contains("detach volume");
    cli.ok("stack", "delete", "--yes", "--wait", "attached-restore");
  }

  private static JsonNode output(String stack, String name) {
    return cli.json("stack", "output", "show", stack, name).get("output_value");
  }
}
