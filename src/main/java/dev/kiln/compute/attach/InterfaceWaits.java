package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.store.InterfaceOpStore;
import dev.kiln.store.Database;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The interface requests of this node waiting for their operation's outcome, as Nova's API waits
 * for the compute service's answer: woken at once when this node's task runner settles the
 * operation, else reading its row now and then (another node's runner may have the task).
 */
final class InterfaceWaits {
  /** How long a request waits for its operation, as Nova's rpc_response_timeout ×5. */
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final Database db;
  /** The requests of this node waiting for their operation, by operation id. */
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  InterfaceWaits(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** Starts waiting for the operation; call {@link #forget} when done with it. */
  CompletableFuture<Void> expect(String opId) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    waiting.put(opId, done);
    return done;
  }

  void forget(String opId) {
    waiting.remove(opId);
  }

  /** Wakes the request of this node waiting for the operation, if there is one. */
  void wake(String opId) {
    CompletableFuture<Void> request = waiting.get(opId);
    if (request != null) {
      request.complete(null);
    }
  }

  /**
   * Waits until the operation has ended: woken at once when this node's runner ends it, else
   * reading its row now and then (another node's runner may have taken the task).
   */
  InterfaceOp await(String opId, CompletableFuture<Void> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    InterfaceOpStore store = new InterfaceOpStore(db.sql());
    while (true) {
      try {
        done.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // look at the row
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ServiceException.failed("computeFault", "Interrupted while waiting for interface operation " + opId);
      }
      InterfaceOp op = store.find(opId).orElseThrow(() -> new IllegalStateException("interface operation " + opId + " is gone"));
      if (op.status() != InterfaceOp.Status.PENDING) {
        // Not forced to the disk before the answer: the outcome is (the task's last commit), and
        // a settled row a crash kept is never read again.
        db.inTransactionNotForcedToDisk(
            sql -> {
              new InterfaceOpStore(sql).delete(opId);
              return null;
            });
        return op;
      }
      if (System.nanoTime() > deadline) {
        throw ServiceException.failed(
            "computeFault", "Timed out waiting for interface operation " + opId + "; it goes on in the background.");
      }
    }
  }
}
