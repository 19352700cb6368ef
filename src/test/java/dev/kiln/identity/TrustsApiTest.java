package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.MutableClock;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keystone trusts over HTTP: made by a trustor, used by a trustee for trust-scoped tokens. */
class TrustsApiTest {
  private static final String TRUSTS = "/identity/v3/OS-TRUST/trusts";
  private static final String PASSWORD = "s3cret-pass";

  @TempDir static Path dataDir;
  private static final MutableClock clock = MutableClock.startingNow();
  private static RunningKiln kiln;

  private Api admin;
  private String projectId;
  private String trustorId;
  private String trusteeId;
  private String delegatedRoleId;
  private String keptRoleId;
  private String delegatedRole;
  private Api trustor;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir, null, clock);
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  /** A project, a trustor holding two roles on it, and a trustee holding none anywhere. */
  @BeforeEach
  void trustorAndTrustee() {
    admin = kiln.api().withToken(kiln.api().token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    String project = unique("p");
    projectId =
        admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + project + "\"}}")
            .expect(201).at("/project/id").asText();
    String trustorName = unique("trustor");
    trustorId = user(trustorName);
    trusteeId = user(unique("trustee"));
    delegatedRole = unique("delegated");
    delegatedRoleId = role(delegatedRole);
    keptRoleId = role(unique("kept"));
    for (String role : new String[] {delegatedRoleId, keptRoleId}) {
      admin.put("/identity/v3/projects/" + projectId + "/users/" + trustorId + "/roles/" + role, "")
          .expect(204);
    }
    trustor = kiln.api().withToken(kiln.api().token(trustorName, PASSWORD, project));
  }

  private String user(String name) {
    return admin
        .post("/identity/v3/users", "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}}")
        .expect(201)
        .at("/user/id")
        .asText();
  }

  private String role(String name) {
    return admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"" + name + "\"}}").expect(201)
        .at("/role/id").asText();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Api.Response createTrust(boolean impersonation, String extra) {
    return trustor.post(
        TRUSTS,
        """
        {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
         "roles": [{"name": "%s"}], "impersonation": %s %s}}
        """
            .formatted(trustorId, trusteeId, projectId, delegatedRole, impersonation, extra));
  }

  /** The trustee asks for a token scoped by the trust, authenticating with its password. */
  private Api.Response trustToken(String userId, String trustId) {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
             "password": "%s"}}}, "scope": {"OS-TRUST:trust": {"id": "%s"}}}}
            """
                .formatted(userId, PASSWORD, trustId));
  }

  @Test
  void trustorDelegatesOneRoleWhichTheTrustShowsAndChecks() {
    JsonNode trust = createTrust(true, "").expect(201).get("trust");
    String id = trust.get("id").asText();
    assertThat(trust.get("trustor_user_id").asText()).isEqualTo(trustorId);
    assertThat(trust.get("trustee_user_id").asText()).isEqualTo(trusteeId);
    assertThat(trust.get("project_id").asText()).isEqualTo(projectId);
    assertThat(trust.get("impersonation").asBoolean()).isTrue();
    assertThat(trust.get("expires_at").isNull()).isTrue();
    assertThat(trust.get("remaining_uses").isNull()).isTrue();
    assertThat(trust.at("/links/self").asText()).endsWith("/v3/OS-TRUST/trusts/" + id);
    assertThat(trust.get("roles").findValuesAsText("id")).containsExactly(delegatedRoleId);
    assertThat(trust.at("/roles/0/links/self").asText()).endsWith("/v3/roles/" + delegatedRoleId);

    JsonNode shown = trustor.get(TRUSTS + "/" + id).expect(200).get("trust");
    assertThat(shown.get("roles").findValuesAsText("name")).containsExactly(delegatedRole);
    JsonNode roles = trustor.get(TRUSTS + "/" + id + "/roles").expect(200);
    assertThat(roles.get("roles").findValuesAsText("id")).containsExactly(delegatedRoleId);
    trustor.get(TRUSTS + "/" + id + "/roles/" + delegatedRoleId).expect(200);
    assertThat(trustor.head(TRUSTS + "/" + id + "/roles/" + delegatedRoleId).status()).isEqualTo(200);
    trustor.get(TRUSTS + "/" + id + "/roles/" + keptRoleId).expect(404);
    assertThat(trustor.head(TRUSTS + "/" + id + "/roles/" + keptRoleId).status()).isEqualTo(404);
  }

  @Test
  void impersonatingTrustTokenNamesTheTrustorWithOnlyTheDelegatedRole() {
    String id = createTrust(true, "").expect(201).at("/trust/id").asText();
    JsonNode token = trustToken(trusteeId, id).expect(201).get("token");
    assertThat(token.at("/user/id").asText()).isEqualTo(trustorId);
    assertThat(token.at("/project/id").asText()).isEqualTo(projectId);
    assertThat(token.get("roles").findValuesAsText("id")).containsExactly(delegatedRoleId);
    assertThat(token.at("/OS-TRUST:trust/id").asText()).isEqualTo(id);
    assertThat(token.at("/OS-TRUST:trust/impersonation").asBoolean()).isTrue();
    assertThat(token.at("/OS-TRUST:trust/trustor_user/id").asText()).isEqualTo(trustorId);
    assertThat(token.at("/OS-TRUST:trust/trustee_user/id").asText()).isEqualTo(trusteeId);
  }

  @Test
  void trustTokenWithoutImpersonationNamesTheTrustee() {
    String id = createTrust(false, "").expect(201).at("/trust/id").asText();
    Api.Response issued = trustToken(trusteeId, id);
    JsonNode token = issued.expect(201).get("token");
    assertThat(token.at("/user/id").asText()).isEqualTo(trusteeId);
    assertThat(token.at("/project/id").asText()).isEqualTo(projectId);
    // Validating it (the token reads itself) shows the same trust section.
    JsonNode validated =
        kiln.api().withToken(issued.header("X-Subject-Token"))
            .withHeader("X-Subject-Token", issued.header("X-Subject-Token"))
            .get("/identity/v3/auth/tokens").expect(200);
    assertThat(validated.at("/token/OS-TRUST:trust/id").asText()).isEqualTo(id);
    assertThat(validated.at("/token/OS-TRUST:trust/impersonation").asBoolean()).isFalse();
  }

  @Test
  void trustTokenFromTheTrusteesUnscopedToken() {
    String id = createTrust(false, "").expect(201).at("/trust/id").asText();
    Api.Response first =
        kiln.api()
            .post(
                "/identity/v3/auth/tokens",
                """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
                 "password": "%s"}}}}}
                """
                    .formatted(trusteeId, PASSWORD));
    JsonNode token =
        kiln.api()
            .post(
                "/identity/v3/auth/tokens",
                """
                {"auth": {"identity": {"methods": ["token"], "token": {"id": "%s"}},
                 "scope": {"OS-TRUST:trust": {"id": "%s"}}}}
                """
                    .formatted(first.header("X-Subject-Token"), id))
            .expect(201)
            .get("token");
    assertThat(token.at("/OS-TRUST:trust/id").asText()).isEqualTo(id);
    assertThat(token.at("/user/id").asText()).isEqualTo(trusteeId);
    assertThat(token.at("/project/id").asText()).isEqualTo(projectId);
  }

  @Test
  void onlyTheTrusteeMayUseATrust() {
    String id = createTrust(true, "").expect(201).at("/trust/id").asText();
    trustToken(trustorId, id).expect(403);
  }

  @Test
  void deletingATrustRevokesTheTokensItScoped() {
    String id = createTrust(true, "").expect(201).at("/trust/id").asText();
    Api viaTrust = kiln.api().withToken(lastToken(id));
    viaTrust.get("/identity/v3/auth/catalog").expect(200);

    trustor.delete(TRUSTS + "/" + id).expect(204);

    viaTrust.get("/identity/v3/auth/catalog").expect(401);
    trustor.get(TRUSTS + "/" + id).expect(404);
    trustToken(trusteeId, id).expect(404);
  }

  private String lastToken(String trustId) {
    return trustToken(trusteeId, trustId).header("X-Subject-Token");
  }

  @Test
  void takingTheDelegatedRoleFromTheTrustorEndsTheTrustsTokens() {
    String id = createTrust(false, "").expect(201).at("/trust/id").asText();
    Api viaTrust = kiln.api().withToken(lastToken(id));
    viaTrust.get("/identity/v3/auth/catalog").expect(200);

    admin.delete("/identity/v3/projects/" + projectId + "/users/" + trustorId + "/roles/" + delegatedRoleId)
        .expect(204);

    viaTrust.get("/identity/v3/auth/catalog").expect(401);
    trustToken(trusteeId, id).expect(401);
  }

  @Test
  void eachTokenSpendsOneOfTheTrustsRemainingUses() {
    JsonNode trust = createTrust(true, ", \"remaining_uses\": 2").expect(201).get("trust");
    assertThat(trust.get("remaining_uses").asInt()).isEqualTo(2);
    String id = trust.get("id").asText();
    trustToken(trusteeId, id).expect(201);
    trustToken(trusteeId, id).expect(201);
    trustToken(trusteeId, id).expect(404);
    createTrust(true, ", \"remaining_uses\": 0").expect(400);
  }

  @Test
  void expiredTrustIsGoneWithItsTokens() {
    Instant expires = clock.instant().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
    JsonNode trust =
        createTrust(true, ", \"expires_at\": \"" + expires + "\"").expect(201).get("trust");
    String id = trust.get("id").asText();
    assertThat(trust.get("expires_at").asText()).isEqualTo(expires.toString().replace("Z", ".000000Z"));
    JsonNode token = trustToken(trusteeId, id).expect(201).get("token");
    assertThat(Instant.parse(token.get("expires_at").asText())).isEqualTo(expires);
    Api viaTrust = kiln.api().withToken(lastToken(id));

    clock.advance(Duration.ofMinutes(31));
    try {
      viaTrust.get("/identity/v3/auth/catalog").expect(401);
      trustor.get(TRUSTS + "/" + id).expect(404);
      trustToken(trusteeId, id).expect(404);
    } finally {
      clock.advance(Duration.ofMinutes(-31));
    }
  }

  @Test
  void badTrustRequestsAreRefusedAsKeystoneRefusesThem() {
    assertThat(createTrust(true, ", \"expires_at\": \"bad.123Z\"").expect(400).at("/error/message").asText())
        .contains("expires_at");
    createTrust(true, ", \"expires_at\": \"2000-01-01T00:00:00Z\"").expect(400);
    // Someone else cannot be the trustor.
    admin.post(
            TRUSTS,
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [{"name": "%s"}], "impersonation": true}}
            """
                .formatted(trustorId, trusteeId, projectId, delegatedRole))
        .expect(403);
    // A role the trustor does not hold is not found.
    trustor.post(
            TRUSTS,
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [{"name": "admin"}], "impersonation": true}}
            """
                .formatted(trustorId, trusteeId, projectId))
        .expect(404);
    // A project without roles is forbidden; a missing impersonation is a bad request.
    trustor.post(
            TRUSTS,
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [], "impersonation": true}}
            """
                .formatted(trustorId, trusteeId, projectId))
        .expect(403);
    trustor.post(
            TRUSTS,
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [{"name": "%s"}]}}
            """
                .formatted(trustorId, trusteeId, projectId, delegatedRole))
        .expect(400);
    assertThat(trustor.get(TRUSTS + "?trustor_user_id=" + trustorId).expect(200).get("trusts")).isEmpty();
  }

  @Test
  void trustsAreListedForTheirTrustorAndTrusteeAndAllOfThemForAdmins() {
    String id = createTrust(true, "").expect(201).at("/trust/id").asText();
    JsonNode mine = trustor.get(TRUSTS + "/?trustor_user_id=" + trustorId).expect(200).get("trusts");
    assertThat(mine.findValuesAsText("id")).containsExactly(id);
    assertThat(mine.get(0).has("roles")).isFalse();
    trustor.get(TRUSTS + "?trustor_user_id=" + trusteeId).expect(403);
    trustor.get(TRUSTS).expect(403);
    assertThat(admin.get(TRUSTS).expect(200).get("trusts").findValuesAsText("id")).contains(id);
    // The trustee sees it; a stranger does not.
    assertThat(admin.get(TRUSTS + "?trustee_user_id=" + trusteeId).expect(200).get("trusts")
        .findValuesAsText("id")).containsExactly(id);
    String stranger = unique("stranger");
    user(stranger);
    admin.put("/identity/v3/projects/" + projectId + "/users/"
        + admin.get("/identity/v3/users?name=" + stranger).expect(200).at("/users/0/id").asText()
        + "/roles/" + keptRoleId, "").expect(204);
    Api strangerApi = kiln.api().withToken(kiln.api().token(stranger, PASSWORD,
        admin.get("/identity/v3/projects/" + projectId).expect(200).at("/project/name").asText()));
    strangerApi.get(TRUSTS + "/" + id).expect(403);
    strangerApi.delete(TRUSTS + "/" + id).expect(403);
  }

  @Test
  void trustScopedTokenCannotBeRescopedNorRedelegateATrustThatDoesNotAllowIt() {
    String id = createTrust(true, "").expect(201).at("/trust/id").asText();
    String value = lastToken(id);
    kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["token"], "token": {"id": "%s"}},
             "scope": {"project": {"id": "%s"}}}}
            """
                .formatted(value, projectId))
        .expect(403);
    kiln.api().withToken(value).post(
            TRUSTS,
            """
            {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
             "roles": [{"name": "%s"}], "impersonation": true}}
            """
                .formatted(trustorId, trusteeId, projectId, delegatedRole))
        .expect(403);
  }
}
