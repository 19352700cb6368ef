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
 * OS::Nova::Server updated by {@code openstack stack update}: resized and confirmed in place or
 * replaced (its Heat-made port moving to the new server), rebuilt from a new image, renamed, its
 * metadata set, and its interfaces changed in place — read back through {@code openstack server
 * show} and {@code openstack port show}.
 */
class ServerUpdateStackTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  private static final String SERVER =
      """
      heat_template_version: 2018-08-31
      parameters:
        flavor: {type: string, default: m1.tiny}
        image: {type: string, default: cirros}
        policy: {type: string, default: RESIZE}
        name: {type: string, default: first}
        role: {type: string, default: web}
      resources:
        server:
          type: OS::Nova::Server
          properties:
            name: {get_param: name}
            image: {get_param: image}
            flavor: {get_param: flavor}
            flavor_update_policy: {get_param: policy}
            metadata: {role: {get_param: role}}
            networks: [{network: private}]
      outputs:
        port: {value: {get_attr: [server, addresses, private, 0, port]}}
      """;

  @BeforeAll
  static void project() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "nova-heat-upd", "nova-heat-upd-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.40.0.0/24");
    Cloud.network(member.api(), "backend", "10.41.0.0/24");
    Path data = dir.resolve("disk.img");
    Files.write(data, new byte[4096]);
    kiln.adminCli().ok(
        "image", "create", "--public", "--disk-format", "raw", "--container-format", "bare", "--file", data.toString(),
        "other");
    Files.writeString(dir.resolve("server.yaml"), SERVER);
  }

  private static String template() {
    return dir.resolve("server.yaml").toString();
  }

  private static String serverOf(String stack) {
    return cli.json("stack", "resource", "show", stack, "server").get("physical_resource_id").asText();
  }

  private static String status(String stack) {
    return cli.json("stack", "show", stack).get("stack_status").asText();
  }

  @Test
  void flavorResizesInPlaceAndNameAndMetadataChangeInPlace() {
    cli.ok("stack", "create", "-t", template(), "--wait", "resize-stack");
    String serverId = serverOf("resize-stack");
    cli.ok("stack", "update", "-t", template(), "--parameter", "flavor=m1.small", "--parameter", "name=second",
        "--parameter", "role=db", "--wait", "resize-stack");
    assertThat(status("resize-stack")).isEqualTo("UPDATE_COMPLETE");
    assertThat(serverOf("resize-stack")).isEqualTo(serverId);
    JsonNode server = cli.json("server", "show", serverId);
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.get("flavor").asText()).contains("m1.small");
    assertThat(server.get("name").asText()).isEqualTo("second");
    assertThat(server.get("properties").toString()).contains("db").doesNotContain("web");
    cli.ok("stack", "delete", "--yes", "--wait", "resize-stack");
  }

  @Test
  void flavorReplaceMakesANewServerThatKeepsThePortHeatMade() {
    cli.ok("stack", "create", "-t", template(), "--parameter", "policy=REPLACE", "--wait", "replace-stack");
    String oldServer = serverOf("replace-stack");
    String portId = cli.json("stack", "output", "show", "replace-stack", "port").get("output_value").asText();
    JsonNode before = cli.json("port", "show", portId);

    cli.ok("stack", "update", "-t", template(), "--parameter", "policy=REPLACE", "--parameter", "flavor=m1.small",
        "--wait", "replace-stack");
    assertThat(status("replace-stack")).isEqualTo("UPDATE_COMPLETE");
    String newServer = serverOf("replace-stack");
    assertThat(newServer).isNotEqualTo(oldServer);
    assertThat(cli.run("server", "show", oldServer).exitCode()).isNotZero();
    assertThat(cli.json("server", "show", newServer).get("flavor").asText()).contains("m1.small");
    JsonNode after = cli.json("port", "show", portId);
    assertThat(after.get("device_id").asText()).isEqualTo(newServer);
    assertThat(after.get("mac_address").asText()).isEqualTo(before.get("mac_address").asText());
    assertThat(after.get("fixed_ips").toString()).isEqualTo(before.get("fixed_ips").toString());
    assertThat(cli.json("stack", "output", "show", "replace-stack", "port").get("output_value").asText()).isEqualTo(portId);

    cli.ok("stack", "delete", "--yes", "--wait", "replace-stack");
    assertThat(cli.run("port", "show", portId).exitCode()).isNotZero();
  }

  @Test
  void failedReplacementRollsBackAndGivesThePortBackToTheOldServer() {
    cli.ok("stack", "create", "-t", template(), "--parameter", "policy=REPLACE", "--wait", "rollback-stack");
    String oldServer = serverOf("rollback-stack");
    String portId = cli.json("stack", "output", "show", "rollback-stack", "port").get("output_value").asText();
    JsonNode before = cli.json("port", "show", portId);
    kiln.admin().put(Cloud.NOVA + "/os-kiln-faults/spawn", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);

    cli.run("stack", "update", "-t", template(), "--parameter", "policy=REPLACE", "--parameter", "flavor=m1.small",
        "--rollback", "enabled", "--wait", "rollback-stack");
    assertThat(status("rollback-stack")).isEqualTo("ROLLBACK_COMPLETE");
    assertThat(serverOf("rollback-stack")).isEqualTo(oldServer);
    JsonNode after = cli.json("port", "show", portId);
    assertThat(after.get("device_id").asText()).as("the port is back on the old server").isEqualTo(oldServer);
    assertThat(after.get("mac_address").asText()).isEqualTo(before.get("mac_address").asText());
    assertThat(after.get("fixed_ips").toString()).isEqualTo(before.get("fixed_ips").toString());
    assertThat(cli.json("server", "list").findValuesAsText("ID")).containsExactlyInAnyOrder(oldServer);
    cli.ok("stack", "delete", "--yes", "--wait", "rollback-stack");
    assertThat(cli.run("port", "show", portId).exitCode()).isNotZero();
  }

  @Test
  void imageChangeRebuildsTheSameServer() {
    cli.ok("stack", "create", "-t", template(), "--wait", "rebuild-stack");
    String serverId = serverOf("rebuild-stack");
    cli.ok("stack", "update", "-t", template(), "--parameter", "image=other", "--wait", "rebuild-stack");
    assertThat(status("rebuild-stack")).isEqualTo("UPDATE_COMPLETE");
    assertThat(serverOf("rebuild-stack")).isEqualTo(serverId);
    JsonNode server = cli.json("server", "show", serverId);
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.get("image").asText()).contains("other");
    cli.ok("stack", "delete", "--yes", "--wait", "rebuild-stack");
  }

  @Test
  void networksChangeAttachesAndDetachesInPlace() throws IOException {
    String userPort = cli.json("port", "create", "--network", "backend", "extra").get("id").asText();
    Path first = dir.resolve("nets1.yaml");
    Files.writeString(
        first,
        """
        heat_template_version: 2018-08-31
        resources:
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}, {network: backend}]
        outputs:
          private_port: {value: {get_attr: [server, addresses, private, 0, port]}}
          backend_port: {value: {get_attr: [server, addresses, backend, 0, port]}}
        """);
    cli.ok("stack", "create", "-t", first.toString(), "--wait", "nets-stack");
    String serverId = serverOf("nets-stack");
    String privatePort = cli.json("stack", "output", "show", "nets-stack", "private_port").get("output_value").asText();
    String backendPort = cli.json("stack", "output", "show", "nets-stack", "backend_port").get("output_value").asText();

    Path second = dir.resolve("nets2.yaml");
    Files.writeString(
        second,
        """
        heat_template_version: 2018-08-31
        parameters:
          port: {type: string}
        resources:
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}, {port: {get_param: port}}]
        """);
    cli.ok("stack", "update", "-t", second.toString(), "--parameter", "port=" + userPort, "--wait", "nets-stack");
    assertThat(status("nets-stack")).isEqualTo("UPDATE_COMPLETE");
    assertThat(serverOf("nets-stack")).as("never a replacement").isEqualTo(serverId);
    assertThat(cli.json("port", "show", privatePort).get("device_id").asText()).isEqualTo(serverId);
    assertThat(cli.run("port", "show", backendPort).exitCode()).as("the removed Heat-made port is deleted").isNotZero();
    assertThat(cli.json("port", "show", userPort).get("device_id").asText()).isEqualTo(serverId);

    cli.ok("stack", "update", "-t", first.toString(), "--wait", "nets-stack");
    assertThat(status("nets-stack")).isEqualTo("UPDATE_COMPLETE");
    assertThat(serverOf("nets-stack")).isEqualTo(serverId);
    JsonNode detached = cli.json("port", "show", userPort);
    assertThat(detached.get("device_id").asText()).as("the user's port is detached, not deleted").isEmpty();
    assertThat(cli.json("port", "show", privatePort).get("device_id").asText()).isEqualTo(serverId);
    cli.ok("stack", "delete", "--yes", "--wait", "nets-stack");
    assertThat(cli.json("port", "show", userPort).get("id").asText()).isEqualTo(userPort);
  }

  @Test
  void tagsAreSetAtBootAndReplacedInPlace() throws IOException {
    String tagged =
        """
        heat_template_version: 2018-08-31
        parameters:
          tags: {type: comma_delimited_list}
        resources:
          server:
            type: OS::Nova::Server
            properties:
              image: cirros
              flavor: m1.tiny
              networks: [{network: private}]
              tags: {get_param: tags}
        outputs:
          tags: {value: {get_attr: [server, tags]}}
        """;
    Path file = dir.resolve("tagged.yaml");
    Files.writeString(file, tagged);
    cli.ok("stack", "create", "-t", file.toString(), "--parameter", "tags=web,blue", "--wait", "tags-stack");
    String server = serverOf("tags-stack");
    assertThat(cli.json("--os-compute-api-version", "2.26", "server", "show", server).get("tags"))
        .extracting(JsonNode::asText).containsExactlyInAnyOrder("web", "blue");

    cli.ok("stack", "update", "-t", file.toString(), "--parameter", "tags=web,green", "--wait", "tags-stack");

    assertThat(status("tags-stack")).isEqualTo("UPDATE_COMPLETE");
    assertThat(serverOf("tags-stack")).isEqualTo(server);
    assertThat(cli.json("--os-compute-api-version", "2.26", "server", "show", server).get("tags"))
        .extracting(JsonNode::asText).containsExactlyInAnyOrder("web", "green");
    assertThat(cli.json("stack", "output", "show", "tags-stack", "tags").get("output_value").toString())
        .contains("web").contains("green").doesNotContain("blue");
    cli.ok("stack", "delete", "--yes", "--wait", "tags-stack"); // the other tests count the project's servers
  }
}
