package dev.kiln.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/** Runs one request from several threads at once, for tests that show racing requests never both win. */
public final class Race {
  private Race() {}

  /**
   * Starts {@code runners} tasks (each given its number, from 0) that wait at a common gate, opens
   * it once all are submitted so that they run together, and answers their results in that order.
   */
  public static <T> List<T> run(int runners, IntFunction<T> task) {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (int i = 0; i < runners; i++) {
      int n = i;
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new AssertionError(e);
                }
                return task.apply(n);
              }));
    }
    go.countDown();
    return futures.stream().map(CompletableFuture::join).toList();
  }
}
