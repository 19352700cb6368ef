package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Kiln on its embedded file, where a validated token is answered from memory without a read
 * while no commit has touched the token table or identity's revision: every change that takes a
 * token's rights away, or changes what it shows, is still what the very next request sees. (That
 * the cached validation reads nothing is held by {@code StatementBudgetTest}'s budgets.)
 */
class EmbeddedTokenValidationTest {
  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;

  private String projectId;
  private String userId;
  private String memberRoleId;
  private String userToken;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    admin = kiln.admin();
  }

  @AfterAll
  static void stop() {
    if (kiln != null) {
      kiln.close();
    }
  }

  @BeforeEach
  void aMemberWhoseTokenIsCached() {
    String name = "p-" + System.nanoTime();
    projectId = admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + name + "\"}}")
        .expect(201).at("/project/id").asText();
    userId = admin.post("/identity/v3/users", "{\"user\": {\"name\": \"u-" + name + "\", \"password\": \"pw\"}}")
        .expect(201).at("/user/id").asText();
    memberRoleId = admin.get("/identity/v3/roles?name=member").expect(200).at("/roles/0/id").asText();
    admin.put(grant(memberRoleId), null).expect(204);
    userToken = kiln.api().token("u-" + name, "pw", name);
    for (int i = 0; i < 3; i++) { // the first validation reads the rows, the others answer from memory
      assertThat(asUser().get(ownUser()).status()).isEqualTo(200);
    }
  }

  @Test
  void revokedTokenIsRefusedAtOnce() {
    assertThat(admin.withHeader("X-Subject-Token", userToken).delete("/identity/v3/auth/tokens").status())
        .isEqualTo(204);

    assertThat(asUser().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void disabledUserIsRefusedAtOnce() {
    admin.patch("/identity/v3/users/" + userId, "{\"user\": {\"enabled\": false}}").expect(200);

    assertThat(asUser().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void disabledProjectIsRefusedAtOnce() {
    admin.patch("/identity/v3/projects/" + projectId, "{\"project\": {\"enabled\": false}}").expect(200);

    assertThat(asUser().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void roleTakenAwayRevokesTheTokenAtOnce() {
    String reader = admin.get("/identity/v3/roles?name=reader").expect(200).at("/roles/0/id").asText();
    admin.put(grant(reader), null).expect(204);

    admin.delete(grant(memberRoleId)).expect(204);

    assertThat(asUser().get(ownUser()).status()).isEqualTo(401);
  }

  @Test
  void roleGivenShowsInTheTokenAtOnce() {
    String adminRole = admin.get("/identity/v3/roles?name=admin").expect(200).at("/roles/0/id").asText();
    assertThat(validated().at("/token/roles").findValuesAsText("name")).doesNotContain("admin");

    admin.put(grant(adminRole), null).expect(204);

    assertThat(validated().at("/token/roles").findValuesAsText("name")).contains("admin", "member");
  }

  private JsonNode validated() {
    return asUser().withHeader("X-Subject-Token", userToken).get("/identity/v3/auth/tokens").expect(200);
  }

  private Api asUser() {
    return kiln.api().withToken(userToken);
  }

  private String ownUser() {
    return "/identity/v3/users/" + userId;
  }

  private String grant(String roleId) {
    return "/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId;
  }
}
