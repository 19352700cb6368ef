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
 * A member's stack can do what the member can through Networking's API, no more: Networking's 403
 * fails the resource with its message; the neutron.* constraints refuse what the member cannot
 * see before anything is made; an admin's stack may bind a port to a host.
 */
class NeutronPolicyCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli member;
  private static OpenStackCli admin;

  private static final String BOUND_PORT =
      """
      heat_template_version: 2018-08-31
      resources:
        net:
          type: OS::Neutron::Net
        subnet:
          type: OS::Neutron::Subnet
          properties:
            network: {get_resource: net}
            cidr: 10.40.0.0/24
        port:
          type: OS::Neutron::Port
          properties:
            network: {get_resource: net}
            fixed_ips: [{subnet: {get_resource: subnet}}]
            value_specs: {"binding:host_id": kiln-compute-1}
      """;

  @BeforeAll
  static void users() throws IOException {
    member = Tenant.create(kiln, kiln.admin(), "heat-neutron-pol", "heat-neutron-pol-user").cli(kiln.authUrl());
    admin = kiln.adminCli();
    Files.writeString(dir.resolve("bound.yaml"), BOUND_PORT);
  }

  @Test
  void memberSettingBindingHostFailsThePortWithNetworkingsForbidden() {
    member.run("stack", "create", "-t", dir.resolve("bound.yaml").toString(), "--wait", "bound");
    JsonNode port = member.json("stack", "resource", "show", "bound", "port");
    assertThat(port.get("resource_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(port.get("resource_status_reason").asText())
        .isEqualTo("Forbidden: resources.port: (rule:create_port:binding:host_id) is disallowed by policy.");
    JsonNode stack = member.json("stack", "show", "bound");
    assertThat(stack.get("stack_status").asText()).isEqualTo("CREATE_FAILED");
    assertThat(stack.get("stack_status_reason").asText())
        .contains("(rule:create_port:binding:host_id) is disallowed by policy.");
    // Nothing half made: the member's project has no port at all.
    assertThat(member.json("port", "list").size()).isZero();
    member.ok("stack", "delete", "--yes", "--wait", "bound");
  }

  @Test
  void adminMayBindThePortToAHost() {
    admin.ok("stack", "create", "-t", dir.resolve("bound.yaml").toString(), "--wait", "admin-bound");
    String portId =
        admin.json("stack", "resource", "show", "admin-bound", "port").get("physical_resource_id").asText();
    assertThat(admin.json("port", "show", portId).get("binding_host_id").asText()).isEqualTo("kiln-compute-1");
    admin.ok("stack", "delete", "--yes", "--wait", "admin-bound");
  }

  @Test
  void constraintsRefuseNetworksTheMemberCannotSeeAndProviderNetworksAreForAdmins() throws IOException {
    String adminNet = admin.json("network", "create", "admin-private").get("id").asText();
    Path template = Files.writeString(dir.resolve("other.yaml"),
        """
        heat_template_version: 2018-08-31
        resources:
          port:
            type: OS::Neutron::Port
            properties:
              network: %s
        """.formatted(adminNet));
    OpenStackCli.Result refused = member.run("stack", "create", "-t", template.toString(), "other");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr())
        .contains("resources.port.properties.network: Error validating value '" + adminNet
            + "': Unable to find network with name or id '" + adminNet + "'");

    Path provider = Files.writeString(dir.resolve("provider.yaml"),
        """
        heat_template_version: 2018-08-31
        resources:
          physnet:
            type: OS::Neutron::ProviderNet
            properties:
              network_type: vlan
              physical_network: physnet1
              segmentation_id: "101"
        """);
    OpenStackCli.Result refusedProvider = member.run("stack", "create", "-t", provider.toString(), "--wait", "prov");
    assertThat(refusedProvider.exitCode()).isNotZero();
    assertThat(refusedProvider.stderr()).contains("You are not authorized to use OS::Neutron::ProviderNet.");
    assertThat(member.run("stack", "show", "prov").exitCode()).isNotZero();

    admin.ok("stack", "create", "-t", provider.toString(), "--wait", "admin-prov");
    JsonNode physnet = admin.json("stack", "resource", "show", "admin-prov", "physnet");
    assertThat(physnet.get("attributes").get("show").get("provider:segmentation_id").asInt()).isEqualTo(101);
    assertThat(admin.json("network", "show", physnet.get("physical_resource_id").asText()).get("shared").asBoolean())
        .isTrue();
  }

  @Test
  void portTypeShowsHeatsSchema() {
    JsonNode port = member.json("orchestration", "resource", "type", "show", "OS::Neutron::Port");
    JsonNode props = port.get("properties");
    // Required, as Heat's: network_id (hidden, deprecated) stands in for it by translation.
    assertThat(props.at("/network/required").asBoolean()).isTrue();
    assertThat(props.at("/network/update_allowed").asBoolean()).isFalse();
    assertThat(props.at("/fixed_ips/update_allowed").asBoolean()).isTrue();
    assertThat(props.at("/mac_address/update_allowed").asBoolean()).isTrue();
    assertThat(props.at("/binding:vnic_type/default").asText()).isEqualTo("normal");
    assertThat(props.has("network_id")).as("hidden properties are not shown").isFalse();
    assertThat(port.get("attributes").has("show")).isTrue();
    assertThat(port.get("attributes").has("mac_address")).isTrue();
  }

  @Test
  void theOtherNeutronTypesShowTheirRequiredProperties() {
    assertThat(member.json("orchestration", "resource", "type", "show", "OS::Neutron::Subnet")
        .at("/properties/network/required").asBoolean()).isTrue();
    assertThat(member.json("orchestration", "resource", "type", "show", "OS::Neutron::FloatingIP")
        .at("/properties/floating_network/required").asBoolean()).isTrue();
    assertThat(member.json("orchestration", "resource", "type", "show", "OS::Neutron::RouterInterface")
        .at("/properties/router/required").asBoolean()).isTrue();
  }

  @Test
  void propertyErrorsAnswer400BeforeAnythingIsMade() throws IOException {
    Path noSubnetNorPort = Files.writeString(dir.resolve("bad-interface.yaml"), """
        heat_template_version: 2018-08-31
        resources:
          router:
            type: OS::Neutron::Router
          interface:
            type: OS::Neutron::RouterInterface
            properties:
              router: {get_resource: router}
        """);
    OpenStackCli.Result refused = member.run("stack", "create", "-t", noSubnetNorPort.toString(), "bad-interface");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("At least one of the following properties must be specified: subnet, port.");
    assertThat(member.run("stack", "show", "bad-interface").exitCode()).isNotZero();

    Path both = Files.writeString(dir.resolve("both-network.yaml"), """
        heat_template_version: 2018-08-31
        resources:
          net:
            type: OS::Neutron::Net
          port:
            type: OS::Neutron::Port
            properties:
              network: {get_resource: net}
              network_id: {get_resource: net}
        """);
    OpenStackCli.Result conflict = member.run("stack", "create", "-t", both.toString(), "both-network");
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("Cannot define the following properties at the same time: network, network_id.");

    Path missing = Files.writeString(dir.resolve("no-network.yaml"), """
        heat_template_version: 2018-08-31
        resources:
          port:
            type: OS::Neutron::Port
            properties:
              name: lonely
        """);
    OpenStackCli.Result unassigned = member.run("stack", "create", "-t", missing.toString(), "no-network");
    assertThat(unassigned.exitCode()).isNotZero();
    assertThat(unassigned.stderr()).contains("Property network not assigned");
    assertThat(member.json("port", "list").findValuesAsText("Name")).doesNotContain("lonely");
  }
}
