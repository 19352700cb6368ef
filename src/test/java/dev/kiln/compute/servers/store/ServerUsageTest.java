package dev.kiln.compute.servers.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compute.quotas.store.ComputeQuotaStore;
import dev.kiln.compute.quotas.store.ComputeQuotaStore.Usage;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The usage rows a boot's quota check reads change with the servers, in the same transaction. */
class ServerUsageTest {
  private static final Instant NOW = Instant.parse("2026-12-06T15:00:00Z");
  private static final FlavorSnapshot TINY = new FlavorSnapshot("1", "m1.tiny", 1, 512, 1, 0, 0, Map.of());
  private static final FlavorSnapshot MEDIUM = new FlavorSnapshot("3", "m1.medium", 2, 4096, 40, 0, 0, Map.of());

  private Database db;

  @BeforeEach
  void open() {
    db = Database.inMemory("server-usage-" + UUID.randomUUID());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void usageCountsServersAsTheyAreMadeResizedAndDeleted() {
    Server a = boot("p1", "alice", TINY);
    Server b = boot("p1", "alice", MEDIUM);
    boot("p1", "bob", TINY);
    boot("p2", "alice", MEDIUM);

    assertThat(usage("p1")).isEqualTo(new Usage(3, 4, 5120, 0));
    assertThat(userUsage("p1", "alice")).isEqualTo(new Usage(2, 3, 4608, 0));

    beginResize(a.id());
    assertThat(finishResize(a.id(), MEDIUM)).isTrue();
    assertThat(usage("p1")).isEqualTo(new Usage(3, 5, 8704, 0));

    assertThat(delete(b.id())).isEqualTo(1);
    assertThat(usage("p1")).isEqualTo(new Usage(2, 3, 4608, 0));
    assertThat(userUsage("p1", "alice")).isEqualTo(new Usage(1, 2, 4096, 0));
    assertThat(usage("p2")).isEqualTo(new Usage(1, 2, 4096, 0));
  }

  @Test
  void deletingAServerTwiceTakesItFromUsageOnce() {
    Server a = boot("p1", "alice", MEDIUM);
    boot("p1", "alice", TINY);

    assertThat(delete(a.id())).isEqualTo(1);
    assertThat(delete(a.id())).isZero();

    assertThat(usage("p1")).isEqualTo(new Usage(1, 1, 512, 0));
  }

  @Test
  void aResizeThatNoLongerHoldsTheServerChangesNoUsage() {
    Server a = boot("p1", "alice", TINY);

    // No resize under way: the finish finds the server in another task state and changes nothing.
    assertThat(finishResize(a.id(), MEDIUM)).isFalse();

    assertThat(usage("p1")).isEqualTo(new Usage(1, 1, 512, 0));
  }

  @Test
  void aBootThatRollsBackLeavesUsageAsItWas() {
    boot("p1", "alice", TINY);
    try {
      db.inTransaction(
          sql -> {
            new ServerStore(sql).insert(server("p1", "alice", MEDIUM));
            throw new IllegalStateException("the boot fails after its insert");
          });
    } catch (IllegalStateException expected) {
      // the transaction rolled back
    }
    assertThat(usage("p1")).isEqualTo(new Usage(1, 1, 512, 0));
  }

  private Server boot(String project, String user, FlavorSnapshot flavor) {
    Server s = server(project, user, flavor);
    db.inTransaction(
        sql -> {
          new ServerStore(sql).insert(s);
          return null;
        });
    return s;
  }

  private static Server server(String project, String user, FlavorSnapshot flavor) {
    return new Server(
        UUID.randomUUID().toString(), project, user, "vm", null, "ACTIVE", null, "active", 1, "kiln-compute-1", "nova",
        flavor, "image-1", null, null, NOW, NOW, NOW, false, null, null, Map.of(), List.of(), "r-0", 0);
  }

  private void beginResize(String id) {
    db.sql().update("UPDATE compute_server SET task_state = 'resize_finish' WHERE id = ?", id);
  }

  private boolean finishResize(String id, FlavorSnapshot flavor) {
    Boolean finished = db.inTransaction(
        sql -> new ServerStore(sql)
            .finishMove(id, "resize_finish", "kiln-compute-2", "nova", flavor, "VERIFY_RESIZE", "resized", 1, NOW));
    return finished;
  }

  private int delete(String id) {
    Integer deleted = db.inTransaction(sql -> new ServerStore(sql).delete(id));
    return deleted;
  }

  private Usage usage(String project) {
    return new ComputeQuotaStore(db.sql()).usage(project);
  }

  private Usage userUsage(String project, String user) {
    return new ComputeQuotaStore(db.sql()).userUsage(project, user);
  }
}
