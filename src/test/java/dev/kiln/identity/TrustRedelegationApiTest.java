package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.MutableClock;
import dev.kiln.testing.Race;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust redelegation as Keystone has it: a trustee makes a trust from the trust its token is
 * scoped by, the chain shrinks by one link each time from {@code redelegation_count} (at most the
 * configured maximum, 3), a redelegated trust gives no more than the trusts above it, and deleting
 * a trust deletes the trusts made from it and revokes their tokens.
 */
class TrustRedelegationApiTest {
  private static final String TRUSTS = "/identity/v3/OS-TRUST/trusts";
  private static final String PASSWORD = "s3cret-pass";

  @TempDir static Path dataDir;
  private static final MutableClock clock = MutableClock.startingNow();
  private static RunningKiln kiln;

  private Api admin;
  private String projectId;
  private String otherProjectId;
  private String trustorId;
  private String[] trustees;
  private String delegatedRoleId;
  private String keptRoleId;
  private Api trustor;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir, null, clock);
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  /** A trustor with two roles on a project (one on another project too), and four trustees. */
  @BeforeEach
  void trustorAndTrustees() {
    admin = kiln.api().withToken(kiln.api().token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
    String project = unique("p");
    projectId = project(project);
    otherProjectId = project(unique("other"));
    String trustorName = unique("trustor");
    trustorId = user(trustorName);
    trustees = new String[] {user(unique("a")), user(unique("b")), user(unique("c")), user(unique("d"))};
    delegatedRoleId = role(unique("delegated"));
    keptRoleId = role(unique("kept"));
    grant(projectId, trustorId, delegatedRoleId);
    grant(projectId, trustorId, keptRoleId);
    grant(otherProjectId, trustorId, delegatedRoleId);
    trustor = kiln.api().withToken(kiln.api().token(trustorName, PASSWORD, project));
  }

  private String project(String name) {
    return admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + name + "\"}}")
        .expect(201).at("/project/id").asText();
  }

  private String user(String name) {
    return admin
        .post("/identity/v3/users", "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}}")
        .expect(201).at("/user/id").asText();
  }

  private String role(String name) {
    return admin.post("/identity/v3/roles", "{\"role\": {\"name\": \"" + name + "\"}}").expect(201)
        .at("/role/id").asText();
  }

  private void grant(String project, String user, String role) {
    admin.put("/identity/v3/projects/" + project + "/users/" + user + "/roles/" + role, "").expect(204);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A trust from the trustor (on the project, the delegated role) to {@code trustee}, by {@code maker}. */
  private static Api.Response trust(Api maker, String trustorId, String trustee, String project, String roleId,
      boolean impersonation, String extra) {
    return maker.post(
        TRUSTS,
        """
        {"trust": {"trustor_user_id": "%s", "trustee_user_id": "%s", "project_id": "%s",
         "roles": [{"id": "%s"}], "impersonation": %s %s}}
        """
            .formatted(trustorId, trustee, project, roleId, impersonation, extra));
  }

  private Api.Response trust(Api maker, String trustee, String extra) {
    return trust(maker, trustorId, trustee, projectId, delegatedRoleId, true, extra);
  }

  /** The trustee's token scoped by the trust, as a client. */
  private static Api viaTrust(String trusteeId, String trustId) {
    Api.Response issued = trustToken(trusteeId, trustId);
    issued.expect(201);
    return kiln.api().withToken(issued.header("X-Subject-Token"));
  }

  private static Api.Response trustToken(String trusteeId, String trustId) {
    return kiln.api()
        .post(
            "/identity/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
             "password": "%s"}}}, "scope": {"OS-TRUST:trust": {"id": "%s"}}}}
            """
                .formatted(trusteeId, PASSWORD, trustId));
  }

  @Test
  void eachRedelegationShortensTheChainByOneUntilNoneIsLeft() {
    JsonNode first = trust(trustor, trustees[0], ", \"allow_redelegation\": true").expect(201).get("trust");
    assertThat(first.get("redelegation_count").asInt()).isEqualTo(3);
    assertThat(first.get("allow_redelegation").asBoolean()).isTrue();
    assertThat(first.get("redelegated_trust_id").isNull()).isTrue();

    String parent = first.get("id").asText();
    for (int link = 1; link <= 3; link++) {
      Api token = viaTrust(trustees[link - 1], parent);
      JsonNode child = trust(token, trustees[link], ", \"allow_redelegation\": true").expect(201).get("trust");
      assertThat(child.get("redelegated_trust_id").asText()).isEqualTo(parent);
      assertThat(child.get("redelegation_count").asInt()).isEqualTo(3 - link);
      assertThat(child.get("trustor_user_id").asText()).isEqualTo(trustorId);
      parent = child.get("id").asText();
    }
    // The last link may not be redelegated: its count is 0.
    Api last = viaTrust(trustees[3], parent);
    JsonNode refused = trust(last, trustees[0], "").expect(403);
    assertThat(refused.at("/error/message").asText()).contains("redelegation depth of 0");

    // Its token still works, with the delegated role and the trustor as its user.
    JsonNode token =
        last.withHeader("X-Subject-Token", trustToken(trustees[3], parent).header("X-Subject-Token"))
            .get("/identity/v3/auth/tokens").expect(200).get("token");
    assertThat(token.at("/user/id").asText()).isEqualTo(trustorId);
    assertThat(token.get("roles").findValuesAsText("id")).contains(delegatedRoleId).doesNotContain(keptRoleId);
    assertThat(token.at("/OS-TRUST:trust/id").asText()).isEqualTo(parent);
  }

  @Test
  void redelegationCountIsBoundedByTheMaximumAndZeroMeansNoRedelegation() {
    JsonNode tooDeep = trust(trustor, trustees[0], ", \"allow_redelegation\": true, \"redelegation_count\": 4")
        .expect(403);
    assertThat(tooDeep.at("/error/message").asText()).contains("greater than allowed 3");
    assertThat(trust(trustor, trustees[0], ", \"allow_redelegation\": true, \"redelegation_count\": 2")
        .expect(201).at("/trust/redelegation_count").asInt()).isEqualTo(2);
    JsonNode none = trust(trustor, trustees[0], ", \"allow_redelegation\": true, \"redelegation_count\": 0")
        .expect(201).get("trust");
    assertThat(none.get("redelegation_count").asInt()).isZero();
    assertThat(none.get("allow_redelegation").asBoolean()).isFalse();
    assertThat(trust(trustor, trustees[0], "").expect(201).at("/trust/redelegation_count").asInt()).isZero();
    trust(trustor, trustees[0], ", \"redelegation_count\": -1").expect(400);
    // A trust that may be redelegated has no use limit.
    trust(trustor, trustees[0], ", \"allow_redelegation\": true, \"remaining_uses\": 2").expect(400);

    String noRedelegation = none.get("id").asText();
    trust(viaTrust(trustees[0], noRedelegation), trustees[1], "").expect(403);
  }

  @Test
  void redelegatedTrustGivesNoMoreThanItsParent() {
    Instant expires = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    JsonNode parent =
        trust(trustor, trustees[0], ", \"allow_redelegation\": true, \"expires_at\": \"" + expires + "\"")
            .expect(201).get("trust");
    Api token = viaTrust(trustees[0], parent.get("id").asText());

    // A role of the trustor's that the parent does not delegate.
    trust(token, trustorId, trustees[1], projectId, keptRoleId, true, "").expect(403);
    // A later expiry.
    trust(token, trustees[1], ", \"expires_at\": \"" + expires.plus(Duration.ofHours(1)) + "\"").expect(403);
    // A use limit.
    trust(token, trustees[1], ", \"remaining_uses\": 5").expect(403);
    // A redelegation count other than the parent's less one.
    trust(token, trustees[1], ", \"allow_redelegation\": true, \"redelegation_count\": 1").expect(403);
    // Another project, even one where the trustor holds the role.
    trust(token, trustorId, trustees[1], otherProjectId, delegatedRoleId, true, "").expect(403);

    // Without an expiry, the child takes the parent's; an explicit count equal to the parent's less one is fine.
    JsonNode child =
        trust(token, trustees[1], ", \"allow_redelegation\": true, \"redelegation_count\": 2").expect(201).get("trust");
    assertThat(Instant.parse(child.get("expires_at").asText())).isEqualTo(expires);
    assertThat(admin.get(TRUSTS + "?trustor_user_id=" + trustorId).expect(200).get("trusts")).hasSize(2);
  }

  @Test
  void trustWithoutImpersonationCannotBeRedelegatedWithImpersonation() {
    JsonNode parent =
        trust(trustor, trustorId, trustees[0], projectId, delegatedRoleId, false, ", \"allow_redelegation\": true")
            .expect(201).get("trust");
    Api token = viaTrust(trustees[0], parent.get("id").asText());
    // The token's user is the trustee, who must then be the new trust's trustor, and hold the role.
    trust(token, trustees[0], trustees[1], projectId, delegatedRoleId, false, "").expect(404);
    grant(projectId, trustees[0], delegatedRoleId);
    JsonNode refused = trust(token, trustees[0], trustees[1], projectId, delegatedRoleId, true, "").expect(403);
    assertThat(refused.at("/error/message").asText()).contains("Impersonation is not allowed");
    JsonNode child = trust(token, trustees[0], trustees[1], projectId, delegatedRoleId, false, "").expect(201).get("trust");
    assertThat(child.get("redelegated_trust_id").asText()).isEqualTo(parent.get("id").asText());
    assertThat(child.get("trustor_user_id").asText()).isEqualTo(trustees[0]);
  }

  @Test
  void deletingATrustDeletesTheTrustsMadeFromItAndRevokesTheirTokens() {
    String first = trust(trustor, trustees[0], ", \"allow_redelegation\": true").expect(201).at("/trust/id").asText();
    String second = trust(viaTrust(trustees[0], first), trustees[1], ", \"allow_redelegation\": true")
        .expect(201).at("/trust/id").asText();
    String third = trust(viaTrust(trustees[1], second), trustees[2], "").expect(201).at("/trust/id").asText();
    Api secondToken = viaTrust(trustees[1], second);
    Api thirdToken = viaTrust(trustees[2], third);
    thirdToken.get("/identity/v3/auth/catalog").expect(200);

    trustor.delete(TRUSTS + "/" + first).expect(204);

    for (String id : new String[] {first, second, third}) {
      admin.get(TRUSTS + "/" + id).expect(404);
    }
    secondToken.get("/identity/v3/auth/catalog").expect(401);
    thirdToken.get("/identity/v3/auth/catalog").expect(401);
    trustToken(trustees[2], third).expect(404);
  }

  @Test
  void redelegatedTrustGivesOnlyWhatTheFirstTrustorStillHoldsWhileEveryTrusteeIsEnabled() {
    String first = trust(trustor, trustees[0], ", \"allow_redelegation\": true").expect(201).at("/trust/id").asText();
    String second = trust(viaTrust(trustees[0], first), trustees[1], "").expect(201).at("/trust/id").asText();
    Api token = viaTrust(trustees[1], second);
    token.get("/identity/v3/auth/catalog").expect(200);

    // A trustee up the chain disabled: the chain no longer gives anything.
    admin.patch("/identity/v3/users/" + trustees[0], "{\"user\": {\"enabled\": false}}").expect(200);
    token.get("/identity/v3/auth/catalog").expect(401);
    trustToken(trustees[1], second).expect(403);
    admin.patch("/identity/v3/users/" + trustees[0], "{\"user\": {\"enabled\": true}}").expect(200);
    token.get("/identity/v3/auth/catalog").expect(200);

    // The first trustor loses the delegated role: neither trust gives a token any more.
    admin.delete("/identity/v3/projects/" + projectId + "/users/" + trustorId + "/roles/" + delegatedRoleId)
        .expect(204);
    token.get("/identity/v3/auth/catalog").expect(401);
    trustToken(trustees[1], second).expect(401);
  }

  @Test
  void redelegationRacingTheParentsDeleteLeavesNoTrustBehind() {
    for (int round = 0; round < 5; round++) {
      String parent = trust(trustor, trustees[0], ", \"allow_redelegation\": true").expect(201).at("/trust/id").asText();
      Api token = viaTrust(trustees[0], parent);
      List<Api.Response> answers = Race.run(2, n -> n == 0
          ? trustor.delete(TRUSTS + "/" + parent)
          : trust(token, trustees[1], ""));
      assertThat(answers.get(0).status()).as(answers.toString()).isEqualTo(204);
      assertThat(answers.get(1).status()).as(answers.toString()).isIn(201, 401, 404);
      // Whoever won, the parent's delete took every trust made from it along.
      assertThat(admin.get(TRUSTS + "?trustor_user_id=" + trustorId).expect(200).get("trusts")).isEmpty();
    }
  }
}
