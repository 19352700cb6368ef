package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable task behind every top-level stack operation: {@code {"stack_id", "traversal"}}. It
 * runs the operation the stack's row names from the rows' persisted state, so running it again
 * (after a crash, on another node) carries the operation on. A task whose traversal is no longer
 * the stack's does nothing.
 */
final class OperationTask implements TaskHandler {
  static final String KIND = "orchestration.stack";
  /** Heat's default {@code stack_action_timeout}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);
  private static final Logger LOG = LoggerFactory.getLogger(OperationTask.class);

  private final StackRunner runner;
  private final Lifecycle lifecycle;
  private final Rollbacks rollbacks;

  private final Operations operations;

  OperationTask(StackRunner runner, Lifecycle lifecycle, Operations operations) {
    this.runner = requireNonNull(runner, "runner is null");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    this.rollbacks = new Rollbacks(runner);
    this.operations = requireNonNull(operations, "operations is null");
  }

  static String payload(String stackId, String traversal) {
    var node = JsonColumns.object();
    node.put("stack_id", stackId);
    node.put("traversal", traversal);
    return JsonColumns.write(node);
  }

  static Instant deadline(StackRow stack) {
    Duration timeout = stack.timeoutMins() == null ? DEFAULT_TIMEOUT : Duration.ofMinutes(stack.timeoutMins());
    return stack.operationStartedAt().plus(timeout);
  }

  @Override
  public String run(Task task) throws Exception {
    JsonNode payload = JsonColumns.read(task.payload());
    String stackId = payload.path("stack_id").asText();
    String traversal = payload.path("traversal").asText();
    Engine e = runner.engine();
    StackRow stack = new StackStore(e.db().sql()).find(stackId).orElse(null);
    if (stack == null || !stack.inProgress() || !stack.traversal().equals(traversal)) {
      return null; // finished, or superseded by a newer operation
    }
    StackAction action = stack.action();
    Interruption root = new Interruption(null);
    if (!operations.stopOthers(stackId, traversal, SUPERSEDED_GRACE)) {
      LOG.warn("stack {}: an operation this one took over is still running after {}", stackId, SUPERSEDED_GRACE);
    }
    try (AutoCloseable running = operations.enter(stackId, traversal, root);
        Watch watch = new Watch(e, stackId, traversal, root);
        Journal journal = new Journal(e.db(), stack.id(), traversal)) {
      List<ResourceRow> rows = new ResourceStore(e.db().sql()).current(stack.id());
      LiveStack live;
      try {
        BoundStack bound = needsTemplate(action) ? e.parsed().bound(stack, e.checkers()) : null;
        live = LiveStack.of(stack, rows, bound, e.types());
      } catch (ServiceException refused) {
        // The template no longer binds (a constraint the cloud no longer meets): the operation fails.
        live = LiveStack.of(stack, rows, null, e.types());
        runner.stackState(live, journal, action, StackStatus.FAILED, refused.getMessage());
        journal.sync();
        return null;
      }
      try {
        lifecycle.before(operation(live, action, rows.size(), null));
      } catch (Exception refused) {
        runner.stackState(live, journal, action, StackStatus.FAILED, Failures.message(refused));
        journal.sync();
        return null;
      }
      Instant deadline = deadline(stack);
      StackRunner.Outcome outcome =
          switch (action) {
            case CREATE -> runner.create(live, journal, deadline, root);
            case DELETE -> {
              StackRunner.Outcome old = runner.deleteLeftovers(live, leftovers(stack), journal, deadline, root);
              yield old.status() == StackStatus.COMPLETE ? runner.delete(live, journal, deadline, root) : old;
            }
            case SUSPEND, RESUME, CHECK -> runner.act(live, action, journal, deadline, root);
            case UPDATE, ROLLBACK -> runner.update(live, leftovers(stack), action, journal, deadline, root);
            default -> new StackRunner.Outcome(StackStatus.FAILED, "Kiln cannot run a stack " + action + " yet");
          };
      if (outcome.status() == StackStatus.FAILED && rollsBack(live.stack(), action)) {
        // Heat's rollback: the stack goes back to the template before (none, after a create).
        rollbacks.start(live.stack(), outcome.reason(), journal);
        journal.sync();
        StackRow target = new StackStore(e.db().sql()).find(stackId).orElseThrow();
        List<ResourceRow> current = new ResourceStore(e.db().sql()).current(stackId);
        LiveStack back;
        try {
          back = LiveStack.of(target, current, e.parsed().bound(target, e.checkers()), e.types());
          outcome = runner.update(back, leftovers(target), StackAction.ROLLBACK, journal, deadline(target), root);
        } catch (ServiceException refused) {
          back = LiveStack.of(target, current, null, e.types());
          outcome = new StackRunner.Outcome(StackStatus.FAILED, refused.getMessage());
        }
        runner.stackState(back, journal, StackAction.ROLLBACK, outcome.status(), outcome.reason());
        action = StackAction.ROLLBACK;
      } else {
        runner.stackState(live, journal, action, outcome.status(), outcome.reason());
      }
      journal.sync();
      lifecycle.after(operation(live, action, rows.size(), outcome.status()));
      return null;
    } catch (Journal.Superseded superseded) {
      LOG.info("stack {}: operation {} was superseded", stackId, traversal);
      return null;
    } catch (Interruption.LetGo letGo) {
      if (root.stopped() && !TaskRunner.stopRequested()) {
        LOG.info("stack {}: operation {} was taken over (stopped)", stackId, traversal);
        return null;
      }
      throw letGo;
    } catch (InterruptedException interrupted) {
      if (superseded(e, stackId, traversal)) {
        Thread.interrupted();
        LOG.info("stack {}: operation {} was taken over (cancelled)", stackId, traversal);
        return null;
      }
      throw interrupted; // the runner is letting go: another attempt carries on from the rows
    } catch (RuntimeException unexpected) {
      // The runner retries the task from the persisted state; say why, with where.
      LOG.warn("stack {}: {} attempt failed", stackId, action, unexpected);
      throw unexpected;
    }
  }

  private static boolean superseded(Engine e, String stackId, String traversal) {
    Thread.interrupted(); // the store's driver refuses to work for an interrupted thread
    try {
      return new StackStore(e.db().sql()).find(stackId).map(s -> !s.traversal().equals(traversal)).orElse(true);
    } finally {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Looks at the stack's row every second while the operation runs, and stops the operation once
   * another one took the stack over (a cancel or delete received by another node).
   */
  private static final class Watch implements AutoCloseable {
    // Ended by a latch, not an interrupt: the watcher may be reading the store when it ends.
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    Watch(Engine e, String stackId, String traversal, Interruption operation) {
      // The runner closing (or losing the claim) lets the operation go too, without interrupting
      // the handler's thread; the task is then given back, not recorded as done.
      java.util.function.BooleanSupplier runnerStops = TaskRunner.stopSignal();
      Thread.ofVirtual().name("heat-watch-" + stackId).start(() -> {
        try {
          while (!done.await(WATCH_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            boolean taken;
            try {
              taken = new StackStore(e.db().sql()).find(stackId).map(s -> !s.traversal().equals(traversal)).orElse(true);
            } catch (RuntimeException storeTrouble) {
              continue;
            }
            if (taken || runnerStops.getAsBoolean()) {
              operation.stop();
              return;
            }
          }
        } catch (InterruptedException interrupted) {
          // the node is shutting down
        }
      });
    }

    @Override
    public void close() {
      done.countDown();
    }
  }

