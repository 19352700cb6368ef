package dev.kiln.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The task runner's behaviour, checked on each database Kiln runs on (one subclass each). */
abstract class TaskRunnerTest {
  /** Short intervals, so that retries, leases and polls happen within a test's patience. */
  static final TaskSettings FAST =
      new TaskSettings(
          Duration.ofMillis(100), // poll
          Duration.ofSeconds(2), // lease
          Duration.ofMillis(20), // first retry backoff
          Duration.ofMillis(100), // longest backoff
          3, // attempts
          16, // concurrent tasks per runner
          Duration.ofSeconds(1)); // shutdown grace

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String databaseKey;
  private Database database;

  /** Creates a new, empty database and returns what {@link #open} needs to reach it. */
  protected abstract String newDatabase();

  /** Opens another connection pool on the database, as another node would. */
  protected abstract Database open(String databaseKey);

  @BeforeEach
  void setUp() {
    databaseKey = newDatabase();
    database = closeLater(open(databaseKey));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  @Test
  void submittedTaskRunsAndSucceeds() {
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register("echo", task -> "{\"echo\":" + task.payload() + "}");
    runner.start();

    String id = runner.submit("echo", "{\"n\":1}");

    Task done = awaitStatus(runner, id, TaskStatus.SUCCEEDED);
    assertThat(done.kind()).isEqualTo("echo");
    assertThat(done.payload()).isEqualTo("{\"n\":1}");
    assertThat(done.result()).isEqualTo("{\"echo\":{\"n\":1}}");
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.claimedBy()).isEqualTo("node-a");
    assertThat(done.lastError()).isNull();
    assertThat(done.leaseUntil()).isNull();
  }

  @Test
  void submitWakesTheRunnerWithoutWaitingForThePoll() {
    TaskSettings slowPoll =
        new TaskSettings(
            Duration.ofMinutes(1),
            FAST.lease(),
            FAST.retryBackoff(),
            FAST.maxRetryBackoff(),
            FAST.maxAttempts(),
            FAST.maxConcurrent(),
            FAST.shutdownGrace());
    TaskRunner runner = runner(database, "node-a", slowPoll);
    runner.register("noop", task -> null);
    runner.start();

    String id = runner.submit("noop", "{}");

    // Well within the minute-long poll: only the wake-up from submit can explain it.
    awaitStatus(runner, id, TaskStatus.SUCCEEDED);
  }

