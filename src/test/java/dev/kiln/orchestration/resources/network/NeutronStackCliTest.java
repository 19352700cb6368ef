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
 * A member's stack of a whole tenant network (network, subnet, router with its gateway, interface,
 * port, floating IP) through the real {@code openstack stack} client, checked with {@code openstack
 * network/subnet/port/router/floating ip show}, then deleted without leaving anything behind.
 */
class NeutronStackCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli member;

  private static final String TOPOLOGY =
      """
      heat_template_version: 2018-08-31
      parameters:
        public_net:
          type: string
          constraints:
            - custom_constraint: neutron.network
      resources:
        net:
          type: OS::Neutron::Net
          properties:
            name: app-net
            tags: [app]
        subnet:
          type: OS::Neutron::Subnet
          properties:
            network: {get_resource: net}
            cidr: 10.20.0.0/24
            dns_nameservers: [8.8.8.8]
        router:
          type: OS::Neutron::Router
          properties:
            external_gateway_info:
              network: {get_param: public_net}
        interface:
          type: OS::Neutron::RouterInterface
          properties:
            router: {get_resource: router}
            subnet: {get_resource: subnet}
        port:
          type: OS::Neutron::Port
          properties:
            network: {get_resource: net}
            fixed_ips: [{subnet: {get_resource: subnet}, ip_address: 10.20.0.50}]
            name: app-port
        fip:
          type: OS::Neutron::FloatingIP
          depends_on: [interface]
          properties:
            floating_network: {get_param: public_net}
            port_id: {get_resource: port}
      outputs:
        port_ip:
          value: {get_attr: [port, fixed_ips, 0, ip_address]}
        port_mac:
          value: {get_attr: [port, mac_address]}
        floating_ip:
          value: {get_attr: [fip, floating_ip_address]}
        subnet_cidr:
          value: {get_attr: [subnet, cidr]}
        net_subnets:
          value: {get_attr: [net, subnets]}
        router_gateway:
          value: {get_attr: [router, external_gateway_info, network_id]}
      """;

  @BeforeAll
  static void cloud() throws IOException {
    OpenStackCli admin = kiln.adminCli();
    admin.ok("network", "create", "--external", "public");
    admin.ok("subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "public-subnet");
    member = Tenant.create(kiln, kiln.admin(), "heat-neutron", "heat-neutron-user").cli(kiln.authUrl());
    Files.writeString(dir.resolve("topology.yaml"), TOPOLOGY);
  }

  @Test
  void wholeTopologyIsCreatedAsTheMemberAndDeletedWithoutLeftovers() {
    member.ok("stack", "create", "-t", dir.resolve("topology.yaml").toString(), "--parameter", "public_net=public",
        "--wait", "topology");
    JsonNode stack = member.json("stack", "show", "topology");
    assertThat(stack.get("stack_status").asText()).as(stack.toString()).isEqualTo("CREATE_COMPLETE");

    String netId = physicalId("net");
    JsonNode net = member.json("network", "show", netId);
    assertThat(net.get("name").asText()).isEqualTo("app-net");
    assertThat(net.get("tags").toString()).contains("app");

    String subnetId = physicalId("subnet");
    JsonNode subnet = member.json("subnet", "show", subnetId);
    assertThat(subnet.get("network_id").asText()).isEqualTo(netId);
    assertThat(subnet.get("cidr").asText()).isEqualTo("10.20.0.0/24");
    assertThat(subnet.get("name").asText()).startsWith("topology-subnet-");
    assertThat(subnet.get("dns_nameservers").toString()).contains("8.8.8.8");

    String routerId = physicalId("router");
    JsonNode router = member.json("router", "show", routerId);
    String publicId = member.json("network", "show", "public").get("id").asText();
    assertThat(router.get("external_gateway_info").toString()).contains(publicId);
    assertThat(physicalId("interface")).isEqualTo(routerId + ":subnet_id=" + subnetId);
    JsonNode interfacePorts = member.json("port", "list", "--router", routerId);
    assertThat(interfacePorts.toString()).contains("10.20.0.1");

    String portId = physicalId("port");
    JsonNode port = member.json("port", "show", portId);
    assertThat(port.get("name").asText()).isEqualTo("app-port");
    assertThat(port.get("fixed_ips").toString()).contains("10.20.0.50");

    String fipId = physicalId("fip");
    JsonNode fip = member.json("floating", "ip", "show", fipId);
    assertThat(fip.get("port_id").asText()).isEqualTo(portId);
    assertThat(fip.get("fixed_ip_address").asText()).isEqualTo("10.20.0.50");
    assertThat(fip.get("router_id").asText()).isEqualTo(routerId);

    assertThat(output("port_ip")).isEqualTo("10.20.0.50");
    assertThat(output("port_mac")).isEqualTo(port.get("mac_address").asText());
    assertThat(output("floating_ip")).isEqualTo(fip.get("floating_ip_address").asText());
    assertThat(output("subnet_cidr")).isEqualTo("10.20.0.0/24");
    assertThat(output("net_subnets")).contains(subnetId);
    assertThat(output("router_gateway")).isEqualTo(publicId);

    JsonNode shown = member.json("stack", "resource", "show", "topology", "port");
    assertThat(shown.get("attributes").get("show").get("id").asText()).isEqualTo(portId);
    assertThat(shown.get("attributes").get("network_id").asText()).isEqualTo(netId);

    member.ok("stack", "delete", "--yes", "--wait", "topology");
    assertThat(member.run("network", "show", netId).exitCode()).isNotZero();
    assertThat(member.run("subnet", "show", subnetId).exitCode()).isNotZero();
    assertThat(member.run("port", "show", portId).exitCode()).isNotZero();
    assertThat(member.run("router", "show", routerId).exitCode()).isNotZero();
    assertThat(member.run("floating", "ip", "show", fipId).exitCode()).isNotZero();
  }

  private static String physicalId(String resource) {
    return member.json("stack", "resource", "show", "topology", resource).get("physical_resource_id").asText();
  }

  private static String output(String name) {
    JsonNode value = member.json("stack", "output", "show", "topology", name).get("output_value");
    return value.isTextual() ? value.asText() : value.toString();
  }
}
