package dev.kiln.orchestration.resources.network;

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
 * OS::Neutron::Trunk through the real {@code openstack stack} client: a member's stack makes a trunk
 * on its parent port with a subport; an update renames it and swaps its subports in place (same
 * trunk); a delete removes the trunk and leaves no port a subport.
 */
class TrunkStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli member;

  @BeforeAll
  static void member() {
    member = Tenant.create(kiln, kiln.admin(), "heat-trunk", "heat-trunk-user").cli(kiln.authUrl());
  }

  private static String template(String name, String subPorts) {
    return """
        heat_template_version: 2018-08-31
        resources:
          net: {type: OS::Neutron::Net}
          vlan_net: {type: OS::Neutron::Net}
          subnet:
            type: OS::Neutron::Subnet
            properties: {network: {get_resource: net}, cidr: 10.40.0.0/24}
          vlan_subnet:
            type: OS::Neutron::Subnet
            properties: {network: {get_resource: vlan_net}, cidr: 10.41.0.0/24}
          parent:
            type: OS::Neutron::Port
            properties: {network: {get_resource: net}}
          sub_a:
            type: OS::Neutron::Port
            properties: {network: {get_resource: vlan_net}}
          sub_b:
            type: OS::Neutron::Port
            properties: {network: {get_resource: vlan_net}}
          trunk:
            type: OS::Neutron::Trunk
            properties:
              name: %s
              port: {get_resource: parent}
              sub_ports: %s
        outputs:
          parent: {value: {get_attr: [trunk, port_id]}}
        """.formatted(name, subPorts);
  }

  @Test
  void aTrunkIsMadeUpdatedInPlaceAndDeleted() throws IOException {
    Path v1 = Files.writeString(dir.resolve("v1.yaml"), template("trunk-a",
        "[{port: {get_resource: sub_a}, segmentation_type: vlan, segmentation_id: 101}]"));
    Path v2 = Files.writeString(dir.resolve("v2.yaml"), template("trunk-b",
        "[{port: {get_resource: sub_b}, segmentation_type: vlan, segmentation_id: 101},"
            + " {port: {get_resource: sub_a}, segmentation_type: vlan, segmentation_id: 202}]"));
    member.ok("stack", "create", "-t", v1.toString(), "--wait", "trunked");
    String trunk = member.json("stack", "resource", "show", "trunked", "trunk").get("physical_resource_id").asText();
    String parent = member.json("stack", "resource", "show", "trunked", "parent").get("physical_resource_id").asText();
    String subA = member.json("stack", "resource", "show", "trunked", "sub_a").get("physical_resource_id").asText();
    String subB = member.json("stack", "resource", "show", "trunked", "sub_b").get("physical_resource_id").asText();
    JsonNode shown = member.json("network", "trunk", "show", trunk);
    assertThat(shown.get("name").asText()).isEqualTo("trunk-a");
    assertThat(shown.get("port_id").asText()).isEqualTo(parent);
    assertThat(shown.get("sub_ports").toString()).contains(subA, "101").doesNotContain(subB);
    assertThat(member.json("stack", "output", "show", "trunked", "parent").get("output_value").asText()).isEqualTo(parent);

    member.ok("stack", "update", "-t", v2.toString(), "--wait", "trunked");
    assertThat(member.json("stack", "show", "trunked").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(member.json("stack", "resource", "show", "trunked", "trunk").get("physical_resource_id").asText())
        .isEqualTo(trunk);
    JsonNode updated = member.json("network", "trunk", "show", trunk);
    assertThat(updated.get("name").asText()).isEqualTo("trunk-b");
    JsonNode subs = updated.get("sub_ports");
    assertThat(subs).hasSize(2);
    for (JsonNode s : subs) {
      assertThat(s.get("segmentation_id").asInt()).isEqualTo(s.get("port_id").asText().equals(subB) ? 101 : 202);
    }

    member.ok("stack", "delete", "--yes", "--wait", "trunked");
    assertThat(member.run("network", "trunk", "show", trunk).exitCode()).isNotZero();
  }
}
