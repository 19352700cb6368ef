package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate H2's writes pass: only with no transaction inside, and never closed for long. */
class QuiescentGateTest {
  private final QuiescentGate gate = new QuiescentGate();

  @Test
  void theActionWaitsForOpenTransactionsToEnd() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean exitedBeforeAction = new AtomicBoolean();
    Thread open = Thread.ofVirtual().start(() -> {
      gate.enter();
      entered.countDown();
      awaitQuietly(release);
      exitedBeforeAction.set(true);
      gate.exit();
    });
    entered.await();
    Thread.ofVirtual().start(() -> {
      sleepQuietly(100);
      release.countDown();
    });

    AtomicBoolean sawExit = new AtomicBoolean();
    assertThat(gate.whileQuiescent(5_000, () -> sawExit.set(exitedBeforeAction.get()))).isTrue();

    assertThat(sawExit).as("the action ran after the open transaction ended").isTrue();
    open.join();
  }

  @Test
  void newTransactionsWaitWhileTheActionRuns() throws Exception {
    CountDownLatch actionStarted = new CountDownLatch(1);
    AtomicInteger insideDuringAction = new AtomicInteger();
    AtomicBoolean actionOver = new AtomicBoolean();
    Thread checkpoint = Thread.ofVirtual().start(() -> {
      try {
        gate.whileQuiescent(5_000, () -> {
          actionStarted.countDown();
          sleepQuietly(150);
          actionOver.set(true);
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    actionStarted.await();
    gate.enter(); // waits for the action
    insideDuringAction.set(actionOver.get() ? 0 : 1);
    gate.exit();
    checkpoint.join();

    assertThat(insideDuringAction).as("entered while the action ran").hasValue(0);
  }

  @Test
  void aGateThatDoesNotEmptyOpensAgainWithoutRunningTheAction() throws Exception {
    gate.enter(); // a transaction that stays open (this thread's)
    AtomicBoolean ran = new AtomicBoolean();
    Thread checkpoint = Thread.ofVirtual().start(() -> {
      try {
        ran.set(gate.whileQuiescent(50, () -> {}));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(checkpoint.join(java.time.Duration.ofSeconds(5))).isTrue();
    assertThat(ran).isFalse();

    CountDownLatch entered = new CountDownLatch(1);
    Thread.ofVirtual().start(() -> {
      gate.enter();
      entered.countDown();
      gate.exit();
    });
    assertThat(entered.await(5, TimeUnit.SECONDS)).as("the gate opened again").isTrue();
    gate.exit();
  }

  @Test
  void aThreadInsideEntersAgainWhileTheGateIsClosing() throws Exception {
    gate.enter();
    CountDownLatch closing = new CountDownLatch(1);
    Thread checkpoint = Thread.ofVirtual().start(() -> {
      try {
        closing.countDown();
        gate.whileQuiescent(5_000, () -> {});
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    closing.await();
    sleepQuietly(50);
    gate.enter(); // nested work of the open transaction: must not wait for the checkpoint
    gate.exit();
    gate.exit();
    checkpoint.join();
  }

  @Test
  void aCommitOfItsOwnLetsItsTransactionsOutForTheWait() throws Exception {
    gate.enter();
    AtomicBoolean ran = new AtomicBoolean();
    assertThat(gate.whileQuiescentAfterOwnCommit(5_000, () -> ran.set(true))).isTrue();
    assertThat(ran).isTrue();
    assertThatThrownBy(() -> gate.whileQuiescent(10, () -> {})).isInstanceOf(IllegalStateException.class);
    gate.exit();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
