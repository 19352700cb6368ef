package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives security groups with Debian's real {@code openstack} client (openstacksdk underneath),
 * as a project member would.
 */
class SecurityGroupsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static OpenStackCli member;

  @BeforeAll
  static void start() {
    member = Tenant.create(kiln, kiln.admin(), "web-team", "webber").cli(kiln.authUrl());
  }

  private static JsonNode json(String... args) throws Exception {
    return JSON.readTree(member.ok(args));
  }

  @Test
  void groupAndRuleLifecycle() throws Exception {
    JsonNode created =
        json("security", "group", "create", "web", "--description", "web servers", "-f", "json");
    assertThat(created.get("name").asText()).isEqualTo("web");
    assertThat(created.get("description").asText()).isEqualTo("web servers");
    String id = created.get("id").asText();

    // The first list also shows the project's default group.
    JsonNode list = json("security", "group", "list", "-f", "json");
    assertThat(list.findValuesAsText("Name")).containsExactlyInAnyOrder("default", "web");

    JsonNode rule =
        json(
            "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22",
            "--remote-ip", "0.0.0.0/0", "web", "-f", "json");
    assertThat(rule.get("port_range_min").asInt()).isEqualTo(22);
    assertThat(rule.get("port_range_max").asInt()).isEqualTo(22);
    assertThat(rule.get("protocol").asText()).isEqualTo("tcp");
    assertThat(rule.get("direction").asText()).isEqualTo("ingress");
    assertThat(rule.get("remote_ip_prefix").asText()).isEqualTo("0.0.0.0/0");

    JsonNode rules = json("security", "group", "rule", "list", "web", "-f", "json");
    assertThat(rules).hasSize(3);
    assertThat(rules.findValuesAsText("Port Range")).contains("22:22");
    assertThat(rules.findValuesAsText("ID")).contains(rule.get("id").asText());

    OpenStackCli.Result again =
        member.run(
            "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22",
            "--remote-ip", "0.0.0.0/0", "web");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr()).contains("Security group rule already exists");

    member.ok("security", "group", "set", "--name", "www", "web");
    JsonNode shown = json("security", "group", "show", id, "-f", "json");
    assertThat(shown.get("name").asText()).isEqualTo("www");
    assertThat(shown.get("rules")).hasSize(3);
    assertThat(shown.get("rules").findValuesAsText("port_range_max")).contains("22");

    member.ok("security", "group", "delete", "www");
    OpenStackCli.Result gone = member.run("security", "group", "show", id);
    assertThat(gone.exitCode()).isNotZero();

    OpenStackCli.Result keepDefault = member.run("security", "group", "delete", "default");
    assertThat(keepDefault.exitCode()).isNotZero();
    assertThat(keepDefault.stderr()).contains("Insufficient rights for removing default security group");
  }
}
