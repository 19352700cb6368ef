package dev.kiln.orchestration.resources.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subnet pools, security group rules, routers and floating IP associations through the real
 * {@code openstack stack} client: a subnet cut from the stack's pool, a rule on the stack's group,
 * and an update that renames the router and moves the floating IP to another port in place.
 */
class NeutronL3CliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli member;

  private static String template(String routerName, String associatedPort) {
    return """
        heat_template_version: 2018-08-31
        resources:
          pool:
            type: OS::Neutron::SubnetPool
            properties:
              prefixes: [10.100.0.0/16]
              default_prefixlen: 24
          net:
            type: OS::Neutron::Net
          subnet:
            type: OS::Neutron::Subnet
            properties:
              network: {get_resource: net}
              subnetpool: {get_resource: pool}
              prefixlen: 26
          sg:
            type: OS::Neutron::SecurityGroup
            properties:
              description: web servers
          https:
            type: OS::Neutron::SecurityGroupRule
            properties:
              security_group: {get_resource: sg}
              port_range_min: 443
              port_range_max: 443
              remote_ip_prefix: 0.0.0.0/0
          router:
            type: OS::Neutron::Router
            properties:
              name: %s
              external_gateway_info: {network: public}
          interface:
            type: OS::Neutron::RouterInterface
            properties:
              router: {get_resource: router}
              subnet: {get_resource: subnet}
          a:
            type: OS::Neutron::Port
            properties:
              network: {get_resource: net}
              fixed_ips: [{subnet: {get_resource: subnet}}]
              security_groups: [{get_resource: sg}]
          b:
            type: OS::Neutron::Port
            properties:
              network: {get_resource: net}
              fixed_ips: [{subnet: {get_resource: subnet}}]
          fip:
            type: OS::Neutron::FloatingIP
            properties:
              floating_network: public
          association:
            type: OS::Neutron::FloatingIPAssociation
            properties:
              floatingip_id: {get_resource: fip}
              port_id: {get_resource: %s}
        """.formatted(routerName, associatedPort);
  }

  @BeforeAll
  static void cloud() {
    OpenStackCli admin = kiln.adminCli();
    admin.ok("network", "create", "--external", "public");
    admin.ok("subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "public-subnet");
    member = Tenant.create(kiln, kiln.admin(), "heat-neutron-l3", "heat-neutron-l3-user").cli(kiln.authUrl());
  }

  @Test
  void poolsRulesRoutersAndAssociationsCreateUpdateInPlaceAndDelete() throws IOException {
    Path v1 = Files.writeString(dir.resolve("v1.yaml"), template("edge", "a"));
    Path v2 = Files.writeString(dir.resolve("v2.yaml"), template("edge-2", "b"));
    member.ok("stack", "create", "-t", v1.toString(), "--wait", "l3");
    Map<String, String> ids = physicalIds();

    JsonNode subnet = member.json("subnet", "show", ids.get("subnet"));
    assertThat(subnet.get("subnetpool_id").asText()).isEqualTo(ids.get("pool"));
    assertThat(subnet.get("cidr").asText()).startsWith("10.100.").endsWith("/26");
    JsonNode rule = member.json("security", "group", "rule", "show", ids.get("https"));
    assertThat(rule.get("security_group_id").asText()).isEqualTo(ids.get("sg"));
    assertThat(rule.get("port_range_min").asInt()).isEqualTo(443);
    assertThat(rule.get("protocol").asText()).isEqualTo("tcp");
    assertThat(member.json("floating", "ip", "show", ids.get("fip")).get("port_id").asText()).isEqualTo(ids.get("a"));
    // No depends_on: Heat's implicit dependencies order the ports after the subnet, the router after
    // nothing it names, and the association after the interface that routes its port's subnet.
    assertThat(requiredBy("subnet")).contains("a", "b", "interface");
    assertThat(requiredBy("interface")).contains("association");
    assertThat(requiredBy("router")).contains("interface", "fip");

    member.ok("stack", "update", "-t", v2.toString(), "--wait", "l3");
    Map<String, String> after = physicalIds();
    assertThat(after).isEqualTo(ids);
    assertThat(member.json("router", "show", ids.get("router")).get("name").asText()).isEqualTo("edge-2");
    assertThat(member.json("floating", "ip", "show", ids.get("fip")).get("port_id").asText()).isEqualTo(ids.get("b"));

    member.ok("stack", "delete", "--yes", "--wait", "l3");
    assertThat(member.run("subnet", "pool", "show", ids.get("pool")).exitCode()).isNotZero();
    assertThat(member.run("security", "group", "show", ids.get("sg")).exitCode()).isNotZero();
    assertThat(member.run("router", "show", ids.get("router")).exitCode()).isNotZero();
    assertThat(member.json("floating", "ip", "list").size()).isZero();
  }

  private static java.util.List<String> requiredBy(String resource) {
    java.util.List<String> names = new java.util.ArrayList<>();
    member.json("stack", "resource", "show", "l3", resource).get("required_by").forEach(n -> names.add(n.asText()));
    return names;
  }

  private static Map<String, String> physicalIds() {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode r : member.json("stack", "resource", "list", "l3")) {
      assertThat(r.get("resource_status").asText()).as(r.toString()).endsWith("_COMPLETE");
      ids.put(r.get("resource_name").asText(), r.get("physical_resource_id").asText());
    }
    return ids;
  }
}
