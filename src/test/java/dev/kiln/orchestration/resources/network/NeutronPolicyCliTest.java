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
    member.run("stack", "create", "-t", provider.toString(), "--wait", "prov");
    assertThat(member.json("stack", "resource", "show", "prov", "physnet").get("resource_status_reason").asText())
        .isEqualTo("Forbidden: resources.physnet: (rule:create_network:provider:network_type) is disallowed by policy.");

    admin.ok("stack", "create", "-t", provider.toString(), "--wait", "admin-prov");
    JsonNode physnet = admin.json("stack", "resource", "show", "admin-prov", "physnet");
    assertThat(physnet.get("attributes").get("show").get("provider:segmentation_id").asInt()).isEqualTo(101);
    assertThat(admin.json("network", "show", physnet.get("physical_resource_id").asText()).get("shared").asBoolean())
        .isTrue();
  }
}
