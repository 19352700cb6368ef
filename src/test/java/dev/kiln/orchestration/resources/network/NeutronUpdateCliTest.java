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
 * Stack updates of the Networking types through the real {@code openstack stack update}: what Heat
 * updates in place keeps its id (and a port its MAC and address), what it replaces gets a new one
 * and the old one is gone; {@code openstack stack check} finds a resource deleted behind the
 * stack's back.
 */
class NeutronUpdateCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli member;

  private static String template(
      String netName, String dns, String portName, String movedNet, String rulePort, String policy) {
    return """
        heat_template_version: 2018-08-31
        resources:
          net:
            type: OS::Neutron::Net
            properties:
              name: %s
          net2:
            type: OS::Neutron::Net
          subnet:
            type: OS::Neutron::Subnet
            properties:
              network: {get_resource: net}
              cidr: 10.30.0.0/24
              dns_nameservers: [%s]
          subnet2:
            type: OS::Neutron::Subnet
            properties:
              network: {get_resource: net2}
              cidr: 10.31.0.0/24
          sg:
            type: OS::Neutron::SecurityGroup
            properties:
              rules:
                - {protocol: tcp, port_range_min: %s, port_range_max: %s}
          port:
            type: OS::Neutron::Port
            properties:
              name: %s
              network: {get_resource: net}
              fixed_ips: [{subnet: {get_resource: subnet}}]
              security_groups: [{get_resource: sg}]
          moved:
            type: OS::Neutron::Port
            properties:
              network: {get_resource: %s}
              fixed_ips: [{subnet: {get_resource: %s}}]
          always:
            type: OS::Neutron::Port
            properties:
              name: always-%s
              network: {get_resource: net}
              fixed_ips: [{subnet: {get_resource: subnet}}]
              replacement_policy: %s
        """.formatted(netName, dns, rulePort, rulePort, portName, movedNet, movedNet.equals("net") ? "subnet" : "subnet2",
            portName, policy);
  }

  @BeforeAll
  static void member() {
    member = Tenant.create(kiln, kiln.admin(), "heat-neutron-upd", "heat-neutron-upd-user").cli(kiln.authUrl());
  }

  @Test
  void inPlaceChangesKeepIdsAndReplacementsMakeNewOnes() throws IOException {
    Path v1 = Files.writeString(dir.resolve("v1.yaml"), template("net-a", "8.8.8.8", "port-a", "net", "22", "REPLACE_ALWAYS"));
    Path v2 = Files.writeString(dir.resolve("v2.yaml"), template("net-b", "1.1.1.1", "port-b", "net2", "443", "REPLACE_ALWAYS"));
    member.ok("stack", "create", "-t", v1.toString(), "--wait", "upd");
    Map<String, String> before = physicalIds();
    JsonNode portBefore = member.json("port", "show", before.get("port"));

    member.ok("stack", "update", "-t", v2.toString(), "--wait", "upd");
    JsonNode stack = member.json("stack", "show", "upd");
    assertThat(stack.get("stack_status").asText()).as(stack.toString()).isEqualTo("UPDATE_COMPLETE");
    Map<String, String> after = physicalIds();

    // In place: same ids.
    for (String same : new String[] {"net", "net2", "subnet", "subnet2", "sg", "port"}) {
      assertThat(after.get(same)).as(same).isEqualTo(before.get(same));
    }
    assertThat(member.json("network", "show", after.get("net")).get("name").asText()).isEqualTo("net-b");
    assertThat(member.json("subnet", "show", after.get("subnet")).get("dns_nameservers").toString())
        .contains("1.1.1.1").doesNotContain("8.8.8.8");
    JsonNode portAfter = member.json("port", "show", after.get("port"));
    assertThat(portAfter.get("name").asText()).isEqualTo("port-b");
    assertThat(portAfter.get("mac_address").asText()).isEqualTo(portBefore.get("mac_address").asText());
    assertThat(portAfter.get("fixed_ips")).isEqualTo(portBefore.get("fixed_ips"));
    JsonNode rules = member.json("security", "group", "rule", "list", after.get("sg"));
    assertThat(rules.toString()).contains("443:443").doesNotContain("22:22");

    // Replaced: a new network for the moved port, and REPLACE_ALWAYS; the old ports are gone.
    assertThat(after.get("moved")).isNotEqualTo(before.get("moved"));
    assertThat(member.json("port", "show", after.get("moved")).get("network_id").asText()).isEqualTo(after.get("net2"));
    assertThat(member.run("port", "show", before.get("moved")).exitCode()).isNotZero();
    assertThat(after.get("always")).isNotEqualTo(before.get("always"));
    assertThat(member.run("port", "show", before.get("always")).exitCode()).isNotZero();

    // REPLACE_ALWAYS replaces on every update, even one that changes nothing; the rest stays.
    member.ok("stack", "update", "--existing", "--wait", "upd");
    Map<String, String> again = physicalIds();
    assertThat(again.get("always")).isNotEqualTo(after.get("always"));
    assertThat(member.run("port", "show", after.get("always")).exitCode()).isNotZero();
    for (String same : new String[] {"net", "net2", "subnet", "subnet2", "sg", "port", "moved"}) {
      assertThat(again.get(same)).as(same).isEqualTo(after.get(same));
    }

    // Check: a port deleted behind the stack's back fails it; everything else is found well.
    member.ok("port", "delete", after.get("moved"));
    member.run("stack", "check", "--wait", "upd");
    Map<String, JsonNode> checked = new HashMap<>();
    member.json("stack", "resource", "list", "upd").forEach(r -> checked.put(r.get("resource_name").asText(), r));
    assertThat(checked.get("moved").get("resource_status").asText()).isEqualTo("CHECK_FAILED");
    assertThat(checked.get("port").get("resource_status").asText()).isEqualTo("CHECK_COMPLETE");
    assertThat(checked.get("net").get("resource_status").asText()).isEqualTo("CHECK_COMPLETE");
    assertThat(member.json("stack", "resource", "show", "upd", "moved").get("resource_status_reason").asText())
        .contains("could not be found");
    // A second check looks again: a port deleted since the first one is found missing now.
    member.ok("port", "delete", after.get("port"));
    member.run("stack", "check", "--wait", "upd");
    assertThat(member.json("stack", "resource", "show", "upd", "port").get("resource_status").asText())
        .isEqualTo("CHECK_FAILED");

    member.ok("stack", "delete", "--yes", "--wait", "upd");
    assertThat(member.run("network", "show", after.get("net")).exitCode()).isNotZero();
  }

  /** Heat's port takes a new MAC in place (Neutron lets an admin change an unbound port's MAC). */
  @Test
  void anAdminsNewMacAddressUpdatesThePortInPlace() throws IOException {
    OpenStackCli admin = kiln.adminCli();
    Path macs =
        Files.writeString(
            dir.resolve("mac.yaml"),
            """
            heat_template_version: 2015-04-30
            parameters:
              mac: {type: string, default: 00-00-00-00-BB-BB}
            resources:
              net: {type: OS::Neutron::Net}
              subnet:
                type: OS::Neutron::Subnet
                properties: {network: {get_resource: net}, cidr: 10.32.0.0/24, enable_dhcp: false}
              port:
                type: OS::Neutron::Port
                properties:
                  network: {get_resource: net}
                  mac_address: {get_param: mac}
                  fixed_ips: [{subnet: {get_resource: subnet}, ip_address: 10.32.0.11}]
            """);
    admin.ok("stack", "create", "-t", macs.toString(), "--wait", "mac");
    String port = admin.json("stack", "resource", "show", "mac", "port").get("physical_resource_id").asText();
    assertThat(admin.json("port", "show", port).get("mac_address").asText()).isEqualTo("00:00:00:00:bb:bb");

    admin.ok("stack", "update", "-t", macs.toString(), "--parameter", "mac=00-00-00-00-AA-AA", "--wait", "mac");
    assertThat(admin.json("stack", "show", "mac").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(admin.json("stack", "resource", "show", "mac", "port").get("physical_resource_id").asText())
        .isEqualTo(port);
    JsonNode after = admin.json("port", "show", port);
    assertThat(after.get("mac_address").asText()).isEqualTo("00:00:00:00:aa:aa");
    assertThat(after.get("fixed_ips").toString()).contains("10.32.0.11");
    admin.ok("stack", "delete", "--yes", "--wait", "mac");
  }

  /** A member may not change a MAC: the update fails with Networking's policy refusal. */
  @Test
  void aMembersNewMacAddressIsRefusedByNetworking() throws IOException {
    String template =
        """
        heat_template_version: 2015-04-30
        parameters:
          mac: {type: string, default: "fa:16:3e:00:00:01"}
        resources:
          net: {type: OS::Neutron::Net}
          subnet:
            type: OS::Neutron::Subnet
            properties: {network: {get_resource: net}, cidr: 10.33.0.0/24}
          port:
            type: OS::Neutron::Port
            properties: {network: {get_resource: net}, mac_address: {get_param: mac}}
        """;
    Path t = Files.writeString(dir.resolve("member-mac.yaml"), template);
    member.ok("stack", "create", "-t", t.toString(), "--wait", "member-mac");
    String port = member.json("stack", "resource", "show", "member-mac", "port").get("physical_resource_id").asText();
    member.run("stack", "update", "-t", t.toString(), "--parameter", "mac=fa:16:3e:00:00:02", "--wait", "member-mac");
    JsonNode resource = member.json("stack", "resource", "show", "member-mac", "port");
    assertThat(resource.get("resource_status").asText()).isEqualTo("UPDATE_FAILED");
    assertThat(resource.get("resource_status_reason").asText()).contains("update_port:mac_address");
    assertThat(resource.get("physical_resource_id").asText()).isEqualTo(port);
    assertThat(member.json("port", "show", port).get("mac_address").asText()).isEqualTo("fa:16:3e:00:00:01");
    member.ok("stack", "delete", "--yes", "--wait", "member-mac");
  }

  private static Map<String, String> physicalIds() {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode r : member.json("stack", "resource", "list", "upd")) {
      ids.put(r.get("resource_name").asText(), r.get("physical_resource_id").asText());
    }
    return ids;
  }
}