  private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
  /** How long an operation waits for the one it took over (on this node) to let go. */
  private static final Duration SUPERSEDED_GRACE = Duration.ofSeconds(30);

  private static boolean needsTemplate(StackAction action) {
    return action == StackAction.CREATE || action == StackAction.UPDATE || action == StackAction.ROLLBACK;
  }

  /** Heat rolls a failed create or update back unless the stack disables rollback. */
  private static boolean rollsBack(StackRow stack, StackAction action) {
    return !stack.disableRollback()
        && stack.parentId() == null
        && (action == StackAction.CREATE || action == StackAction.UPDATE);
  }

  private List<ResourceRow> leftovers(StackRow stack) {
    return new ResourceStore(runner.engine().db().sql()).leftovers(stack.id());
  }

  private static StackLifecyclePlugin.Operation operation(
      LiveStack live, StackAction action, int resources, StackStatus outcome) {
    return new StackLifecyclePlugin.Operation(Views.stack(live.stack(), List.of()), action, resources, outcome);
  }

  /** Every attempt failed (the store kept failing): the stack must not stay IN_PROGRESS. */
  @Override
  public void onGiveUp(Task task, String error) {
    JsonNode payload = JsonColumns.read(task.payload());
    String stackId = payload.path("stack_id").asText();
    String traversal = payload.path("traversal").asText();
    Engine e = runner.engine();
    StackRow stack = new StackStore(e.db().sql()).find(stackId).orElse(null);
    if (stack == null || !stack.traversal().equals(traversal) || !stack.inProgress()) {
      return;
    }
    String reason = "Stack " + stack.action() + " failed: " + error;
    e.db().inTransaction(
        sql -> {
          if (new StackStore(sql).state(stackId, traversal, stack.action(), StackStatus.FAILED, reason, e.now(), false)) {
            new dev.kiln.orchestration.store.EventStore(sql)
                .insertAll(List.of(runner.stackEvent(stack, stack.action(), StackStatus.FAILED, reason, e.now())));
          }
          return null;
        });
  }
}
