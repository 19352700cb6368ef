package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.TestPostgres;
import dev.kiln.testing.Api;
import dev.kiln.testing.ChildKiln;
import dev.kiln.testing.Invariants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded two-node crash harness CI runs: two Kiln processes sharing one PostgreSQL database,
 * the {@link CrashWorkload} sent to either node at random (server boots with ports and volumes,
 * deletes, interface and volume attach and detach, live and cold migrations, resizes with confirm
 * or revert, stack creates and deletes), and a kill -9 of one node at a random moment, several
 * times. The survivor keeps serving; once the killed node's task leases run out (4 s here, {@code
 * KILN_TASK_LEASE}) the survivor's runner takes its tasks over and finishes or undoes what they
 * were doing; then the killed node is started again. After quiescence the same checks as the
 * single-node harness: every acknowledged write present, nothing stuck, {@link Invariants}, and
 * every stack settled with its resource rows matching the services' resources, nothing made twice
 * or left behind.
 */
@Tag("harness")
class TwoNodePostgresCrashHarnessTest {
  private static final int KILLS = 4;
  private static final int MIN_KILLS = 3;
  private static final Duration BUDGET = Duration.ofSeconds(70);
  /** The seed is printed, so a failing run can be repeated. */
  private static final long SEED = Long.getLong("kiln.harness.seed", System.nanoTime());

  // Kept when the test fails: the data directories are part of the post-mortem (the nodes' logs,
  // one per node and start, are kept under target/child-kiln and named in the failure messages).
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aKilledNodesWorkIsFinishedOrUndoneByTheOtherAndNothingIsLostOrLeftBehind() throws Exception {
    Random random = new Random(SEED);
    String database = TestPostgres.newDatabaseUrl();
    String[] serve = {"--database-url", database, "--compute-latency", "30ms"};
    Map<String, String> env = Map.of("KILN_TASK_LEASE", "4");
    Path[] dirs = {tmp.resolve("a"), tmp.resolve("b")};
    ChildKiln[] nodes = new ChildKiln[2];
    // The node each request goes to; null while that node is down.
    AtomicReferenceArray<Api> live = new AtomicReferenceArray<>(2);
    nodes[0] = ChildKiln.start(dirs[0], env, serve);
    nodes[1] = ChildKiln.start(dirs[1], env, serve);
    live.set(0, nodes[0].admin());
    live.set(1, nodes[1].admin());
    CrashLedger ledger = new CrashLedger();
    int kills = 0;
    long deadline = System.nanoTime() + BUDGET.toNanos();
    try {
      CrashWorkload workload = CrashWorkload.prepare(live.get(0), ledger);
      AtomicBoolean stop = new AtomicBoolean();
      Random pick = new Random(SEED + 1);
      Thread worker =
          Thread.ofVirtual().start(() -> workload.run(() -> anyLive(live, pick), random, stop, false));
      // The budget bounds the kills past the first MIN_KILLS: on a loaded machine a restart alone
      // can take many seconds, and a run with fewer kills would prove less than the harness claims.
      while (kills < KILLS && (kills < MIN_KILLS || System.nanoTime() < deadline)) {
        Thread.sleep(1_500 + random.nextInt(2_000));
        int victim = random.nextInt(2);
        live.set(victim, null); // requests already sent to it fail: their outcome is unknown
        nodes[victim].kill();
        kills++;
        // The survivor works alone for longer than a lease, so it takes the victim's tasks over.
        Thread.sleep(4_500 + random.nextInt(1_500));
        nodes[victim] = ChildKiln.start(dirs[victim], env, serve);
        live.set(victim, nodes[victim].admin());
      }
      stop.set(true);
      worker.join();
      Api admin = live.get(0);
      List<String> stuck = Quiescence.confirmMovesAndAwait(admin, Quiescence.PATIENCE);
      List<String> lost = ledger.check(admin);
      List<Invariants.Violation> violations = new Invariants(nodes[1].baseUrl(), live.get(1)).violations();
      List<String> stackViolations = StackChecks.violations(admin);
      System.out.printf(
          "two-node PostgreSQL crash harness (seed %d): %d kills survived, %d requests sent (%s), %d"
              + " acknowledged writes checked, %d lost, %d stuck, %d invariant violations, %d stack"
              + " violations, %d server errors%n",
          SEED, kills, workload.requestsSent(), workload.sent, ledger.checked(), lost.size(),
          stuck.size(), violations.size(), stackViolations.size(), workload.serverErrors.size());
      List.of(lost, stuck, violations, stackViolations, workload.serverErrors).forEach(
          findings -> findings.forEach(f -> System.out.println("  finding: " + f)));
      String logs = " (seed " + SEED + "; " + ChildKiln.describeLogs(dirs) + ")";
      System.out.println(logs);
      assertThat(kills).as("kills survived" + logs).isGreaterThanOrEqualTo(MIN_KILLS);
      assertThat(workload.serverErrors).as("5xx answers during the workload" + logs).isEmpty();
      assertThat(lost).as("acknowledged writes missing after the kills" + logs).isEmpty();
      assertThat(stuck).as("resources stuck in a transitional state" + logs).isEmpty();
      assertThat(violations).as("invariant violations" + logs).isEmpty();
      assertThat(stackViolations).as("stacks against the services' resources" + logs).isEmpty();
    } catch (RuntimeException e) {
      // A start that failed, a workload that threw: the logs are where to look.
      throw new AssertionError(e.getMessage() + " (seed " + SEED + "; " + ChildKiln.describeLogs(dirs) + ")", e);
    } finally {
      for (ChildKiln node : nodes) {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  /** A node that is up, at random; waits while both are down (never for long: one restarts). */
  private static Api anyLive(AtomicReferenceArray<Api> live, Random pick) {
    while (true) {
      int first = pick.nextInt(2);
      for (int i = 0; i < 2; i++) {
        Api api = live.get((first + i) % 2);
        if (api != null) {
          return api;
        }
      }
      Thread.onSpinWait();
    }
  }
}
