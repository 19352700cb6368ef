package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.store.EventRow;
import dev.kiln.orchestration.store.EventStore;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.store.CommitFence;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one stack operation writes (its stack's and nested stacks' rows, resource states,
 * events), committed in groups: whatever piled up while the previous commit ran goes into the
 * next one, in one transaction with one statement batch per table. A thousand resources finishing
 * together cost a few commits, not a thousand — which matters when every commit is an fsync.
 *
 * <p>Each commit first locks the root stack's row and checks that it still carries this
 * operation's traversal; if another operation took the stack over, nothing is written and every
 * later call throws {@link Superseded}.
 *
 * <p>Writers do not wait for their changes to commit, except through {@link #sync()}: a
 * resource may start from a dependency's outcome before that outcome is durable. That is safe
 * because a create repeated after a crash makes the same thing (types are idempotent and their
 * randomness is seeded per row), and because commits happen in order, so a persisted outcome is
 * never ahead of the outcomes it was computed from.
 */
final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final int COMMIT_ATTEMPTS = 5;

  /** The operation lost its stack to another operation; stop. */
  static final class Superseded extends RuntimeException {
    Superseded(String stackId) {
      super("stack " + stackId + " was taken over by another operation", null, false, false);
    }
  }

  private record StackState(
      String stackId, String traversal, StackAction action, StackStatus status, String reason, Instant at,
      boolean deleted) {}

  private record Hook(String resourceId, String hook) {}

  /** What waits to be committed. */
  private static final class Batch {
    final List<TemplateRow> templates = new ArrayList<>();
    final List<StackRow> newStacks = new ArrayList<>();
    final List<StackBegin> begins = new ArrayList<>();
    final List<ResourceRow> newResources = new ArrayList<>();
    final Map<String, ResourceRow> resources = new LinkedHashMap<>();
    final List<Hook> hooks = new ArrayList<>();
    final List<StackState> states = new ArrayList<>();
    final List<StackRow> retargets = new ArrayList<>();
    final List<EventRow> events = new ArrayList<>();

    boolean isEmpty() {
      return templates.isEmpty() && newStacks.isEmpty() && begins.isEmpty() && newResources.isEmpty()
          && resources.isEmpty() && hooks.isEmpty() && states.isEmpty() && retargets.isEmpty() && events.isEmpty();
    }
  }

  record StackBegin(String stackId, StackAction action, String reason, String traversal, Instant at) {}

  private final Database db;
  private final String rootId;
  private final String traversal;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private Batch pending = new Batch();
  private long enqueued; // changes handed in so far
  private long committed; // changes committed so far
  private RuntimeException failure;
  private boolean closed;
  /** Rows handed in as new and not committed yet, by id: a step must not make anything for them. */
  private final java.util.Set<String> uncommittedRows = new java.util.HashSet<>(); // guarded by lock
  private final Thread flusher;

  /**
   * Opened on the thread that runs the operation: the journal's commits are fenced on that thread's
   * task claim too, so a node that lost its claim (it stalled past its lease and another node took
   * the task over, with the same traversal) records nothing more.
   */
  Journal(Database db, String rootId, String traversal) {
    this.db = requireNonNull(db, "db is null");
    this.rootId = requireNonNull(rootId, "rootId is null");
    this.traversal = requireNonNull(traversal, "traversal is null");
    CommitFence claim = CommitFence.current();
    Runnable loop = claim == null ? this::flushLoop : () -> CommitFence.bind(claim, () -> {
      flushLoop();
      return null;
    });
    this.flusher = Thread.ofVirtual().name("heat-journal-" + rootId).start(loop);
  }

  String traversal() {
    return traversal;
  }

  String rootId() {
    return rootId;
  }

  void template(TemplateRow row) {
    add(b -> b.templates.add(row));
  }

  void newStack(StackRow row) {
    add(b -> b.newStacks.add(row));
  }

  /** A nested stack starts an operation (its lock is its root's: the journal's fence). */
  void begin(StackBegin begin) {
    add(b -> b.begins.add(begin));
  }

  void newResources(List<ResourceRow> rows) {
    add(b -> {
      b.newResources.addAll(rows);
      rows.forEach(row -> uncommittedRows.add(row.id()));
    });
  }

  /**
   * Waits until the row {@code rowId} is in the database, if it was handed in as new and is not
   * committed yet (at once otherwise). A step calls it before it makes anything in another service
   * for the row: what it makes is found again after a crash by the row's id, so a thing made for a
   * row the crash lost (a replacement's new generation, a resource an update adds) would belong to
   * nobody, and the next attempt would make another for a row with a new id.
   */
  void awaitRow(String rowId) throws InterruptedException {
    lock.lock();
    try {
      while (uncommittedRows.contains(rowId)) {
        throwIfFailed();
        changed.await();
      }
      throwIfFailed();
    } finally {
      lock.unlock();
    }
  }

  /** The row's latest state; several changes of one row between commits write it once. */
  void resource(ResourceRow row) {
    add(b -> b.resources.put(row.id(), row));
  }

  /** A row's new state and its event, always committed together. */
  void resource(ResourceRow row, EventRow event) {
    add(b -> {
      b.resources.put(row.id(), row);
      b.events.add(event);
    });
  }

  /**
   * Several rows that must change together (a replacement becoming current as the row it replaces
   * stops being so): always committed in the same transaction.
   */
  void resources(List<ResourceRow> rows) {
    add(b -> rows.forEach(row -> b.resources.put(row.id(), row)));
  }

  /**
   * The stack points at another template (a rollback's target), in the state {@code stack} has;
   * written fenced on this operation's traversal like every other change.
   */
  void retarget(StackRow stack, List<EventRow> events) {
    add(b -> {
      b.retargets.add(stack);
      b.events.addAll(events);
    });
  }

  void hook(String resourceId, String hook) {
    add(b -> b.hooks.add(new Hook(resourceId, hook)));
  }

  /** A stack's new state and its event, always committed together. */
  void stackState(
      String stackId, String stackTraversal, StackAction action, StackStatus status, String reason, Instant at,
      boolean deleted, EventRow event) {
    add(b -> {
      b.states.add(new StackState(stackId, stackTraversal, action, status, reason, at, deleted));
      b.events.add(event);
    });
  }

  void event(EventRow event) {
    add(b -> b.events.add(event));
  }

  /** Waits until everything handed in so far is committed. */
  void sync() throws InterruptedException {
    lock.lock();
    try {
      long target = enqueued;
      while (committed < target) {
        throwIfFailed();
        changed.await();
      }
      throwIfFailed();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void add(java.util.function.Consumer<Batch> change) {
    lock.lock();
    try {
      throwIfFailed();
      change.accept(pending);
      enqueued++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  private void flushLoop() {
    while (true) {
      Batch batch;
      long upTo;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (pending.isEmpty() && closed) {
          return;
        }
        batch = pending;
        pending = new Batch();
        upTo = enqueued;
      } finally {
        lock.unlock();
      }
      RuntimeException error = commit(batch);
      lock.lock();
      try {
        if (error != null && failure == null) {
          failure = error;
        }
        if (error == null) {
          committed = upTo;
          batch.newResources.forEach(row -> uncommittedRows.remove(row.id()));
        }
        changed.signalAll();
        if (failure != null) {
          pending = new Batch();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private RuntimeException commit(Batch batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        boolean fenced =
            db.inTransaction(
                sql -> {
                  StackStore stacks = new StackStore(sql);
                  if (!stacks.fence(rootId, traversal)) {
                    return false;
                  }
                  TemplateStore templates = new TemplateStore(sql);
                  batch.templates.forEach(templates::insert);
                  batch.newStacks.forEach(stacks::insert);
                  for (StackBegin begin : batch.begins) {
                    stacks.takeOver(begin.stackId(), begin.action(), begin.reason(), begin.traversal(), begin.at());
                  }
                  ResourceStore resources = new ResourceStore(sql);
                  resources.insertAll(batch.newResources);
                  resources.updateAll(batch.resources.values());
                  for (Hook hook : batch.hooks) {
                    resources.setHook(hook.resourceId(), hook.hook());
                  }
                  for (StackRow target : batch.retargets) {
                    stacks.retarget(target, target.traversal());
                  }
                  for (StackState s : batch.states) {
                    stacks.state(s.stackId(), s.traversal(), s.action(), s.status(), s.reason(), s.at(), s.deleted());
                  }
                  new EventStore(sql).insertAll(batch.events);
                  return true;
                });
        return fenced ? null : new Superseded(rootId);
      } catch (StoreException e) {
        if (attempt >= COMMIT_ATTEMPTS || e.kind() == StoreException.Kind.DUPLICATE) {
          return e;
        }
        LOG.info("stack {}: commit attempt {} failed, retrying: {}", rootId, attempt, e.getMessage());
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return e;
        }
      } catch (RuntimeException e) {
        return e;
      }
    }
  }
}
