package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.testing.Api;
import io.helidon.webserver.WebServer;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request that found no database connection free for the pool's whole wait is answered 503 with
 * Retry-After, in the service's own fault body: the service is busy, not broken.
 */
class StoreUnavailableAnswerTest {
  private static WebServer server;
  private static StoreException unavailable;

  @BeforeAll
  static void start() {
    unavailable = poolTimeout();
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register("/compute", rules ->
            new ApiRoutes(rules, new ServiceContext(null, FaultStyle.NOVA, token -> Optional.empty(), null, null))
                .get("/busy", Access.PUBLIC, request -> {
                  throw unavailable;
                })
                .get("/broken", Access.PUBLIC, request -> {
                  throw new IllegalStateException("a bug");
                })))
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  /** A real pool timeout: two connections held on this thread, a third asked for. */
  private static StoreException poolTimeout() {
    System.setProperty("kiln.db.pool-size", "2");
    System.setProperty("kiln.db.pool-wait-ms", "250");
    Database db;
    try {
      db = Database.inMemory("unavailable-" + UUID.randomUUID());
    } finally {
      System.clearProperty("kiln.db.pool-size");
      System.clearProperty("kiln.db.pool-wait-ms");
    }
    try (db) {
      return db.inTransaction(outer -> db.inTransaction(inner -> {
        try {
          db.sql().count("SELECT 1");
          throw new AssertionError("a third connection was had from a pool of two");
        } catch (StoreException e) {
          return e;
        }
      }));
    }
  }

  @Test
  void poolTimeoutIsA503WithRetryAfterInTheServicesFaultFormat() {
    assertThat(unavailable.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE);

    Api.Response answer = new Api("http://127.0.0.1:" + server.port()).get("/compute/busy");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).isEqualTo("1");
    JsonNode fault = answer.json().get("serviceUnavailable");
    assertThat(fault.get("code").asInt()).isEqualTo(503);
    assertThat(fault.get("message").asText()).contains("too busy").contains("Try again");
  }

  @Test
  void anyOtherFailureIsStillA500() {
    Api.Response answer = new Api("http://127.0.0.1:" + server.port()).get("/compute/broken");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.header("Retry-After")).isNull();
  }
}
