package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group commit that forces the embedded file to disk before a change is acknowledged. */
class CommitSyncTest {
  @TempDir Path dataDir;

  @Test
  void aCommitReturnsOnlyAfterASyncThatStartedAfterIt() throws Exception {
    FakeDisk disk = new FakeDisk(5);
    CommitSync sync = new CommitSync.H2GroupSync("CHECKPOINT SYNC");
    int writers = 16;
    List<Thread> threads = new ArrayList<>();
    List<String> broken = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < writers; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int n = 0; n < 10; n++) {
                        long committedAt = disk.clock.incrementAndGet(); // "commit"
                        sync.afterCommit(disk.connection());
                        if (disk.lastSyncStartedAt.get() < committedAt) {
                          broken.add("a commit at " + committedAt + " returned before a sync covered it");
                        }
                      }
                    } catch (Exception e) {
                      broken.add(e.toString());
                    }
                  }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(broken).isEmpty();
    // Commits that waited together shared a sync: far fewer syncs than the 160 commits.
    assertThat(disk.syncs.get()).isBetween(1, 159);
  }

  @Test
  void aFailedSyncFailsTheCommitThatLedItAndTheNextCommitSyncsAgain() throws Exception {
    FakeDisk disk = new FakeDisk(0);
    CommitSync sync = new CommitSync.H2GroupSync("CHECKPOINT SYNC");
    disk.failNext.set(1);
    assertThatThrownBy(() -> sync.afterCommit(disk.connection())).isInstanceOf(SQLException.class);
    sync.afterCommit(disk.connection());
    assertThat(disk.syncs.get()).isEqualTo(2);
  }

  @Test
  void theFsyncIsLeftOutOnlyWhenAskedFor() {
    assertThat(Database.fsyncWanted("0")).isFalse();
    assertThat(Database.fsyncWanted("false")).isFalse();
    assertThat(Database.fsyncWanted(null)).isTrue();
    assertThat(Database.fsyncWanted("1")).isTrue();
  }

  @Test
  void theEmbeddedFileHoldsWhatWasCommittedBeforeAnyClose() throws Exception {
    try (Database first = Database.embedded(dataDir)) {
      first.sql().update("CREATE TABLE durable_probe (id INT PRIMARY KEY)");
      first.sql().update("INSERT INTO durable_probe VALUES (1)");
      first.inTransaction(sql -> sql.update("INSERT INTO durable_probe VALUES (2)"));
      first.inTransaction(
          sql -> sql.batch("INSERT INTO durable_probe VALUES (?)", List.of(new Object[] {3}, new Object[] {4})));
      // The file as a kill -9 would leave it now, without the close that saves the rest: what
      // the commits above acknowledged is in it.
      Path image = dataDir.resolve("image");
      java.nio.file.Files.createDirectories(image);
      KillImage.copy(dataDir, image);
      try (Database copy = Database.embedded(image)) {
        assertThat(copy.sql().count("SELECT COUNT(*) FROM durable_probe")).isEqualTo(4);
      }
    }
  }

  /**
   * Counts {@code CHECKPOINT SYNC}s, each taking {@code syncMillis}, and records the logical time
   * at which the last one started.
   */
  private static final class FakeDisk {
    final AtomicLong clock = new AtomicLong();
    final AtomicLong lastSyncStartedAt = new AtomicLong();
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    private final long syncMillis;
    private final String expected;

    FakeDisk(long syncMillis) {
      this(syncMillis, "CHECKPOINT SYNC");
    }

    FakeDisk(long syncMillis, String expected) {
      this.syncMillis = syncMillis;
      this.expected = expected;
    }

    Connection connection() {
      Statement statement =
          (Statement)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Statement.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "execute" -> {
                          assertThat(args[0]).isEqualTo(expected);
                          long startedAt = clock.incrementAndGet();
                          syncs.incrementAndGet();
                          if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new SQLException("disk full");
                          }
                          Thread.sleep(syncMillis);
                          lastSyncStartedAt.accumulateAndGet(startedAt, Math::max);
                          yield true;
                        }
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                      });
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("createStatement")) {
                  return statement;
                }
                throw new UnsupportedOperationException(method.getName());
              });
    }
  }
}
