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
 * OS::Nova::Server created, checked, suspended, resumed and deleted through the real {@code
 * openstack stack} client, as a project member, with the result read back through {@code
 * openstack server show} and {@code openstack port show}.
 */
class ServerStackTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static Tenant member;
  private static String networkId;

  @BeforeAll
  static void project() {
    member = Tenant.create(kiln, kiln.admin(), "nova-heat", "nova-heat-user");
    cli = member.cli(kiln.authUrl());
    networkId = Cloud.network(member.api(), "private", "10.20.0.0/24");
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void serverOnANetworkGetsAPortHeatMadeAndLosesItWithTheStack() throws IOException {
    String template =
        file(
            "net.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              server:
                type: OS::Nova::Server
                properties:
                  image: cirros
                  flavor: m1.tiny
                  networks: [{network: private, tag: nic0}]
                  metadata: {role: web, weight: 3}
                  user_data_format: RAW
                  user_data: "#!/bin/sh\\necho hi\\n"
            outputs:
              address: {value: {get_attr: [server, first_address]}}
              networks: {value: {get_attr: [server, networks]}}
              port: {value: {get_attr: [server, addresses, private, 0, port]}}
              name: {value: {get_attr: [server, name]}}
              instance: {value: {get_attr: [server, instance_name]}}
            """);
    cli.ok("stack", "create", "-t", template, "--wait", "net-stack");
    JsonNode resource = cli.json("stack", "resource", "show", "net-stack", "server");
    assertThat(resource.get("resource_status").asText()).isEqualTo("CREATE_COMPLETE");
    String serverId = resource.get("physical_resource_id").asText();

    JsonNode server = cli.json("server", "show", serverId);
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.get("name").asText()).startsWith("net-stack-server-");
    assertThat(server.get("properties").toString()).contains("role").contains("web").contains("weight");

    String address = output("net-stack", "address").asText();
    assertThat(address).startsWith("10.20.0.");
    assertThat(output("net-stack", "networks").get("private").get(0).asText()).isEqualTo(address);
    assertThat(output("net-stack", "networks").get(networkId).get(0).asText()).isEqualTo(address);
    assertThat(output("net-stack", "name").asText()).isEqualTo(server.get("name").asText());
    assertThat(output("net-stack", "instance").asText()).isEqualTo("instance-" + serverId.substring(0, 8));

    String portId = output("net-stack", "port").asText();
    JsonNode port = cli.json("port", "show", portId);
    assertThat(port.get("device_id").asText()).isEqualTo(serverId);
    assertThat(port.get("name").asText()).isEqualTo("server-port-0");
    assertThat(port.get("network_id").asText()).isEqualTo(networkId);
    JsonNode interfaces =
        member.atNova("2.70").get(Cloud.NOVA + "/servers/" + serverId + "/os-interface").expect(200).get("interfaceAttachments");
    assertThat(interfaces.get(0).get("tag").asText()).isEqualTo("nic0");

    cli.ok("stack", "check", "--wait", "net-stack");
    assertThat(cli.json("stack", "show", "net-stack").get("stack_status").asText()).isEqualTo("CHECK_COMPLETE");
    cli.ok("stack", "suspend", "--wait", "net-stack");
    assertThat(cli.json("server", "show", serverId).get("status").asText()).isEqualTo("SUSPENDED");
    cli.ok("stack", "resume", "--wait", "net-stack");
    assertThat(cli.json("server", "show", serverId).get("status").asText()).isEqualTo("ACTIVE");

    cli.ok("stack", "delete", "--yes", "--wait", "net-stack");
    assertThat(cli.run("server", "show", serverId).exitCode()).isNotZero();
    assertThat(cli.run("port", "show", portId).exitCode()).as("the port Heat made goes with the stack").isNotZero();
  }

  @Test
  void computeTypesShowTheirSchemas() {
    JsonNode server = cli.json("orchestration", "resource", "type", "show", "OS::Nova::Server");
    JsonNode policy = server.get("properties").get("flavor_update_policy");
    assertThat(policy.get("default").asText()).isEqualTo("RESIZE");
    assertThat(policy.get("update_allowed").asBoolean()).isTrue();
    assertThat(server.get("properties").get("networks").get("update_allowed").asBoolean()).isTrue();
    assertThat(server.get("properties").get("key_name").get("update_allowed").asBoolean()).isFalse();
    assertThat(server.get("attributes").has("networks")).isTrue();
    assertThat(server.get("attributes").has("first_address")).as("hidden, as in Heat").isFalse();
    assertThat(cli.json("orchestration", "resource", "type", "list").toString())
        .contains("OS::Nova::Server", "OS::Nova::ServerGroup", "OS::Nova::KeyPair")
        .doesNotContain("OS::Nova::Flavor"); // admin-only (Heat's resource_types policy): hidden from members
    assertThat(kiln.adminCli().json("orchestration", "resource", "type", "list").toString()).contains("OS::Nova::Flavor");
  }

  @Test
  void userPortIsPluggedAndKeptWhenTheStackGoes() throws IOException {
    JsonNode port = cli.json("port", "create", "--network", networkId, "mine");
    String portId = port.get("id").asText();
    String template =
        file(
            "port.yaml",
            """
            heat_template_version: 2018-08-31
            parameters:
              port: {type: string}
            resources:
              server:
                type: OS::Nova::Server
                properties:
                  name: with-port
                  image: cirros
                  flavor: "1"
                  networks: [{port: {get_param: port}}]
            """);
    cli.ok("stack", "create", "-t", template, "--parameter", "port=" + portId, "--wait", "port-stack");
    String serverId = cli.json("stack", "resource", "show", "port-stack", "server").get("physical_resource_id").asText();
    assertThat(cli.json("server", "show", serverId).get("name").asText()).isEqualTo("with-port");
    assertThat(cli.json("port", "show", portId).get("device_id").asText()).isEqualTo(serverId);

    cli.ok("stack", "delete", "--yes", "--wait", "port-stack");
    JsonNode kept = cli.json("port", "show", portId);
    assertThat(kept.get("device_id").asText()).isEmpty();
    assertThat(kept.get("mac_address").asText()).isEqualTo(port.get("mac_address").asText());
    assertThat(kept.get("fixed_ips").toString()).isEqualTo(port.get("fixed_ips").toString());
  }

  @Test
  void memberMakingAFlavorIsRefusedUpFront() throws IOException {
    String template =
        file(
            "huge.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              big:
                type: OS::Nova::Flavor
                properties: {ram: 999999999, vcpus: 1, disk: 1}
            """);
    // OS::Nova::Flavor is admin-only in Heat's resource_types policy: 403 before anything is stored.
    OpenStackCli.Result refused = cli.run("stack", "create", "-t", template, "--wait", "flavor-stack");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("You are not authorized to use OS::Nova::Flavor.");
    assertThat(cli.run("stack", "show", "flavor-stack").exitCode()).isNotZero();
  }

  @Test
  void serverThatGoesToErrorFailsTheResourceWithNovasFault() throws IOException {
    kiln.admin().put(Cloud.NOVA + "/os-kiln-faults/spawn", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    String template =
        file(
            "error.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              doomed:
                type: OS::Nova::Server
                properties: {image: cirros, flavor: m1.tiny, networks: [{network: private}]}
            """);
    cli.run("stack", "create", "-t", template, "--wait", "error-stack");
    JsonNode stack = cli.json("stack", "show", "error-stack");
    assertThat(stack.get("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(stack.get("stack_status_reason").asText())
        .startsWith("Resource CREATE failed: ResourceInError: resources.doomed: Went to status ERROR due to \"Message: ")
        .endsWith(", Code: 500\"");
    cli.ok("stack", "delete", "--yes", "--wait", "error-stack");
    assertThat(cli.json("port", "list").findValuesAsText("Name")).doesNotContain("doomed-port-0");
  }

  @Test
  void unknownFlavorIsRefusedByTheCustomConstraint() throws IOException {
    String template =
        file(
            "bad.yaml",
            """
            heat_template_version: 2018-08-31
            resources:
              server:
                type: OS::Nova::Server
                properties: {image: cirros, flavor: m1.enormous}
            """);
    OpenStackCli.Result result = cli.run("stack", "create", "-t", template, "--wait", "bad-stack");
    String said = result.stdout() + result.stderr() + cli.run("stack", "show", "bad-stack").stdout();
    assertThat(said).contains("Error validating value 'm1.enormous': The Flavor (m1.enormous) could not be found.");
  }

  private static JsonNode output(String stack, String key) {
    return cli.json("stack", "output", "show", stack, key).get("output_value");
  }
}
