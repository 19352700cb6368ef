package dev.kiln.orchestration.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.orchestration.resources.ChangeWatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A step waiting for another service's task wakes when a task naming what it waits for ends, not
 * on the next tick of its poll; other tasks leave it waiting, and a stop of its walk still ends
 * the wait.
 */
class TaskEndsTest {
  private final TaskEnds ends = new TaskEnds();
  private final Interruption walk = new Interruption(null);

  @Test
  void aTaskNamingTheWatchedServerWakesTheWaitAtOnce() throws Exception {
    try (ChangeWatch watch = ends.watch("server-1", walk)) {
      CompletableFuture<Long> waited = waitOnce(watch, Duration.ofSeconds(30));
      Thread.sleep(50);
      ends.ended("{\"server_id\": \"server-1\"}");
      assertThat(waited.get(10, TimeUnit.SECONDS)).isLessThan(Duration.ofSeconds(10).toNanos());
    }
  }

  @Test
  void aTaskThatEndedBetweenTheLookAndTheWaitIsNotMissed() throws Exception {
    try (ChangeWatch watch = ends.watch("volume-1", walk)) {
      ends.ended("{\"volume_id\": \"volume-1\"}"); // after the watch opened, before the wait
      long start = System.nanoTime();
      watch.await(Duration.ofSeconds(30));
      assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());
    }
  }

  @Test
  void otherTasksLeaveTheWaitToItsTime() throws Exception {
    try (ChangeWatch watch = ends.watch("server-1", walk)) {
      ends.ended("{\"server_id\": \"server-2\"}");
      long start = System.nanoTime();
      watch.await(Duration.ofMillis(200));
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(190).toNanos());
    }
  }

  @Test
  void aStoppedWalkEndsTheWait() throws Exception {
    try (ChangeWatch watch = ends.watch("server-1", walk)) {
      CompletableFuture<Long> waited = waitOnce(watch, Duration.ofSeconds(30));
      Thread.sleep(50);
      walk.stop();
      assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
    }
  }

  @Test
  void aClosedWatchIsWokenNoMore() {
    ChangeWatch watch = ends.watch("server-1", walk);
    watch.close();
    ends.ended("{\"server_id\": \"server-1\"}"); // nobody to wake: no error either
  }

  private static CompletableFuture<Long> waitOnce(ChangeWatch watch, Duration atMost) {
    CompletableFuture<Long> waited = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      long start = System.nanoTime();
      try {
        watch.await(atMost);
        waited.complete(System.nanoTime() - start);
      } catch (InterruptedException e) {
        waited.completeExceptionally(e);
      }
    });
    return waited;
  }
}
