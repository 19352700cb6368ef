package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Groups and application credentials through Debian's real {@code openstack} client: what an
 * operator types, and how a CI system authenticates with a credential instead of a password.
 */
class OpenStackCliGroupsAndAppCredentialsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void groupMembersGetTheGroupsRoleOnAProject() throws Exception {
    admin.ok("project", "create", "team-project");
    admin.ok("user", "create", "--password", "alice-pw", "alice");
    JsonNode group = JSON.readTree(admin.ok("group", "create", "--description", "the team", "team", "-f", "json"));
    assertThat(group.get("name").asText()).isEqualTo("team");
    admin.ok("group", "add", "user", "team", "alice");
    assertThat(admin.ok("group", "contains", "user", "team", "alice")).contains("alice in group team");
    JsonNode members = JSON.readTree(admin.ok("user", "list", "--group", "team", "-f", "json"));
    assertThat(members.findValuesAsText("Name")).containsExactly("alice");
    admin.ok("role", "add", "--project", "team-project", "--group", "team", "member");

    OpenStackCli alice = OpenStackCli.as(kiln.authUrl(), "alice", "alice-pw", "team-project");
    JsonNode token = JSON.readTree(alice.ok("token", "issue", "-f", "json"));
    assertThat(token.get("project_id").asText()).hasSize(32);
    JsonNode assignments =
        JSON.readTree(admin.ok("role", "assignment", "list", "--names", "--group", "team", "-f", "json"));
    assertThat(assignments).hasSize(1);
    assertThat(assignments.get(0).get("Group").asText()).isEqualTo("team@Default");
    assertThat(assignments.get(0).get("Project").asText()).isEqualTo("team-project@Default");
    JsonNode effective =
        JSON.readTree(admin.ok("role", "assignment", "list", "--effective", "--names", "--user", "alice", "-f", "json"));
    // member implies reader (Keystone's bootstrap rule), and effective assignments show both.
    assertThat(effective.findValuesAsText("Role")).containsExactlyInAnyOrder("member", "reader");

    admin.ok("group", "remove", "user", "team", "alice");
    OpenStackCli.Result refused = alice.run("token", "issue");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("401");

    admin.ok("group", "set", "--name", "team-2", "team");
    admin.ok("group", "delete", "team-2");
    assertThat(JSON.readTree(admin.ok("group", "list", "-f", "json")).findValuesAsText("Name")).doesNotContain("team-2");
  }

  @Test
  void applicationCredentialLogsInWithoutAPassword() throws Exception {
    JsonNode created =
        JSON.readTree(
            admin.ok("application", "credential", "create", "--role", "member", "--description", "for CI", "ci", "-f", "json"));
    String id = created.get("id").asText();
    String secret = created.get("secret").asText();
    assertThat(created.get("roles").asText()).contains("member");

    OpenStackCli ci = OpenStackCli.withApplicationCredential(kiln.authUrl(), id, secret);
    JsonNode token = JSON.readTree(ci.ok("token", "issue", "-f", "json"));
    assertThat(token.get("project_id").asText()).hasSize(32);
    assertThat(ci.ok("server", "list")).isNotNull();

    JsonNode listed = JSON.readTree(admin.ok("application", "credential", "list", "-f", "json"));
    assertThat(listed.findValuesAsText("Name")).contains("ci");
    JsonNode shown = JSON.readTree(admin.ok("application", "credential", "show", "ci", "-f", "json"));
    assertThat(shown.get("description").asText()).isEqualTo("for CI");

    admin.ok("application", "credential", "delete", "ci");
    OpenStackCli.Result refused = ci.run("token", "issue");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("401");
  }

  @Test
  void endpointListFiltersByServiceTypeOrName() throws Exception {
    JsonNode byType = JSON.readTree(admin.ok("endpoint", "list", "--service", "orchestration", "-f", "json"));
    assertThat(byType).hasSize(3);
    assertThat(byType.findValuesAsText("Service Name")).containsOnly("heat");
    JsonNode byName = JSON.readTree(admin.ok("endpoint", "list", "--service", "nova", "-f", "json"));
    assertThat(byName.findValuesAsText("Service Type")).containsOnly("compute");
  }
}
