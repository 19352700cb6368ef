package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.MutableClock;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keystone v3 over HTTP: the shapes clients parse, and the faults for bad input. */
class IdentityApiTest {
  @TempDir static Path dataDir;
  private static final MutableClock clock = MutableClock.startingNow();
  private static RunningKiln kiln;
  private static Api anonymous;
  private static Api admin;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir, null, clock);
    anonymous = kiln.api();
    admin = anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static String passwordAuth(String user, String password) {
    return """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
         "domain": {"name": "Default"}, "password": "%s"}}},
         "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
        """
        .formatted(user, password);
  }

  @Test
  void versionDocumentsAnswerWithoutAToken() {
    Api.Response root = anonymous.get("/identity");
    assertThat(root.status()).isEqualTo(300);
    assertThat(root.json().at("/versions/values/0/id").asText()).isEqualTo("v3.14");
    Api.Response v3 = anonymous.get("/identity/v3/");
    assertThat(v3.status()).isEqualTo(200);
    assertThat(v3.json().at("/version/links/0/href").asText())
        .isEqualTo(kiln.baseUrl() + "/identity/v3/");
  }

  @Test
  void passwordTokenHasUserProjectRolesAndCatalog() {
    Api.Response r = anonymous.post("/identity/v3/auth/tokens", passwordAuth("admin", RunningKiln.ADMIN_PASSWORD));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("X-Subject-Token")).hasSize(43);
    JsonNode token = r.json().get("token");
    assertThat(token.get("methods").get(0).asText()).isEqualTo("password");
    assertThat(token.at("/user/name").asText()).isEqualTo("admin");
    assertThat(token.at("/user/domain/id").asText()).isEqualTo("default");
    assertThat(token.at("/project/name").asText()).isEqualTo("admin");
    assertThat(token.get("roles").findValuesAsText("name")).contains("admin", "member", "reader");
    assertThat(token.get("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(token.get("catalog").findValuesAsText("type"))
        .containsExactlyInAnyOrder(
            "identity", "compute", "network", "volumev3", "block-storage", "image", "orchestration",
            "cloudformation", "object-store");
    String projectId = token.at("/project/id").asText();
    assertThat(token.get("catalog").toString()).contains("/volume/v3/" + projectId);
  }

  @Test
  void domainScopedAndUnscopedTokens() {
    Api.Response domain =
        anonymous.post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
             "domain": {"id": "default"}, "password": "%s"}}}, "scope": {"domain": {"id": "default"}}}}
            """
                .formatted(RunningKiln.ADMIN_PASSWORD));
    assertThat(domain.status()).isEqualTo(201);
    assertThat(domain.json().at("/token/domain/id").asText()).isEqualTo("default");
    assertThat(domain.json().at("/token/project").isMissingNode()).isTrue();

    admin.post("/identity/v3/users", "{\"user\": {\"name\": \"loner\", \"password\": \"pw\"}}");
    Api.Response unscoped =
        anonymous.post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "loner",
             "domain": {"id": "default"}, "password": "pw"}}}}}
            """);
    assertThat(unscoped.status()).isEqualTo(201);
    assertThat(unscoped.json().at("/token/roles").isMissingNode()).isTrue();
    assertThat(unscoped.json().at("/token/catalog").isMissingNode()).isTrue();
  }

  @Test
  void tokenIsValidatedCheckedAndRevoked() {
    String token = anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin");
    Api.Response shown = admin.withHeader("X-Subject-Token", token).get("/identity/v3/auth/tokens");
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.header("X-Subject-Token")).isEqualTo(token);
    assertThat(admin.withHeader("X-Subject-Token", token).head("/identity/v3/auth/tokens").status())
        .isEqualTo(200);
    assertThat(admin.withHeader("X-Subject-Token", token).delete("/identity/v3/auth/tokens").status())
        .isEqualTo(204);
    assertThat(admin.withHeader("X-Subject-Token", token).get("/identity/v3/auth/tokens").status())
        .isEqualTo(404);
    assertThat(anonymous.withToken(token).get("/identity/v3/auth/projects").status()).isEqualTo(401);
  }

  @Test
  void tokenMethodRescopesWithoutOutlivingItsParent() {
    String token = anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin");
    Api.Response parent = admin.withHeader("X-Subject-Token", token).get("/identity/v3/auth/tokens");
    Api.Response rescoped =
        anonymous.post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["token"], "token": {"id": "%s"}},
             "scope": {"domain": {"name": "Default"}}}}
            """
                .formatted(token));
    assertThat(rescoped.status()).isEqualTo(201);
    assertThat(rescoped.json().at("/token/methods").toString()).contains("token");
    assertThat(rescoped.json().at("/token/expires_at").asText())
        .isEqualTo(parent.json().at("/token/expires_at").asText());
  }

  @Test
  void expiredTokenGets401() {
    String token = anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin");
    Api api = anonymous.withToken(token);
    assertThat(api.get("/identity/v3/auth/projects").status()).isEqualTo(200);
    clock.advance(Duration.ofHours(2));
    try {
      Api.Response expired = api.get("/identity/v3/auth/projects");
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.json().at("/error/message").asText()).contains("expired");
    } finally {
      clock.advance(Duration.ofHours(-2));
    }
  }

  @Test
  void malformedJsonIs400AndNamesTheProblem() {
    Api.Response r = anonymous.post("/identity/v3/auth/tokens", "{\"auth\": {");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asInt()).isEqualTo(400);
    assertThat(r.json().at("/error/title").asText()).isEqualTo("Bad Request");
    assertThat(r.json().at("/error/message").asText()).startsWith("Malformed request body");
  }

  @Test
  void missingFieldIs400NamingTheField() {
    Api.Response r =
        anonymous.post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
             "domain": {"id": "default"}}}}}}
            """);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText())
        .isEqualTo(
            "Invalid input for field 'auth/identity/password/user/password': this field is required.");
  }

  @Test
  void wrongPasswordAndUnknownUserGet401WithTheSameMessage() {
    Api.Response wrong = anonymous.post("/identity/v3/auth/tokens", passwordAuth("admin", "nope"));
    Api.Response unknown = anonymous.post("/identity/v3/auth/tokens", passwordAuth("nobody", "nope"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    // The same answer for both, so the API does not reveal which user names exist.
    assertThat(wrong.json().at("/error/message").asText())
        .isEqualTo(unknown.json().at("/error/message").asText());
  }

  @Test
  void refusedCreateChangesNothing() {
    int before = admin.get("/identity/v3/users").json().get("users").size();
    Api.Response wrongType =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"x2\", \"enabled\": \"yes\"}}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().at("/error/message").asText()).contains("'user/enabled'");
    Api.Response noName = admin.post("/identity/v3/users", "{\"user\": {\"password\": \"p\"}}");
    assertThat(noName.status()).isEqualTo(400);
    Api.Response badProject =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"x3\", \"default_project_id\": \"nope\"}}");
    assertThat(badProject.status()).isEqualTo(404);
    assertThat(admin.get("/identity/v3/users").json().get("users").size()).isEqualTo(before);
  }

  @Test
  void unknownUserAttributesAreKeptAndShownAsKeystoneDoes() {
    String projectId = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    JsonNode created =
        admin
            .post(
                "/identity/v3/users",
                "{\"user\": {\"name\": \"extra-1\", \"project_id\": \"" + projectId + "\", \"colour\": \"red\"}}")
            .expect(201)
            .get("user");
    assertThat(created.get("project_id").asText()).isEqualTo(projectId);
    assertThat(created.get("colour").asText()).isEqualTo("red");
    String id = created.get("id").asText();
    JsonNode updated =
        admin.patch("/identity/v3/users/" + id, "{\"user\": {\"colour\": \"blue\", \"size\": 3}}").expect(200).get("user");
    assertThat(updated.get("colour").asText()).isEqualTo("blue");
    assertThat(updated.get("size").asInt()).isEqualTo(3);
    assertThat(updated.get("project_id").asText()).isEqualTo(projectId);
    assertThat(admin.get("/identity/v3/users/" + id).expect(200).get("user")).isEqualTo(updated);
    admin.patch("/identity/v3/users/" + id, "{\"user\": {\"domain_id\": \"elsewhere\"}}").expect(400);
    admin.post("/identity/v3/users", "{\"user\": {\"name\": \"x\", \"domain_id\": \"nowhere\"}}").expect(404);
  }

  @Test
  void whoeverKnowsThePasswordMayChangeItWithoutAToken() {
    String id =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"pw-changer\", \"password\": \"old-pw\"}}")
            .expect(201).at("/user/id").asText();
    anonymous
        .post("/identity/v3/users/" + id + "/password", "{\"user\": {\"password\": \"new-pw\", \"original_password\": \"wrong\"}}")
        .expect(401);
    anonymous
        .post("/identity/v3/users/nobody/password", "{\"user\": {\"password\": \"new-pw\", \"original_password\": \"old-pw\"}}")
        .expect(401);
    admin
        .post("/identity/v3/users/" + id + "/password", "{\"user\": {\"password\": \"new-pw\", \"original_password\": \"old-pw\"}}")
        .expect(204);
    String login =
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"" + id
            + "\", \"password\": \"%s\"}}}}}";
    assertThat(anonymous.post("/identity/v3/auth/tokens", login.formatted("old-pw")).status()).isEqualTo(401);
    assertThat(anonymous.post("/identity/v3/auth/tokens", login.formatted("new-pw")).status()).isEqualTo(201);
  }

  @Test
  void projectTagsAreKeptShownListedAndRemoved() {
    JsonNode created =
        admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"tagged\", \"tags\": [\"b\", \"a\"]}}")
            .expect(201).get("project");
    assertThat(created.get("tags").toString()).isEqualTo("[\"b\",\"a\"]");
    String id = created.get("id").asText();
    String tags = "/identity/v3/projects/" + id + "/tags";
    assertThat(admin.get("/identity/v3/projects/" + id).expect(200).at("/project/tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(admin.get("/identity/v3/projects?name=tagged").expect(200).at("/projects/0/tags").toString())
        .isEqualTo("[\"a\",\"b\"]");
    JsonNode all = admin.get("/identity/v3/projects").expect(200).get("projects");
    assertThat(all.size()).as("several projects, their tags read in one query").isGreaterThan(1);
    for (JsonNode p : all) {
      assertThat(p.get("tags").toString()).isEqualTo(p.get("id").asText().equals(id) ? "[\"a\",\"b\"]" : "[]");
    }

    admin.put(tags + "/c", "").expect(201);
    admin.head(tags + "/c").expect(204);
    assertThat(admin.put(tags, "{\"tags\": [\"x\", \"y\"]}").expect(200).get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
    admin.head(tags + "/c").expect(404);
    admin.delete(tags + "/x").expect(204);
    admin.delete(tags + "/x").expect(404);
    assertThat(admin.get(tags).expect(200).get("tags").toString()).isEqualTo("[\"y\"]");
    admin.delete(tags).expect(204);
    assertThat(admin.get(tags).expect(200).get("tags")).isEmpty();

    admin.put(tags, "{\"tags\": [\"dup\", \"dup\"]}").expect(400);
    admin.put(tags, "{\"tags\": [\"a/b\"]}").expect(400);
    admin.patch("/identity/v3/projects/" + id, "{\"project\": {\"tags\": [\"a,b\"]}}").expect(400);
    assertThat(admin.get(tags).expect(200).get("tags")).isEmpty();
    admin.get("/identity/v3/projects/nope/tags").expect(404);
  }

  @Test
  void duplicateProjectNameIs409() {
    assertThat(admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"twice\"}}").status())
        .isEqualTo(201);
    Api.Response again = admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"twice\"}}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/error/message").asText()).contains("Duplicate entry");
  }

  @Test
  void crudOfDomainsProjectsUsersRolesAndGrants() {
    String domainId =
        admin.post("/identity/v3/domains", "{\"domain\": {\"name\": \"acme\"}}").json().at("/domain/id").asText();
    String projectId =
        admin
            .post("/identity/v3/projects", "{\"project\": {\"name\": \"p\", \"domain_id\": \"" + domainId + "\"}}")
            .json()
            .at("/project/id")
            .asText();
    String userId =
        admin
            .post(
                "/identity/v3/users",
                "{\"user\": {\"name\": \"u\", \"domain_id\": \"" + domainId + "\", \"password\": \"pw\"}}")
            .json()
            .at("/user/id")
            .asText();
    String roleId =
        admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"auditor\"}}").json().at("/role/id").asText();
    String grant = "/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId;
    assertThat(admin.head(grant).status()).isEqualTo(404);
    assertThat(admin.put(grant, null).status()).isEqualTo(204);
    assertThat(admin.head(grant).status()).isEqualTo(204);
    JsonNode assignments =
        admin.get("/identity/v3/role_assignments?scope.project.id=" + projectId).json();
    assertThat(assignments.at("/role_assignments/0/user/id").asText()).isEqualTo(userId);
    assertThat(
            admin.get("/identity/v3/projects?domain_id=" + domainId).json().get("projects").size())
        .isEqualTo(1);
    assertThat(
            admin
                .patch("/identity/v3/projects/" + projectId, "{\"project\": {\"description\": \"d\"}}")
                .json()
                .at("/project/description")
                .asText())
        .isEqualTo("d");

    assertThat(admin.delete(grant).status()).isEqualTo(204);
    assertThat(admin.delete(grant).status()).isEqualTo(404);
    Api.Response enabledDomain = admin.delete("/identity/v3/domains/" + domainId);
    assertThat(enabledDomain.status()).isEqualTo(403);
    assertThat(admin.patch("/identity/v3/domains/" + domainId, "{\"domain\": {\"enabled\": false}}").status())
        .isEqualTo(200);
    assertThat(admin.delete("/identity/v3/domains/" + domainId).status()).isEqualTo(204);
    assertThat(admin.get("/identity/v3/users/" + userId).status()).isEqualTo(404);
    assertThat(admin.get("/identity/v3/projects/" + projectId).status()).isEqualTo(404);
    assertThat(admin.delete("/identity/v3/roles/" + roleId).status()).isEqualTo(204);
  }

  @Test
  void disablingAUserRevokesItsTokens() {
    String userId =
        admin
            .post("/identity/v3/users", "{\"user\": {\"name\": \"temp\", \"password\": \"pw\", \"default_project_id\": \""
                + admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText() + "\"}}")
            .json()
            .at("/user/id")
            .asText();
    String memberRole = admin.get("/identity/v3/roles?name=member").json().at("/roles/0/id").asText();
    String adminProject = admin.get("/identity/v3/projects?name=admin").json().at("/projects/0/id").asText();
    admin.put("/identity/v3/projects/" + adminProject + "/users/" + userId + "/roles/" + memberRole, null);
    String token = anonymous.token("temp", "pw", "admin");
    assertThat(anonymous.withToken(token).get("/identity/v3/users/" + userId).status()).isEqualTo(200);
    admin.patch("/identity/v3/users/" + userId, "{\"user\": {\"enabled\": false}}");
    assertThat(anonymous.withToken(token).get("/identity/v3/users/" + userId).status()).isEqualTo(401);
  }

  @Test
  void everyAnswerCarriesARequestId() {
    assertThat(anonymous.get("/identity/v3").header("x-openstack-request-id")).startsWith("req-");
    assertThat(anonymous.get("/compute/v2.1/servers").header("x-openstack-request-id")).startsWith("req-");
    assertThat(anonymous.get("/nowhere").header("x-openstack-request-id")).startsWith("req-");
  }
}
