package dev.kiln.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.IdGenerator;
import dev.kiln.http.AllowedRequests;
import dev.kiln.http.Caller;
import dev.kiln.objectstore.api.ObjectStoreApi;
import dev.kiln.store.Database;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Object Storage answers a saturated database pool with 503 and Retry-After, not 500. */
class ObjectStoreBusyDatabaseTest {
  @TempDir Path dataDir;

  @Test
  void saturatedDatabasePoolIsA503WithRetryAfter() throws Exception {
    System.setProperty("kiln.db.pool-size", "2");
    System.setProperty("kiln.db.pool-wait-ms", "250");
    Database db;
    try {
      db = Database.inMemory("busy-swift-" + UUID.randomUUID());
    } finally {
      System.clearProperty("kiln.db.pool-size");
      System.clearProperty("kiln.db.pool-wait-ms");
    }
    Caller caller = new Caller("u", "user", "default", "p1", "project", null, Set.of("member"), Instant.MAX, AllowedRequests.ANY);
    ObjectStoreService service = ObjectStoreService.create(
        db, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(), dataDir, () -> "http://127.0.0.1");
    WebServer server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register(ObjectStoreApi.PREFIX, new ObjectStoreApi(token -> Optional.of(caller), service)))
        .build().start();
    try (db) {
      HttpRequest get = HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/object-store/v1/AUTH_p1/c"))
          .header("X-Auth-Token", "t").GET().build();
      // Both connections held here: the request finds none free for the pool's whole wait.
      HttpResponse<String> answer = db.inTransaction(outer -> db.inTransaction(inner -> {
        try {
          return HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).contains("1");
      assertThat(answer.body()).contains("too busy");

      // With the connections back, the same request is answered (the container does not exist).
      assertThat(HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(404);
    } finally {
      server.stop();
    }
  }
}
