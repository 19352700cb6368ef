package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resource group of provider-template members, updated through Debian's real {@code openstack
 * stack update}: the group's nested stack and the members' own nested stacks are updated in place
 * (same ids), the group grows by a member, and a member's template change reaches every member.
 */
class NestedStackUpdateCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  private static final String MEMBER =
      """
      heat_template_version: 2018-08-31
      parameters:
        value: {type: string}
      resources:
        r:
          type: OS::Heat::TestResource
          properties: {value: {get_param: value}}
      outputs:
        out: {value: {get_attr: [r, output]}}
      """;

  private static final String GROUP =
      """
      heat_template_version: 2018-08-31
      parameters:
        count: {type: number, default: 2}
        value: {type: string, default: one}
      resources:
        g:
          type: OS::Heat::ResourceGroup
          properties:
            count: {get_param: count}
            resource_def:
              type: member.yaml
              properties: {value: {list_join: ['-', [{get_param: value}, '%index%']]}}
      outputs:
        outs: {value: {get_attr: [g, out]}}
      """;

  @BeforeAll
  static void users() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "heat-nested-update", "heat-nested-update-user");
    cli = member.cli(kiln.authUrl());
    Files.writeString(dir.resolve("member.yaml"), MEMBER);
    Files.writeString(dir.resolve("group.yaml"), GROUP);
  }

  private static String physical(String stack, String resource) {
    return cli.json("stack", "resource", "show", stack, resource).get("physical_resource_id").asText();
  }

  /** Each member's name to its nested stack's id. */
  private static Map<String, String> members(String groupStackId) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : cli.json("stack", "resource", "list", groupStackId)) {
      out.put(r.get("resource_name").asText(), r.get("physical_resource_id").asText());
    }
    return out;
  }

  @Test
  void aGroupOfNestedStacksGrowsAndUpdatesItsMembersInPlace() {
    String template = dir.resolve("group.yaml").toString();
    cli.ok("stack", "create", "-t", template, "--wait", "grp");
    String group = physical("grp", "g");
    Map<String, String> before = members(group);
    assertThat(before).containsOnlyKeys("0", "1");

    String out = cli.ok("stack", "update", "-t", template, "--parameter", "count=3", "--parameter", "value=two",
        "--wait", "grp");

    assertThat(out).contains("UPDATE_COMPLETE");
    assertThat(physical("grp", "g")).isEqualTo(group);
    assertThat(cli.json("stack", "show", group).get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    Map<String, String> after = members(group);
    assertThat(after).containsOnlyKeys("0", "1", "2");
    assertThat(after.get("0")).isEqualTo(before.get("0"));
    assertThat(after.get("1")).isEqualTo(before.get("1"));
    assertThat(cli.json("stack", "show", after.get("0")).get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(cli.json("stack", "resource", "show", after.get("0"), "r").get("resource_status").asText())
        .isEqualTo("UPDATE_COMPLETE");
    assertThat(cli.json("stack", "output", "show", "grp", "outs").get("output_value").toString())
        .isEqualTo("[\"two-0\",\"two-1\",\"two-2\"]");

    cli.ok("stack", "update", "--existing", "--parameter", "count=1", "--wait", "grp");
    assertThat(members(group)).containsExactlyEntriesOf(Map.of("0", before.get("0")));
  }

  @Test
  void aDryRunWithShowNestedListsTheNestedStacksResourcesToo() {
    String template = dir.resolve("group.yaml").toString();
    cli.ok("stack", "create", "-t", template, "--wait", "prv");

    JsonNode changes = cli.json("stack", "update", "--dry-run", "--show-nested", "-t", template,
        "--parameter", "count=3", "--parameter", "value=two", "prv");

    java.util.List<String> rows = new java.util.ArrayList<>();
    changes.fields().forEachRemaining(kind -> {
      JsonNode list = kind.getValue().isTextual() ? parse(kind.getValue().asText()) : kind.getValue();
      list.forEach(r -> rows.add(r.get("resource_name").asText() + " " + kind.getKey()));
    });
    // The group, its members (provider templates: updated, one added), and each member's resource.
    assertThat(rows).containsExactlyInAnyOrder(
        "g updated", "0 updated", "1 updated", "2 added", "r updated", "r updated", "r added");
    assertThat(cli.json("stack", "show", "prv").get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
  }

  private static JsonNode parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
