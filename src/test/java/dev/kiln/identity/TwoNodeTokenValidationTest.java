package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.TestPostgres;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Kiln nodes on one PostgreSQL database, each keeping validated tokens in memory: a change made
 * through node A — a revoked token, a disabled user or project, a role taken away or given — is
 * what node B answers from the very next request on, with no waiting.
 */
class TwoNodeTokenValidationTest {
  @TempDir static Path dirA;
  @TempDir static Path dirB;
  private static RunningKiln nodeA;
  private static RunningKiln nodeB;
  private static Api adminOnA;

  private String projectId;
  private String userId;
  private String memberRoleId;
  private String userToken;

  @BeforeAll
  static void startTwoNodes() {
    String url = TestPostgres.newDatabaseUrl();
    nodeA = RunningKiln.start(dirA, url, Clock.systemUTC());
    nodeB = RunningKiln.start(dirB, url, Clock.systemUTC());
    adminOnA = nodeA.admin();
  }

  @AfterAll
  static void stop() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  @BeforeEach
  void aMemberWithATokenThatNodeBHasCached() {
    String name = "p-" + System.nanoTime();
    projectId = adminOnA.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + name + "\"}}")
        .expect(201).at("/project/id").asText();
    userId = adminOnA.post("/identity/v3/users", "{\"user\": {\"name\": \"u-" + name + "\", \"password\": \"pw\"}}")
        .expect(201).at("/user/id").asText();
    memberRoleId = adminOnA.get("/identity/v3/roles?name=member").expect(200).at("/roles/0/id").asText();
    adminOnA.put(grant(memberRoleId), null).expect(204);
    userToken = nodeA.api().token("u-" + name, "pw", name);
    for (int i = 0; i < 3; i++) { // the first validation fills node B's cache, the others use it
      assertThat(onB().get(ownUser()).status()).isEqualTo(200);
    }
  }

  @Test
  void tokenRevokedOnNodeAIsRefusedOnNodeBAtOnce() {
    assertThat(adminOnA.withHeader("X-Subject-Token", userToken).delete("/identity/v3/auth/tokens").status())
        .isEqualTo(204);

    assertThat(onB().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void userDisabledOnNodeAIsRefusedOnNodeBAtOnce() {
    adminOnA.patch("/identity/v3/users/" + userId, "{\"user\": {\"enabled\": false}}").expect(200);

    assertThat(onB().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void projectDisabledOnNodeAIsRefusedOnNodeBAtOnce() {
    adminOnA.patch("/identity/v3/projects/" + projectId, "{\"project\": {\"enabled\": false}}").expect(200);

    assertThat(onB().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void roleTakenAwayOnNodeARevokesTheTokenOnNodeB() {
    String reader = adminOnA.get("/identity/v3/roles?name=reader").expect(200).at("/roles/0/id").asText();
    adminOnA.put(grant(reader), null).expect(204); // another role is still held afterwards

    adminOnA.delete(grant(memberRoleId)).expect(204);

    // As in Keystone: the tokens issued with the role are revoked, not merely narrowed.
    assertThat(onB().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void roleGivenOnNodeAShowsInTheTokenOnNodeBAtOnce() {
    String admin = adminOnA.get("/identity/v3/roles?name=admin").expect(200).at("/roles/0/id").asText();
    assertThat(validatedOnB().at("/token/roles").findValuesAsText("name")).doesNotContain("admin");

    adminOnA.put(grant(admin), null).expect(204);

    assertThat(validatedOnB().at("/token/roles").findValuesAsText("name")).contains("admin", "member");
  }

  @Test
  void projectRenamedOnNodeAShowsInTheTokenOnNodeBAtOnce() {
    adminOnA.patch("/identity/v3/projects/" + projectId, "{\"project\": {\"name\": \"renamed-" + projectId + "\"}}")
        .expect(200);

    assertThat(validatedOnB().at("/token/project/name").asText()).isEqualTo("renamed-" + projectId);
  }

  private com.fasterxml.jackson.databind.JsonNode validatedOnB() {
    return onB().withHeader("X-Subject-Token", userToken).get("/identity/v3/auth/tokens").expect(200);
  }

  private Api onB() {
    return nodeB.api().withToken(userToken);
  }

  private String ownUser() {
    return "/identity/v3/users/" + userId;
  }

  private String grant(String roleId) {
    return "/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId;
  }
}