  @Test
  void failingTaskIsRetriedThenFails() {
    AtomicInteger calls = new AtomicInteger();
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register(
        "doomed",
        task -> {
          calls.incrementAndGet();
          throw new IllegalStateException("disk on fire");
        });
    runner.start();

    String id = runner.submit("doomed", "{}");

    Task failed = awaitStatus(runner, id, TaskStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(FAST.maxAttempts());
    assertThat(failed.lastError()).isEqualTo("disk on fire");
    assertThat(failed.result()).isNull();
    assertThat(calls).hasValue(FAST.maxAttempts());
  }

  @Test
  void handlerIsToldOnceWhenItsTaskFailsForGood() {
    List<String> givenUp = new CopyOnWriteArrayList<>();
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register(
        "doomed",
        new TaskHandler() {
          @Override
          public String run(Task task) {
            throw new IllegalStateException("disk on fire");
          }

          @Override
          public void onGiveUp(Task task, String error) {
            givenUp.add(task.id() + ": " + error);
          }
        });
    runner.start();

    String id = runner.submit("doomed", "{}");

    awaitStatus(runner, id, TaskStatus.FAILED);
    await().atMost(Duration.ofSeconds(5)).until(() -> !givenUp.isEmpty());
    assertThat(givenUp).containsExactly(id + ": disk on fire");
  }

  @Test
  void failedAttemptIsRetriedAfterBackoffAndCanSucceed() {
    Map<Integer, Instant> attemptStarts = new ConcurrentHashMap<>();
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register(
        "flaky",
        task -> {
          attemptStarts.put(task.attempts(), Instant.now());
          if (task.attempts() == 1) {
            throw new IllegalStateException("try again");
          }
          return "\"ok\"";
        });
    runner.start();

    String id = runner.submit("flaky", "{}");

    Task done = awaitStatus(runner, id, TaskStatus.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.result()).isEqualTo("\"ok\"");
    assertThat(done.lastError()).isNull();
    assertThat(Duration.between(attemptStarts.get(1), attemptStarts.get(2)))
        .isGreaterThanOrEqualTo(FAST.retryBackoff());
  }

  @Test
  void taskDoesNotRunBeforeItsRunAfter() {
    Map<String, Instant> ranAt = new ConcurrentHashMap<>();
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register("later", task -> {
      ranAt.put(task.id(), Instant.now());
      return null;
    });
    runner.start();
    Instant runAfter = Instant.now().plusMillis(500);

    String id = runner.submit("later", "{}", runAfter);

    assertThat(find(runner, id).status()).isEqualTo(TaskStatus.QUEUED);
    awaitStatus(runner, id, TaskStatus.SUCCEEDED);
    assertThat(ranAt.get(id)).isAfterOrEqualTo(runAfter);
  }

  @Test
  void twoRunnersNeverRunTheSameTask() {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    TaskRunner a = runner(database, "node-a", FAST);
    TaskRunner b = runner(closeLater(open(databaseKey)), "node-b", FAST);
    for (TaskRunner runner : List.of(a, b)) {
      runner.register(
          "count",
          task -> {
            runs.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(5); // a little work, so that the two nodes' claims overlap
            return null;
          });
      runner.start();
    }

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add((i % 2 == 0 ? a : b).submit("count", "{\"i\":" + i + "}"));
    }

    waiting().until(() -> ids.stream().allMatch(id -> find(a, id).status().isFinal()));
    assertThat(ids)
        .allSatisfy(
            id -> {
              Task task = find(a, id);
              assertThat(task.status()).isEqualTo(TaskStatus.SUCCEEDED);
              assertThat(task.attempts()).isEqualTo(1);
              assertThat(runs.get(id)).hasValue(1);
            });
    assertThat(runs).hasSize(100);
  }

