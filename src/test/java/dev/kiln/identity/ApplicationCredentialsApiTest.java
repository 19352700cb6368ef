package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.MutableClock;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keystone application credentials over HTTP: made by a user, used to authenticate, deleted. */
class ApplicationCredentialsApiTest {
  @TempDir static Path dataDir;
  private static final MutableClock clock = MutableClock.startingNow();
  private static RunningKiln kiln;
  private static Api admin;
  private static String adminId;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir, null, clock);
    admin = kiln.api().withToken(kiln.api().token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    adminId = admin.get("/identity/v3/users?name=admin").expect(200).at("/users/0/id").asText();
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String path() {
    return "/identity/v3/users/" + adminId + "/application_credentials";
  }

  private static Api.Response authWithId(String id, String secret) {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["application_credential"],
             "application_credential": {"id": "%s", "secret": "%s"}}}}
            """
                .formatted(id, secret));
  }

  @Test
  void credentialAuthenticatesOnItsProjectWithOnlyItsRoles() {
    String name = unique("ci");
    JsonNode created =
        admin
            .post(path(), "{\"application_credential\": {\"name\": \"" + name + "\", \"roles\": [{\"name\": \"reader\"}]}}")
            .expect(201)
            .get("application_credential");
    String id = created.get("id").asText();
    String secret = created.get("secret").asText();
    assertThat(secret).hasSizeGreaterThan(60);
    assertThat(created.get("unrestricted").asBoolean()).isFalse();
    assertThat(created.get("expires_at").isNull()).isTrue();
    assertThat(created.get("roles").findValuesAsText("name")).containsExactly("reader");
    String adminProject = admin.get("/identity/v3/projects?name=admin").expect(200).at("/projects/0/id").asText();
    assertThat(created.get("project_id").asText()).isEqualTo(adminProject);

    JsonNode shown = admin.get(path() + "/" + id).expect(200).get("application_credential");
    assertThat(shown.has("secret")).isFalse();
    assertThat(shown.get("name").asText()).isEqualTo(name);

    Api.Response token = authWithId(id, secret);
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    assertThat(token.json().at("/token/methods/0").asText()).isEqualTo("application_credential");
    assertThat(token.json().at("/token/project/id").asText()).isEqualTo(adminProject);
    assertThat(token.json().at("/token/roles").findValuesAsText("name")).containsExactly("reader");
    assertThat(token.json().at("/token/application_credential/id").asText()).isEqualTo(id);
    assertThat(token.json().at("/token/application_credential/restricted").asBoolean()).isTrue();

    // By name, with the user named too, as clouds.yaml allows.
    Api.Response byName =
        kiln.api()
            .post(
                "/identity/v3/auth/tokens",
                """
                {"auth": {"identity": {"methods": ["application_credential"],
                 "application_credential": {"name": "%s", "secret": "%s",
                  "user": {"name": "admin", "domain": {"name": "Default"}}}}}}
                """
                    .formatted(name, secret));
    assertThat(byName.status()).as(byName.toString()).isEqualTo(201);

    JsonNode wrong = authWithId(id, secret + "x").expect(401);
    assertThat(wrong.at("/error/code").asInt()).isEqualTo(401);
  }

  @Test
  void restrictedCredentialCannotMakeMoreButUnrestrictedCan() {
    JsonNode restricted =
        admin.post(path(), "{\"application_credential\": {\"name\": \"" + unique("r") + "\"}}").expect(201)
            .get("application_credential");
    Api viaRestricted =
        kiln.api().withToken(
            authWithId(restricted.get("id").asText(), restricted.get("secret").asText()).header("X-Subject-Token"));
    viaRestricted.post(path(), "{\"application_credential\": {\"name\": \"" + unique("x") + "\"}}").expect(403);

    JsonNode unrestricted =
        admin
            .post(path(), "{\"application_credential\": {\"name\": \"" + unique("u") + "\", \"unrestricted\": true}}")
            .expect(201)
            .get("application_credential");
    Api viaUnrestricted =
        kiln.api().withToken(
            authWithId(unrestricted.get("id").asText(), unrestricted.get("secret").asText()).header("X-Subject-Token"));
    viaUnrestricted.post(path(), "{\"application_credential\": {\"name\": \"" + unique("y") + "\"}}").expect(201);
  }

  @Test
  void deletingACredentialEndsItsTokens() {
    JsonNode created =
        admin.post(path(), "{\"application_credential\": {\"name\": \"" + unique("d") + "\"}}").expect(201)
            .get("application_credential");
    String id = created.get("id").asText();
    Api via = kiln.api().withToken(authWithId(id, created.get("secret").asText()).header("X-Subject-Token"));
    via.get("/identity/v3/auth/projects").expect(200);

    admin.delete(path() + "/" + id).expect(204);

    assertThat(via.get("/identity/v3/auth/projects").status()).isEqualTo(401);
    assertThat(authWithId(id, created.get("secret").asText()).status()).isEqualTo(401);
    JsonNode gone = admin.get(path() + "/" + id).expect(404);
    assertThat(gone.at("/error/message").asText()).contains(id);
    admin.delete(path() + "/" + id).expect(404);
  }

  @Test
  void expiryIsShownAsGivenAndEndsTheCredential() {
    Instant expires = clock.instant().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(123).plusNanos(456_000);
    String given = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC).format(expires);
    JsonNode created =
        admin
            .post(path(), "{\"application_credential\": {\"name\": \"" + unique("e") + "\", \"expires_at\": \"" + given + "\"}}")
            .expect(201)
            .get("application_credential");
    assertThat(created.get("expires_at").asText()).isEqualTo(given);
    Api.Response token = authWithId(created.get("id").asText(), created.get("secret").asText());
    assertThat(Instant.parse(token.json().at("/token/expires_at").asText())).isBeforeOrEqualTo(expires);
    Api via = kiln.api().withToken(token.header("X-Subject-Token"));

    clock.advance(Duration.ofHours(2));
    try {
      assertThat(via.get("/identity/v3/auth/projects").status()).isEqualTo(401);
      assertThat(authWithId(created.get("id").asText(), created.get("secret").asText()).status()).isEqualTo(401);
    } finally {
      clock.advance(Duration.ofHours(-2));
    }
    admin
        .post(path(), "{\"application_credential\": {\"name\": \"past\", \"expires_at\": \"2001-01-01T00:00:00Z\"}}")
        .expect(400);
    admin
        .post(path(), "{\"application_credential\": {\"name\": \"bad\", \"expires_at\": \"tomorrow\"}}")
        .expect(400);
  }

  @Test
  void listFiltersByNameAndDuplicatesAre409() {
    String name = unique("l");
    admin.post(path(), "{\"application_credential\": {\"name\": \"" + name + "\"}}").expect(201);
    JsonNode dup = admin.post(path(), "{\"application_credential\": {\"name\": \"" + name + "\"}}").expect(409);
    assertThat(dup.at("/error/title").asText()).isEqualTo("Conflict");
    JsonNode listed = admin.get(path() + "?name=" + name).expect(200).get("application_credentials");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).has("secret")).isFalse();
    assertThat(admin.get(path()).expect(200).get("application_credentials").size()).isGreaterThan(1);
  }

  @Test
  void rolesMustBeHeldAndUsersMakeOnlyTheirOwn() {
    String role = admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"" + unique("role") + "\"}}")
        .expect(201).at("/role/id").asText();
    admin.post(path(), "{\"application_credential\": {\"name\": \"x\", \"roles\": [{\"id\": \"" + role + "\"}]}}")
        .expect(404);
    admin.post(path(), "{\"application_credential\": {\"name\": \"x\", \"roles\": [{\"name\": \"nope\"}]}}")
        .expect(404);
    String other =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"" + unique("u") + "\", \"password\": \"pw\"}}")
            .expect(201).at("/user/id").asText();
    admin.post("/identity/v3/users/" + other + "/application_credentials", "{\"application_credential\": {\"name\": \"x\"}}")
        .expect(403);
    admin.post(path(), "{\"application_credential\": {\"name\": \"x\", \"access_rules\": [{\"path\": \"/\"}]}}")
        .expect(400);
  }

  @Test
  void losingTheRoleOnTheProjectEndsTheCredentialsTokens() {
    String userName = unique("u");
    String userId =
        admin.post("/identity/v3/users", "{\"user\": {\"name\": \"" + userName + "\", \"password\": \"pw-7\"}}")
            .expect(201).at("/user/id").asText();
    String project =
        admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + unique("p") + "\"}}").expect(201)
            .at("/project/id").asText();
    String member = admin.get("/identity/v3/roles?name=member").expect(200).at("/roles/0/id").asText();
    admin.put("/identity/v3/projects/" + project + "/users/" + userId + "/roles/" + member, "").expect(204);
    Api user =
        kiln.api().withToken(
            kiln.api()
                .post(
                    "/identity/v3/auth/tokens",
                    """
                    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
                     "password": "pw-7"}}}, "scope": {"project": {"id": "%s"}}}}
                    """
                        .formatted(userId, project))
                .header("X-Subject-Token"));
    JsonNode created =
        user.post("/identity/v3/users/" + userId + "/application_credentials", "{\"application_credential\": {\"name\": \"mine\"}}")
            .expect(201).get("application_credential");
    Api via = kiln.api().withToken(authWithId(created.get("id").asText(), created.get("secret").asText()).header("X-Subject-Token"));
    via.get("/identity/v3/auth/projects").expect(200);

    admin.delete("/identity/v3/projects/" + project + "/users/" + userId + "/roles/" + member).expect(204);

    assertThat(via.get("/identity/v3/auth/projects").status()).isEqualTo(401);
    assertThat(authWithId(created.get("id").asText(), created.get("secret").asText()).status()).isEqualTo(401);
  }
}
