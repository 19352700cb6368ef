package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kiln knows survives a restart: users, projects, grants and the tokens it issued. Runs once
 * per database (embedded and PostgreSQL) through the thin subclasses.
 */
abstract class RestartTest {
  @TempDir Path dataDir;

  /** The database URL both runs use: null for the embedded one in the data directory. */
  protected abstract String databaseUrl();

  @Test
  void restartKeepsUsersProjectsGrantsAndTokens() {
    String databaseUrl = databaseUrl();
    String adminToken;
    String userToken;
    try (RunningKiln first = RunningKiln.start(dataDir, databaseUrl, Clock.systemUTC())) {
      Api anonymous = first.api();
      adminToken = anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin");
      Api admin = anonymous.withToken(adminToken);
      String projectId =
          admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"kept\"}}").json().at("/project/id").asText();
      String userId =
          admin
              .post("/identity/v3/users", "{\"user\": {\"name\": \"keeper\", \"password\": \"pw-1\"}}")
              .json()
              .at("/user/id")
              .asText();
      String member = admin.get("/identity/v3/roles?name=member").json().at("/roles/0/id").asText();
      assertThat(
              admin.put("/identity/v3/projects/" + projectId + "/users/" + userId + "/roles/" + member, null).status())
          .isEqualTo(204);
      userToken = anonymous.token("keeper", "pw-1", "kept");
    }

    try (RunningKiln second = RunningKiln.start(dataDir, databaseUrl, Clock.systemUTC())) {
      Api anonymous = second.api();
      Api admin = anonymous.withToken(adminToken);
      assertThat(admin.get("/identity/v3/projects?name=kept").json().get("projects")).hasSize(1);
      Api.Response validated =
          admin.withHeader("X-Subject-Token", userToken).get("/identity/v3/auth/tokens");
      assertThat(validated.status()).isEqualTo(200);
      assertThat(validated.json().at("/token/project/name").asText()).isEqualTo("kept");
      assertThat(validated.json().at("/token/roles").findValuesAsText("name")).contains("member");
      assertThat(anonymous.token("keeper", "pw-1", "kept")).isNotBlank();
    }
  }

  static class Embedded extends RestartTest {
    @Override
    protected String databaseUrl() {
      return null;
    }
  }

  static class OnPostgres extends RestartTest {
    @Override
    protected String databaseUrl() {
      return dev.kiln.store.TestPostgres.newDatabaseUrl();
    }
  }
}
