package dev.kiln.orchestration.engine.graph;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Walks a graph: visits every vertex once all the vertices it depends on were visited
 * successfully, each on its own virtual thread, starting it the moment its last dependency
 * finishes (no polling, no sleeping). A vertex whose visit throws is FAILED with that error; the
 * vertices that depend on it, directly or not, are never visited.
 *
 * <p>One walker walks one graph once ({@link #walk}); {@link #cancel} may be called from any
 * thread while it runs.
 */
public final class Walker<V> {
  /** Visits one vertex; may block. Should give up when interrupted (timeout, cancel). */
  @FunctionalInterface
  public interface Visitor<V> {
    void visit(V vertex) throws Exception;
  }

  /**
   * @param stopOnFailure start no further vertex once one failed (those running finish)
   * @param maxConcurrent how many visits may run at once; {@code 0} for no limit
   * @param timeout how long the walk may take before running visits are interrupted, or null
   * @param cancelGrace how long interrupted visits get to finish before the walk returns anyway
   * @param onTimeout run when the walk times out, before the running visits are interrupted, so
   *     that a visit can tell that interruption from others (its thread's owner letting go)
   * @param stopVisits how running visits are told to stop (timeout, cancel, the walking thread
   *     interrupted); null interrupts their threads. A visitor whose threads may be inside I/O
   *     that an interrupt damages passes its own (a flag the visits look at).
   */
  public record Options(
      boolean stopOnFailure, int maxConcurrent, Duration timeout, Duration cancelGrace, Runnable onTimeout,
      Runnable stopVisits) {
    public Options {
      if (maxConcurrent < 0) {
        throw new IllegalArgumentException("maxConcurrent must not be negative");
      }
      requireNonNull(cancelGrace, "cancelGrace is null");
      requireNonNull(onTimeout, "onTimeout is null");
    }

    public Options(boolean stopOnFailure, int maxConcurrent, Duration timeout, Duration cancelGrace) {
      this(stopOnFailure, maxConcurrent, timeout, cancelGrace, () -> {}, null);
    }

    public static Options defaults() {
      return new Options(true, 0, null, Duration.ofSeconds(10));
    }

    public Options withTimeout(Duration timeout) {
      return new Options(stopOnFailure, maxConcurrent, timeout, cancelGrace, onTimeout, stopVisits);
    }

    public Options withOnTimeout(Runnable onTimeout) {
      return new Options(stopOnFailure, maxConcurrent, timeout, cancelGrace, onTimeout, stopVisits);
    }

    public Options withStopVisits(Runnable stopVisits) {
      return new Options(stopOnFailure, maxConcurrent, timeout, cancelGrace, onTimeout, stopVisits);
    }
  }

  private final Graph<V> graph;
  private final Visitor<V> visitor;
  private final Options options;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final Map<V, Integer> remaining = new HashMap<>();
  private final Map<V, Thread> running = new LinkedHashMap<>();
  private final Set<V> waiting = new LinkedHashSet<>(); // ready, held back by maxConcurrent
  private final Set<V> succeeded = new LinkedHashSet<>();
  private final Map<V, Throwable> failed = new LinkedHashMap<>();
  private boolean stopping;
  private boolean cancelled;
  private boolean started;

  public Walker(Graph<V> graph, Visitor<V> visitor, Options options) {
    this.graph = requireNonNull(graph, "graph is null");
    this.visitor = requireNonNull(visitor, "visitor is null");
    this.options = requireNonNull(options, "options is null");
  }

  /** Walks the graph and returns once no visit runs and none can start. */
  public WalkResult<V> walk() throws InterruptedException {
    boolean timedOut = false;
    lock.lock();
    try {
      if (started) {
        throw new IllegalStateException("a walker walks once");
      }
      started = true;
      for (V v : graph.vertices()) {
        remaining.put(v, graph.dependenciesOf(v).size());
      }
      for (V v : graph.vertices()) {
        if (remaining.get(v) == 0) {
          ready(v);
        }
      }
      long deadline = options.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + options.timeout().toNanos();
      while (!running.isEmpty()) {
        if (options.timeout() == null || cancelled) {
          idle.await();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            timedOut = true;
            options.onTimeout().run();
            interruptAll();
            break;
          }
          idle.awaitNanos(left);
        }
      }
      if (cancelled || timedOut) {
        awaitInterrupted();
      }
      Set<V> notRun = new LinkedHashSet<>();
      for (V v : graph.vertices()) {
        if (!succeeded.contains(v) && !failed.containsKey(v) && !running.containsKey(v)) {
          notRun.add(v);
        }
      }
      return new WalkResult<>(succeeded, failed, notRun, Set.copyOf(running.keySet()), timedOut, cancelled);
    } catch (InterruptedException e) {
      interruptAll();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Starts nothing more and interrupts the running visits; {@link #walk} then returns. */
  public void cancel() {
    lock.lock();
    try {
      cancelled = true;
      interruptAll();
      idle.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // Called with the lock held.
  private void interruptAll() {
    stopping = true;
    waiting.clear();
    if (options.stopVisits() != null) {
      options.stopVisits().run();
    } else {
      running.values().forEach(Thread::interrupt);
    }
  }

  // Called with the lock held.
  private void awaitInterrupted() throws InterruptedException {
    long deadline = System.nanoTime() + options.cancelGrace().toNanos();
    while (!running.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      idle.awaitNanos(left);
    }
  }

  // Called with the lock held.
  private void ready(V v) {
    if (stopping) {
      return;
    }
    if (options.maxConcurrent() > 0 && running.size() >= options.maxConcurrent()) {
      waiting.add(v);
      return;
    }
    Thread thread = Thread.ofVirtual().name("walk-" + v).unstarted(() -> run(v));
    running.put(v, thread);
    thread.start();
  }

  private void run(V v) {
    Throwable error = null;
    try {
      visitor.visit(v);
    } catch (Throwable t) {
      error = t;
    }
    finish(v, error);
  }

  private void finish(V v, Throwable error) {
    lock.lock();
    try {
      running.remove(v);
      if (error == null) {
        succeeded.add(v);
        for (V dependent : graph.dependentsOf(v)) {
          int left = remaining.merge(dependent, -1, Integer::sum);
          if (left == 0) {
            ready(dependent);
          }
        }
      } else {
        failed.put(v, error);
        if (options.stopOnFailure()) {
          stopping = true;
          waiting.clear();
        }
      }
      while (!stopping && !waiting.isEmpty() && (options.maxConcurrent() == 0 || running.size() < options.maxConcurrent())) {
        V next = waiting.iterator().next();
        waiting.remove(next);
        ready(next);
      }
      if (running.isEmpty()) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Walks {@code graph} with {@code visitor} and default options. */
  public static <V> WalkResult<V> walk(Graph<V> graph, Visitor<V> visitor) throws InterruptedException {
    return new Walker<>(graph, visitor, Options.defaults()).walk();
  }

}
