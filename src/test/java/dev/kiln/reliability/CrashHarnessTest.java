package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.ChildKiln;
import dev.kiln.testing.Invariants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded crash harness CI runs: one Kiln in a child process on one data directory, a workload
 * through the REST APIs ({@link CrashWorkload}: networks, ports, volumes, server boots with ports,
 * deletes, interface and volume attach and detach, live and cold migrations, resizes with confirm
 * or revert, Heat stack creates and deletes), and a kill -9 at a random moment, several times, on
 * the same directory. After the last restart it waits until nothing is under way, confirms the
 * moves waiting for it, and checks that every write Kiln acknowledged (a 2xx) is there ({@link
 * CrashLedger}), that the cloud is consistent ({@link Invariants}: ports bound to live servers,
 * attachments matching live servers, host usage equal to what exists), that stacks match the
 * services' resources ({@link StackChecks}), with nothing stuck in a transitional state.
 * {@link TwoNodePostgresCrashHarnessTest} runs the same workload on two nodes sharing PostgreSQL.
 */
@Tag("harness")
class CrashHarnessTest {
  private static final int KILLS = 5;
  private static final int MIN_KILLS = 3;
  private static final Duration BUDGET = Duration.ofSeconds(75);
  /** The seed is printed, so a failing run can be repeated. */
  private static final long SEED = Long.getLong("kiln.harness.seed", System.nanoTime());

  // Kept when the test fails: the data directory is part of the post-mortem (the node's logs are
  // kept under target/child-kiln whatever the outcome, and named in the failure messages).
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void everyAcknowledgedWriteSurvivesRepeatedKillsAndTheCloudStaysConsistent() throws Exception {
    Random random = new Random(SEED);
    Path dataDir = tmp.resolve("data");
    // Each simulated hypervisor step takes a little time, so kills land in the middle of work.
    String[] serve = {"--compute-latency", "30ms"};
    // A short lease: the restarted node (a new node id) takes the killed one's tasks over soon.
    Map<String, String> env = Map.of("KILN_TASK_LEASE", "4");
    ChildKiln kiln = ChildKiln.start(dataDir, env, serve);
    CrashLedger ledger = new CrashLedger();
    AtomicInteger kills = new AtomicInteger();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    try {
      CrashWorkload workload = CrashWorkload.prepare(kiln.admin(), ledger);
      // The budget bounds the kills past the first MIN_KILLS: on a loaded machine a restart alone
      // can take many seconds, and a run with fewer kills would prove less than the harness claims.
      while (kills.get() < KILLS && (kills.get() < MIN_KILLS || System.nanoTime() < deadline)) {
        AtomicBoolean stop = new AtomicBoolean();
        Api admin = kiln.admin();
        Thread worker = Thread.ofVirtual().start(() -> workload.run(() -> admin, random, stop, true));
        Thread.sleep(2_000 + random.nextInt(2_500));
        kiln.kill(); // the worker's request in flight, if any, fails: its outcome is unknown
        kills.incrementAndGet();
        stop.set(true);
        worker.join();
        kiln = ChildKiln.start(dataDir, env, serve);
      }
      Api admin = kiln.admin();
      List<String> stuck = Quiescence.confirmMovesAndAwait(admin, Quiescence.PATIENCE);
      List<String> lost = ledger.check(admin);
      List<Invariants.Violation> violations = new Invariants(kiln.baseUrl(), admin).violations();
      List<String> stackViolations = StackChecks.violations(admin);
      System.out.printf(
          "crash harness (seed %d): %d kills survived, %d requests sent (%s), %d acknowledged writes"
              + " checked, %d lost, %d stuck, %d invariant violations, %d stack violations, %d server"
              + " errors%n",
          SEED, kills.get(), workload.requestsSent(), workload.sent, ledger.checked(), lost.size(),
          stuck.size(), violations.size(), stackViolations.size(), workload.serverErrors.size());
      List.of(lost, stuck, violations, stackViolations, workload.serverErrors).forEach(
          findings -> findings.forEach(f -> System.out.println("  finding: " + f)));
      String logs = " (seed " + SEED + "; " + ChildKiln.describeLogs(dataDir) + ")";
      System.out.println(logs);
      assertThat(kills.get()).as("kills survived" + logs).isGreaterThanOrEqualTo(MIN_KILLS);
      assertThat(workload.serverErrors).as("5xx answers during the workload" + logs).isEmpty();
      assertThat(lost).as("acknowledged writes missing after the restarts" + logs).isEmpty();
      assertThat(stuck).as("resources stuck in a transitional state" + logs).isEmpty();
      assertThat(violations).as("invariant violations" + logs).isEmpty();
      assertThat(stackViolations).as("stacks against the services' resources" + logs).isEmpty();
    } catch (RuntimeException e) {
      // A start that failed, a workload that threw: the logs are where to look.
      throw new AssertionError(e.getMessage() + " (seed " + SEED + "; " + ChildKiln.describeLogs(dataDir) + ")", e);
    } finally {
      kiln.close();
    }
  }
}
