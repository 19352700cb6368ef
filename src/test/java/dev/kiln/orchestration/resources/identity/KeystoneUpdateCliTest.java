package dev.kiln.orchestration.resources.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stack updates of the Keystone types through the real {@code openstack stack update}: the project,
 * user and role change in place (same ids) and the user's grants follow the new {@code roles}.
 */
class KeystoneUpdateCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static final OpenStackCli admin = kiln.adminCli();

  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      parameters:
        description: {type: string}
        enabled: {type: boolean}
        role_name: {type: string}
        email: {type: string}
        user_role: {type: string}
      resources:
        project:
          type: OS::Keystone::Project
          properties: {name: upd-project, description: {get_param: description}, enabled: {get_param: enabled}}
        role:
          type: OS::Keystone::Role
          properties: {name: {get_param: role_name}}
        user:
          type: OS::Keystone::User
          properties:
            name: upd-user
            email: {get_param: email}
            roles:
              - role: {get_param: user_role}
                project: {get_resource: project}
      """;

  @Test
  void projectUserAndRoleUpdateInPlaceAndGrantsFollowTheRoles() throws IOException {
    Path template = dir.resolve("identity.yaml");
    Files.writeString(template, TEMPLATE);
    admin.ok("stack", "create", "-t", template.toString(), "--parameter", "description=first", "--parameter",
        "enabled=true", "--parameter", "role_name=upd-role", "--parameter", "email=a@example.org", "--parameter",
        "user_role=member", "--wait", "ks-update");
    String projectId = admin.json("project", "show", "upd-project").get("id").asText();
    String userId = admin.json("user", "show", "upd-user").get("id").asText();
    String roleId = admin.json("role", "show", "upd-role").get("id").asText();

    admin.ok("stack", "update", "-t", template.toString(), "--parameter", "description=second", "--parameter",
        "enabled=false", "--parameter", "role_name=upd-role-renamed", "--parameter", "email=b@example.org",
        "--parameter", "user_role=reader", "--wait", "ks-update");

    assertThat(admin.json("stack", "show", "ks-update").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    JsonNode project = admin.json("project", "show", projectId);
    assertThat(project.get("description").asText()).isEqualTo("second");
    assertThat(project.get("enabled").asBoolean()).isFalse();
    assertThat(admin.json("user", "show", userId).get("email").asText()).isEqualTo("b@example.org");
    assertThat(admin.json("role", "show", roleId).get("name").asText()).isEqualTo("upd-role-renamed");
    assertThat(admin.json("role", "assignment", "list", "--user", userId, "--project", projectId, "--names")
            .findValuesAsText("Role"))
        .containsExactly("reader");

    admin.ok("stack", "delete", "--yes", "--wait", "ks-update");
    assertThat(admin.run("project", "show", projectId).exitCode()).isNotZero();
  }

  private static final String TAGS_AND_GROUPS =
      """
      heat_template_version: 2018-08-31
      parameters:
        tags: {type: comma_delimited_list}
        groups: {type: comma_delimited_list}
      resources:
        project:
          type: OS::Keystone::Project
          properties: {name: tagged-project, tags: {get_param: tags}}
        user:
          type: OS::Keystone::User
          properties: {name: grouped-user, groups: {get_param: groups}}
      """;

  @Test
  void projectTagsAndUserGroupsAreKeptAndFollowAnUpdate() throws IOException {
    Path template = dir.resolve("tags-groups.yaml");
    Files.writeString(template, TAGS_AND_GROUPS);
    admin.ok("group", "create", "heat-g1");
    admin.ok("group", "create", "heat-g2");
    admin.ok("stack", "create", "-t", template.toString(), "--parameter", "tags=red,green", "--parameter",
        "groups=heat-g1", "--wait", "ks-tags");
    assertThat(admin.json("project", "show", "tagged-project").get("tags")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("red", "green");
    assertThat(admin.json("user", "list", "--group", "heat-g1").findValuesAsText("Name")).containsExactly("grouped-user");

    admin.ok("stack", "update", "-t", template.toString(), "--parameter", "tags=green,blue", "--parameter",
        "groups=heat-g2", "--wait", "ks-tags");

    assertThat(admin.json("stack", "show", "ks-tags").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(admin.json("project", "show", "tagged-project").get("tags")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("green", "blue");
    assertThat(admin.json("user", "list", "--group", "heat-g1").findValuesAsText("Name")).isEmpty();
    assertThat(admin.json("user", "list", "--group", "heat-g2").findValuesAsText("Name")).containsExactly("grouped-user");
    admin.ok("stack", "delete", "--yes", "--wait", "ks-tags");
  }

  @Test
  void anUnknownGroupFailsTheUserNamingIt() throws IOException {
    Path template = dir.resolve("bad-group.yaml");
    Files.writeString(template, TAGS_AND_GROUPS.replace("tagged-project", "bad-group-project").replace("grouped-user", "bad-group-user"));
    var result = admin.run("stack", "create", "-t", template.toString(), "--parameter", "tags=", "--parameter",
        "groups=no-such-group", "--wait", "ks-bad-group");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout() + result.stderr()).contains("no-such-group");
  }
}
