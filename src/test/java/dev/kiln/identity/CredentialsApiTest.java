package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v3/credentials} and the EC2 credentials, over HTTP and through the openstack CLI. */
class CredentialsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static String adminId(Api admin) {
    return admin.get("/identity/v3/users?name=admin").expect(200).at("/users/0/id").asText();
  }

  private static String project(Api admin) {
    return admin
        .post("/identity/v3/projects", "{\"project\": {\"name\": \"p-" + UUID.randomUUID().toString().substring(0, 8) + "\"}}")
        .expect(201)
        .at("/project/id")
        .asText();
  }

  @Test
  void ec2CredentialIsKeptUnderTheHashOfItsAccessKeyAndUpdated() throws Exception {
    Api admin = kiln.admin();
    String user = adminId(admin);
    String p1 = project(admin);
    String p2 = project(admin);
    String blob = "{\\\"access\\\": \\\"ak-1\\\", \\\"secret\\\": \\\"sk-1\\\"}";
    JsonNode created =
        admin
            .post(
                "/identity/v3/credentials",
                "{\"credential\": {\"user_id\": \"" + user + "\", \"project_id\": \"" + p1
                    + "\", \"type\": \"ec2\", \"blob\": \"" + blob + "\"}}")
            .expect(201)
            .get("credential");
    String expectedId =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("ak-1".getBytes(StandardCharsets.UTF_8)));
    assertThat(created.get("id").asText()).isEqualTo(expectedId);
    assertThat(JSON.readTree(created.get("blob").asText()).get("secret").asText()).isEqualTo("sk-1");

    JsonNode updated =
        admin
            .patch(
                "/identity/v3/credentials/" + expectedId,
                "{\"credential\": {\"project_id\": \"" + p2 + "\", \"type\": \"ec2\", \"blob\": "
                    + "\"{\\\"access\\\": \\\"ak-2\\\", \\\"secret\\\": \\\"sk-2\\\"}\"}}")
            .expect(200)
            .get("credential");
    assertThat(updated.get("project_id").asText()).isEqualTo(p2);
    assertThat(admin.get("/identity/v3/credentials/" + expectedId).expect(200).get("credential")).isEqualTo(updated);
    assertThat(admin.get("/identity/v3/credentials?user_id=" + user).expect(200).get("credentials").findValuesAsText("id"))
        .contains(expectedId);

    admin
        .post(
            "/identity/v3/credentials",
            "{\"credential\": {\"user_id\": \"" + user + "\", \"project_id\": \"" + p1
                + "\", \"type\": \"ec2\", \"blob\": \"" + blob + "\"}}")
        .expect(409);
    admin.delete("/identity/v3/credentials/" + expectedId).expect(204);
    JsonNode gone = admin.get("/identity/v3/credentials/" + expectedId).expect(404);
    assertThat(gone.at("/error/message").asText()).contains(expectedId);
  }

  @Test
  void badCredentialsAre400() {
    Api admin = kiln.admin();
    String user = adminId(admin);
    admin
        .post("/identity/v3/credentials", "{\"credential\": {\"user_id\": \"" + user + "\", \"type\": \"ec2\", \"blob\": \"{}\"}}")
        .expect(400);
    admin
        .post(
            "/identity/v3/credentials",
            "{\"credential\": {\"user_id\": \"" + user + "\", \"project_id\": \"" + project(admin)
                + "\", \"type\": \"ec2\", \"blob\": \"not json\"}}")
        .expect(400);
    admin.post("/identity/v3/credentials", "{\"credential\": {\"user_id\": \"" + user + "\", \"type\": \"totp\"}}").expect(400);
    admin
        .post("/identity/v3/credentials", "{\"credential\": {\"user_id\": \"nobody\", \"type\": \"x\", \"blob\": \"b\"}}")
        .expect(404);
  }

  @Test
  void usersSeeOnlyTheirOwnCredentials() {
    Api admin = kiln.admin();
    String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
    String userId =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"" + name + "\", \"password\": \"pw\"}}")
            .expect(201).at("/user/id").asText();
    String projectId = project(admin);
    String member = admin.get("/identity/v3/roles?name=member").expect(200).at("/roles/0/id").asText();
    admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + member, "").expect(204);
    String adminCred =
        admin.post("/identity/v3/credentials", "{\"credential\": {\"user_id\": \"" + adminId(admin) + "\", \"type\": \"totp\", \"blob\": \"seed\"}}")
            .expect(201).at("/credential/id").asText();
    Api user =
        kiln.api().withToken(
            kiln.api()
                .post(
                    "/identity/v3/auth/tokens",
                    """
                    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
                     "password": "pw"}}}, "scope": {"project": {"id": "%s"}}}}
                    """
                        .formatted(userId, projectId))
                .header("X-Subject-Token"));
    JsonNode ec2 =
        user.post("/identity/v3/users/" + userId + "/credentials/OS-EC2", "{\"tenant_id\": \"" + projectId + "\"}")
            .expect(201)
            .get("credential");
    assertThat(ec2.get("tenant_id").asText()).isEqualTo(projectId);
    assertThat(ec2.get("secret").asText()).isNotEmpty();
    String access = ec2.get("access").asText();
    assertThat(user.get("/identity/v3/users/" + userId + "/credentials/OS-EC2/" + access).expect(200).get("credential"))
        .isEqualTo(ec2);
    assertThat(user.get("/identity/v3/credentials").expect(200).get("credentials").findValuesAsText("user_id"))
        .containsOnly(userId);
    user.get("/identity/v3/credentials/" + adminCred).expect(403);
    user.get("/identity/v3/users/" + adminId(admin) + "/credentials/OS-EC2").expect(403);

    user.delete("/identity/v3/users/" + userId + "/credentials/OS-EC2/" + access).expect(204);
    user.get("/identity/v3/users/" + userId + "/credentials/OS-EC2/" + access).expect(404);
  }

  @Test
  void theClientManagesCredentialsAndEc2Keys() throws Exception {
    OpenStackCli admin = kiln.adminCli();
    JsonNode created = JSON.readTree(admin.ok("credential", "create", "--type", "totp", "admin", "a-seed", "-f", "json"));
    String id = created.get("id").asText();
    assertThat(created.get("blob").asText()).isEqualTo("a-seed");
    admin.ok("credential", "set", "--type", "totp", "--data", "b-seed", "--user", "admin", id);
    assertThat(JSON.readTree(admin.ok("credential", "show", id, "-f", "json")).get("blob").asText()).isEqualTo("b-seed");
    admin.ok("credential", "delete", id);

    JsonNode ec2 = JSON.readTree(admin.ok("ec2", "credentials", "create", "-f", "json"));
    String access = ec2.get("access").asText();
    assertThat(JSON.readTree(admin.ok("ec2", "credentials", "list", "-f", "json")).findValuesAsText("Access"))
        .contains(access);
    admin.ok("ec2", "credentials", "delete", access);
  }
}