  @Test
  void expiredLeaseIsReclaimedAfterRestart() {
    // A node claimed the task a minute ago (its lease long expired) and then died.
    TaskRunner dead = runner(database, "node-dead", FAST);
    dead.register("resume", task -> "\"never\"");
    Instant aMinuteAgo = Instant.now().minusSeconds(60);
    String id = dead.submit("resume", "{}", aMinuteAgo);
    List<Task> claimed =
        new TaskStore(database)
            .claim("node-dead", Set.of("resume"), aMinuteAgo, aMinuteAgo.plus(FAST.lease()), 10);
    assertThat(claimed).extracting(Task::id).containsExactly(id);

    TaskRunner restarted = runner(closeLater(open(databaseKey)), "node-b", FAST);
    restarted.register("resume", task -> "\"resumed by node-b\"");
    restarted.start();

    Task done = awaitStatus(restarted, id, TaskStatus.SUCCEEDED);
    assertThat(done.claimedBy()).isEqualTo("node-b");
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.result()).isEqualTo("\"resumed by node-b\"");
  }

  @Test
  void claimsOfAnEarlierRunEndedAtStartAreTakenOverAtOnce() {
    // The earlier run claimed the task just now with a lease of an hour, and was killed.
    TaskRunner dead = runner(database, "node-killed", FAST);
    dead.register("resume", task -> "\"never\"");
    Instant now = Instant.now();
    String id = dead.submit("resume", "{}", now.minusSeconds(1));
    assertThat(new TaskStore(database).claim("node-killed", Set.of("resume"), now, now.plusSeconds(3600), 10))
        .extracting(Task::id)
        .containsExactly(id);

    TaskRunner restarted = runner(closeLater(open(databaseKey)), "node-restarted", FAST);
    restarted.register("resume", task -> "\"resumed\"");
    assertThat(restarted.endClaimsOfEarlierRuns()).isEqualTo(1);
    restarted.start();

    // Well within the hour's lease: the restarted runner did not wait for it.
    Task done = await().atMost(Duration.ofSeconds(10)).until(() -> restarted.find(id).orElseThrow(), t -> t.status() == TaskStatus.SUCCEEDED);
    assertThat(done.claimedBy()).isEqualTo("node-restarted");
    assertThat(done.attempts()).isEqualTo(2); // the killed attempt counts, as after a lease ran out
    assertThatThrownBy(restarted::endClaimsOfEarlierRuns).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abandonedTaskWithNoAttemptsLeftFails() {
    TaskRunner dead = runner(database, "node-dead", FAST);
    dead.register("fragile", task -> null);
    Instant aMinuteAgo = Instant.now().minusSeconds(60);
    String id = database.inTransaction(sql -> dead.submit(sql, "fragile", "{}", aMinuteAgo, 1));
    TaskStore store = new TaskStore(database);
    Instant leaseEnd = aMinuteAgo.plus(FAST.lease());
    assertThat(store.claim("node-dead", Set.of("fragile"), aMinuteAgo, leaseEnd, 10)).hasSize(1);

    AtomicInteger calls = new AtomicInteger();
    List<String> givenUp = new CopyOnWriteArrayList<>();
    TaskRunner other = runner(database, "node-b", FAST);
    other.register(
        "fragile",
        TaskHandler.withGiveUp(
            task -> {
              calls.incrementAndGet();
              return null;
            },
            (task, error) -> givenUp.add(task.id() + ": " + error)));
    other.start();

    Task failed = awaitStatus(other, id, TaskStatus.FAILED);
    assertThat(failed.lastError()).contains("abandoned", "node-dead");
    assertThat(calls).hasValue(0);
    // The dead node never gave up; the node that found it did, once, before marking it FAILED.
    assertThat(givenUp).containsExactly(id + ": " + failed.lastError());
  }

  @Test
  void aHandlerWhoseClaimWasTakenOverCanCommitNothing() throws Exception {
    database.sql().update("CREATE TABLE fence_probe (task_id VARCHAR(64), attempt INT)");
    TaskSettings longLease =
        new TaskSettings(
            FAST.pollInterval(),
            Duration.ofSeconds(30), // node-a would renew only in 10 s
            FAST.retryBackoff(),
            FAST.maxRetryBackoff(),
            FAST.maxAttempts(),
            FAST.maxConcurrent(),
            FAST.shutdownGrace());
    CountDownLatch release = new CountDownLatch(1);
    Map<Integer, Throwable> outcomes = new ConcurrentHashMap<>();
    List<TaskRunner> runners =
        List.of(
            runner(database, "node-a", longLease), runner(closeLater(open(databaseKey)), "node-b", FAST));
    for (TaskRunner runner : runners) {
      Database own = runner == runners.get(0) ? database : open(databaseKey);
      closeLater(own);
      runner.register(
          "write-once",
          task -> {
            release.await();
            try {
              own.inTransaction(
                  sql ->
                      sql.update(
                          "INSERT INTO fence_probe VALUES (?, ?)", task.id(), task.attempts()));
              outcomes.put(task.attempts(), new AssertionError("committed"));
            } catch (RuntimeException e) {
              outcomes.put(task.attempts(), e);
              throw e;
            }
            return null;
          });
    }
    TaskRunner a = runners.get(0);
    TaskRunner b = runners.get(1);
    a.start();
    String id = a.submit("write-once", "{}");
    awaitStatus(a, id, TaskStatus.RUNNING);
    b.start();

    // node-a stalls (as far as the database can tell): its lease runs out and node-b takes over.
    database.sql().update("UPDATE task SET lease_until = ? WHERE id = ?", Instant.now().minusSeconds(1), id);
    waiting().until(() -> find(b, id), t -> t.attempts() == 2 && "node-b".equals(t.claimedBy()));
    release.countDown(); // both handlers now try to commit their change

    Task done = awaitStatus(b, id, TaskStatus.SUCCEEDED);
    assertThat(done.claimedBy()).isEqualTo("node-b");
    waiting().until(() -> outcomes.size() == 2);
    assertThat(outcomes.get(1)).isInstanceOf(LostClaimException.class).hasMessageContaining("node-a");
    assertThat(outcomes.get(2)).hasMessage("committed");
    assertThat(
            database.sql().query(
                "SELECT attempt FROM fence_probe WHERE task_id = ?", row -> row.getInt("attempt"), id))
        .containsExactly(2);
    // node-a's failure is not recorded over node-b's success.
    assertThat(find(a, id).status()).isEqualTo(TaskStatus.SUCCEEDED);
  }

  @Test
  void aFencedHandlerStillCommitsWhileItsClaimHolds() {
    database.sql().update("CREATE TABLE fence_probe_ok (task_id VARCHAR(64))");
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register(
        "writes",
        task -> {
          database.sql().update("INSERT INTO fence_probe_ok VALUES (?)", task.id()); // auto-commit
          database.inTransaction(sql -> sql.update("INSERT INTO fence_probe_ok VALUES (?)", task.id()));
          return null;
        });
    runner.start();
    String id = runner.submit("writes", "{}");

    awaitStatus(runner, id, TaskStatus.SUCCEEDED);
    assertThat(database.sql().count("SELECT COUNT(*) FROM fence_probe_ok WHERE task_id = ?", id)).isEqualTo(2);
  }

  @Test
  void runningTaskKeepsItsLeaseWhileItRuns() {
    TaskSettings shortLease =
        new TaskSettings(
            FAST.pollInterval(),
            Duration.ofMillis(500),
            FAST.retryBackoff(),
            FAST.maxRetryBackoff(),
            FAST.maxAttempts(),
            FAST.maxConcurrent(),
            FAST.shutdownGrace());
    CountDownLatch finish = new CountDownLatch(1);
    Map<String, AtomicInteger> runsPerNode = new ConcurrentHashMap<>();
    TaskRunner a = runner(database, "node-a", shortLease);
    TaskRunner b = runner(closeLater(open(databaseKey)), "node-b", shortLease);
    for (TaskRunner runner : List.of(a, b)) {
      String node = runner == a ? "node-a" : "node-b";
      runner.register(
          "slow",
          task -> {
            runsPerNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
            finish.await();
            return null;
          });
    }
    a.start();
    String id = a.submit("slow", "{}");
    awaitStatus(a, id, TaskStatus.RUNNING);
    b.start();

    // Several lease lengths pass; node-a renews, so node-b never takes the task over.
    waiting()
        .during(Duration.ofMillis(1200))
        .atMost(Duration.ofSeconds(3))
        .until(() -> find(a, id), t -> t.status() == TaskStatus.RUNNING && t.attempts() == 1);
    finish.countDown();

    Task done = awaitStatus(a, id, TaskStatus.SUCCEEDED);
    assertThat(done.claimedBy()).isEqualTo("node-a");
    assertThat(runsPerNode).containsOnlyKeys("node-a");
  }

  @Test
  void closingRunnerGivesUnfinishedTasksBack() {
    CountDownLatch never = new CountDownLatch(1);
    TaskRunner a = runner(database, "node-a", FAST);
    a.register("long", task -> {
      never.await(); // close() does not interrupt it: the latch is counted down after the test
      return null;
    });
    a.start();
    String id = a.submit("long", "{}");
    awaitStatus(a, id, TaskStatus.RUNNING);

    try {
      a.close();

      Task released = find(a, id);
      assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
      assertThat(released.attempts()).isZero();
      TaskRunner b = runner(closeLater(open(databaseKey)), "node-b", FAST);
      b.register("long", task -> "\"finished on node-b\"");
      b.start();
      Task done = awaitStatus(b, id, TaskStatus.SUCCEEDED);
      assertThat(done.claimedBy()).isEqualTo("node-b");
      assertThat(done.attempts()).isEqualTo(1);
    } finally {
      never.countDown();
    }
  }

  @Test
  void closingRunnerStopsAHandlerWithoutInterruptingItAndRefusesItsLaterCommits() throws Exception {
    database.sql().update("CREATE TABLE close_probe (n INT)");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch carryOn = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean askedToStop = new AtomicBoolean();
    AtomicReference<Throwable> commitAfterClose = new AtomicReference<>();
    CountDownLatch handlerDone = new CountDownLatch(1);
    TaskRunner a = runner(database, "node-a", FAST);
    a.register("busy", task -> {
      started.countDown();
      try {
        // Not interruptible on purpose: it stands for a thread inside the store's file I/O.
        while (!carryOn.await(10, TimeUnit.MILLISECONDS)) {
          interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
        }
        askedToStop.set(TaskRunner.stopRequested());
        database.inTransaction(sql -> sql.update("INSERT INTO close_probe (n) VALUES (1)"));
      } catch (RuntimeException e) {
        commitAfterClose.set(e);
        throw e;
      } finally {
        handlerDone.countDown();
      }
      return null;
    });
    a.start();
    String id = a.submit("busy", "{}");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    long begun = System.nanoTime();
    a.close();
    Duration took = Duration.ofNanos(System.nanoTime() - begun);
    carryOn.countDown();
    assertThat(handlerDone.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(took).as("close waits the grace, then a bounded moment").isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted).as("the handler's thread was interrupted").isFalse();
    assertThat(askedToStop).isTrue();
    assertThat(commitAfterClose.get()).isInstanceOf(LostClaimException.class);
    assertThat(database.sql().query("SELECT n FROM close_probe", row -> row.getInt("n"))).isEmpty();
    Task released = find(a, id);
    assertThat(released.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(released.attempts()).isZero();
  }

  @Test
  void taskSubmittedInARolledBackTransactionDoesNotExist() {
    TaskRunner runner = runner(database, "node-a", FAST);
    runner.register("noop", task -> null);
    List<String> ids = new ArrayList<>();

    assertThatThrownBy(
            () ->
                database.inTransaction(
                    sql -> {
                      ids.add(runner.submit(sql, "noop", "{}", Instant.now(), 1));
                      throw new IllegalStateException("the change that needed it failed");
                    }))
        .hasMessageContaining("failed");

    assertThat(runner.find(ids.getFirst())).isEmpty();
  }

  @Test
  void submitRejectsAKindWithoutHandler() {
    TaskRunner runner = runner(database, "node-a", FAST);

    assertThatThrownBy(() -> runner.submit("nobody-handles-this", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody-handles-this");
  }

  @Test
  void endedTasksAreDeletedOnceTheirKeepingTimeHasPassed() {
    dev.kiln.testing.MutableClock clock = dev.kiln.testing.MutableClock.startingNow();
    TaskRunner runner = closeLater(new TaskRunner(database, clock, IdGenerator.random(), "node-a", FAST));
    runner.register("ok", task -> null);
    runner.register("broken", task -> {
      throw new IllegalStateException("always");
    });
    runner.start();
    String succeeded = runner.submit("ok", "{}");
    String failed = runner.submit(database.sql(), "broken", "{}", clock.instant(), 1); // no retry: the clock stands still
    awaitStatus(runner, succeeded, TaskStatus.SUCCEEDED);
    awaitStatus(runner, failed, TaskStatus.FAILED);
    String queued = runner.submit("ok", "{}", clock.instant().plus(Duration.ofDays(30)));

    clock.advance(TaskRunner.SUCCEEDED_KEPT.minusSeconds(1));
    assertThat(runner.purgeEnded()).isZero();

    clock.advance(Duration.ofSeconds(2));
    assertThat(runner.purgeEnded()).isEqualTo(1);
    assertThat(runner.find(succeeded)).isEmpty();
    assertThat(runner.find(failed)).isPresent();

    clock.advance(TaskRunner.FAILED_KEPT);
    assertThat(runner.purgeEnded()).isEqualTo(1);
    assertThat(runner.find(failed)).isEmpty();
    assertThat(runner.find(queued)).isPresent();
  }

  private TaskRunner runner(Database db, String nodeId, TaskSettings settings) {
    Clock clock = Clock.systemUTC();
    return closeLater(new TaskRunner(db, clock, IdGenerator.random(), nodeId, settings));
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static Task find(TaskRunner runner, String id) {
    return runner.find(id).orElseThrow();
  }

  private static Task awaitStatus(TaskRunner runner, String id, TaskStatus status) {
    return waiting().until(() -> find(runner, id), task -> task.status() == status);
  }

  private static ConditionFactory waiting() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
  }
}
