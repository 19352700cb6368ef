package dev.kiln.orchestration.resources.compute;

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
 * OS::Nova::Server with a volume from Block Storage (block_device_mapping_v2) and with a floating
 * IP on the port Heat made for it, through the real {@code openstack} client.
 */
class ServerAttachmentsStackTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static Tenant member;

  @BeforeAll
  static void project() {
    member = Tenant.create(kiln, kiln.admin(), "nova-heat-att", "nova-heat-att-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.30.0.0/24");
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void dataVolumeIsAttachedWhileTheStackLivesAndAvailableAfter() throws IOException {
    String volumeId = Cloud.availableVolume(member.api(), member.cinder(), "data");
    String template =
        file(
            "volume.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              volume: {type: string}
            resources:
              server:
                type: OS::Nova::Server
                properties:
                  image: cirros
                  flavor: m1.tiny
                  networks: [{network: private}]
                  block_device_mapping_v2:
                    - {volume_id: {get_param: volume}, boot_index: -1, device_name: vdb}
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "volume=" + volumeId, "--wait", "volume-stack");
    String serverId = cli.json("stack", "resource", "show", "volume-stack", "server").get("physical_resource_id").asText();
    JsonNode volume = cli.json("volume", "show", volumeId);
    assertThat(volume.get("status").asText()).isEqualTo("in-use");
    assertThat(volume.get("attachments").toString()).contains(serverId).contains("/dev/vdb");
    assertThat(cli.json("server", "show", serverId).toString()).contains(volumeId);

    cli.ok("stack", "delete", "--yes", "--wait", "volume-stack");
    assertThat(Cloud.volumeStatus(member.api(), member.cinder(), volumeId)).isEqualTo("available");
  }

  @Test
  void serverBootsFromAVolume() throws IOException {
    String volumeId =
        member.api().post(member.cinder() + "/volumes",
                "{\"volume\": {\"name\": \"root\", \"size\": 1, \"imageRef\": \"" + Cloud.cirros(member.api()) + "\"}}")
            .expect(202).at("/volume/id").asText();
    Cloud.awaitAvailable(member.api(), member.cinder(), volumeId, dev.kiln.testing.Await.DEFAULT, "root volume");
    String template =
        file(
            "boot.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              volume: {type: string}
            resources:
              server:
                type: OS::Nova::Server
                properties:
                  flavor: m1.tiny
                  networks: [{network: private}]
                  block_device_mapping_v2: [{volume_id: {get_param: volume}}]
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "volume=" + volumeId, "--wait", "boot-stack");
    String serverId = cli.json("stack", "resource", "show", "boot-stack", "server").get("physical_resource_id").asText();
    JsonNode server = cli.json("server", "show", serverId);
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.get("volumes_attached").toString()).contains(volumeId);
    cli.ok("stack", "delete", "--yes", "--wait", "boot-stack");
    assertThat(Cloud.volumeStatus(member.api(), member.cinder(), volumeId)).isEqualTo("available");
  }

  @Test
  void floatingIpIsAssociatedWithThePortHeatMade() throws IOException {
    OpenStackCli admin = kiln.adminCli();
    admin.ok("network", "create", "--external", "--share", "public");
    admin.ok("subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "public-v4");
    cli.ok("router", "create", "edge");
    cli.ok("router", "set", "--external-gateway", "public", "edge");
    String privateSubnet = cli.json("network", "show", "private").get("subnets").get(0).asText();
    cli.ok("router", "add", "subnet", "edge", privateSubnet);
    String floating = cli.json("floating", "ip", "create", "public").get("id").asText();
    String template =
        file(
            "fip.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              fip: {type: string}
            resources:
              server:
                type: OS::Nova::Server
                properties:
                  image: cirros
                  flavor: m1.tiny
                  networks: [{network: private, floating_ip: {get_param: fip}}]
            outputs:
              port: {value: {get_attr: [server, addresses, private, 0, port]}}
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "fip=" + floating, "--wait", "fip-stack");
    String portId = cli.json("stack", "output", "show", "fip-stack", "port").get("output_value").asText();
    JsonNode fip = cli.json("floating", "ip", "show", floating);
    assertThat(fip.get("port_id").asText()).isEqualTo(portId);

    cli.ok("stack", "delete", "--yes", "--wait", "fip-stack");
    JsonNode after = cli.json("floating", "ip", "show", floating);
    assertThat(after.get("port_id").isNull() || after.get("port_id").asText().isEmpty()).isTrue();
  }
}
