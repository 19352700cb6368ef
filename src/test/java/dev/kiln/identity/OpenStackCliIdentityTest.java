package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drives Identity with Debian's real {@code openstack} client, as a new user would. */
class OpenStackCliIdentityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void tokenIssueGivesAProjectScopedToken() throws Exception {
    JsonNode token = JSON.readTree(admin.ok("token", "issue", "-f", "json"));
    assertThat(token.get("id").asText()).hasSizeGreaterThan(30);
    assertThat(token.get("project_id").asText()).hasSize(32);
    assertThat(token.get("expires").asText()).isNotBlank();
  }

  @Test
  void catalogListShowsEveryService() throws Exception {
    JsonNode catalog = JSON.readTree(admin.ok("catalog", "list", "-f", "json"));
    assertThat(catalog.findValuesAsText("Type"))
        .contains("identity", "compute", "network", "volumev3", "image", "orchestration");
    assertThat(catalog.toString()).contains(kiln.baseUrl() + "/compute/v2.1");
  }

  @Test
  void newUserLogsInAndCannotSeeTheAdminProject() throws Exception {
    admin.ok("project", "create", "demo", "--description", "for the demo user");
    admin.ok("user", "create", "--password", "demo-pw", "--project", "demo", "demo-user");
    admin.ok("role", "add", "--project", "demo", "--user", "demo-user", "member");

    OpenStackCli demo = OpenStackCli.as(kiln.authUrl(), "demo-user", "demo-pw", "demo");
    JsonNode token = JSON.readTree(demo.ok("token", "issue", "-f", "json"));
    JsonNode demoProject = JSON.readTree(admin.ok("project", "show", "demo", "-f", "json"));
    assertThat(token.get("project_id").asText()).isEqualTo(demoProject.get("id").asText());

    OpenStackCli.Result adminProject = demo.run("project", "show", "admin");
    assertThat(adminProject.exitCode()).isNotZero();
    assertThat(adminProject.stderr()).contains("HTTP 403");
    OpenStackCli.Result users = demo.run("user", "list");
    assertThat(users.exitCode()).isNotZero();
    assertThat(users.stderr()).contains("HTTP 403");

    JsonNode assignments =
        JSON.readTree(admin.ok("role", "assignment", "list", "--names", "--user", "demo-user", "-f", "json"));
    assertThat(assignments).hasSize(1);
    assertThat(assignments.get(0).get("Role").asText()).isEqualTo("member");
    assertThat(assignments.get(0).get("Project").asText()).isEqualTo("demo@Default");
  }

  @Test
  void projectTagsThroughTheClient() throws Exception {
    admin.ok("project", "create", "--tag", "blue", "--tag", "green", "tagged-by-cli");
    JsonNode shown = JSON.readTree(admin.ok("project", "show", "tagged-by-cli", "-f", "json"));
    assertThat(shown.get("tags").toString()).contains("blue", "green");
    admin.ok("project", "set", "--clear-tags", "--tag", "red", "tagged-by-cli");
    shown = JSON.readTree(admin.ok("project", "show", "tagged-by-cli", "-f", "json"));
    assertThat(shown.get("tags").toString()).contains("red").doesNotContain("blue");
  }

  @Test
  void revokedTokenGets401() throws Exception {
    String token = JSON.readTree(admin.ok("token", "issue", "-f", "json")).get("id").asText();
    Api api = kiln.api().withToken(token);
    assertThat(api.get("/identity/v3/auth/projects").status()).isEqualTo(200);

    admin.ok("token", "revoke", token);

    Api.Response after = api.get("/identity/v3/auth/projects");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().at("/error/code").asInt()).isEqualTo(401);
    Api.Response compute = api.get("/compute/v2.1/servers");
    assertThat(compute.status()).isEqualTo(401);
    assertThat(compute.json().at("/unauthorized/code").asInt()).isEqualTo(401);
  }

  @Test
  void wrongPasswordIsRefusedByTheClient() {
    OpenStackCli.Result result =
        OpenStackCli.as(kiln.authUrl(), "admin", "not-the-password", "admin").run("token", "issue");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("HTTP 401");
  }
}
