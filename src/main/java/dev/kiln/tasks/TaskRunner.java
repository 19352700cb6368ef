package dev.kiln.tasks;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.CommitFence;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable tasks: claims due tasks from the database, runs each on a virtual thread with the
 * {@link TaskHandler} registered for its kind, and records the outcome. Several runners (one per
 * node) may share a database; a task is claimed by one of them at a time, and a task whose node
 * died is taken over by another runner when its lease expires.
 *
 * <p>Lifecycle: construct, {@link #register} the handlers, {@link #start()}, and {@link #close()}
 * on shutdown. Tasks can be submitted before {@code start()}; they wait in the database.
 *
 * <p>Why over 400 lines: claiming, lease renewal, losing a claim and shutdown all act on the one
 * map of running claims and must see each other's changes in order; split apart, each piece would
 * need that map and its rules. How a runner paces itself ({@link TaskSettings}) and how an
 * attempt's end is recorded ({@link TaskOutcomes}) are kept apart.
 */
public final class TaskRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  /**
   * How long an ended task's row is kept. Nothing reads a task once it has ended (what a task made
   * is recorded in its service's own rows); a failed one stays a day for whoever looks into why.
   * Without a purge the table only grew: every volume, boot, attach and stack step adds a row, and
   * each insert and claim walks indexes over all of them.
   */
  static final Duration SUCCEEDED_KEPT = Duration.ofMinutes(10);
  static final Duration FAILED_KEPT = Duration.ofDays(1);
  /** How often the loop looks for ended tasks to delete, and how many one commit deletes. */
  private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  static final int PURGE_BATCH = 1_000;

  private final Database database;
  private final TaskStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final String nodeId;
  private final TaskSettings settings;
  private final TaskOutcomes outcomes;
  private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();
  /** The tasks this runner has claimed and is running, by id. */
  private final Map<String, RunningClaim> running = new ConcurrentHashMap<>();
  /** Released to make the loop look for work now instead of at the next poll. */
  private final Semaphore wake = new Semaphore(0);
  /** Told of each task a handler of this runner finished (see {@link #onTaskEnded}). */
  private final java.util.List<java.util.function.Consumer<Task>> endListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The claim the current handler thread runs, so a handler can ask whether to stop. */
  private static final ThreadLocal<RunningClaim> CURRENT = new ThreadLocal<>();

  private volatile boolean claiming;
  private volatile boolean stopped;
  private Thread loop;
  private boolean closed;

  public TaskRunner(Database database, Clock clock, IdGenerator ids, String nodeId) {
    this(database, clock, ids, nodeId, TaskSettings.defaults());
  }

  public TaskRunner(
      Database database, Clock clock, IdGenerator ids, String nodeId, TaskSettings settings) {
    this.database = requireNonNull(database, "database is null");
    this.store = new TaskStore(database);
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.nodeId = requireNonNull(nodeId, "nodeId is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.outcomes = new TaskOutcomes(store, handlers::get, nodeId, settings, this::now);
  }

  /**
   * Registers the handler for one kind of task. This runner claims only tasks whose kind has a
   * handler, and accepts submissions only for those kinds.
   */
  public TaskRunner register(String kind, TaskHandler handler) {
    requireNonNull(kind, "kind is null");
    requireNonNull(handler, "handler is null");
    if (handlers.putIfAbsent(kind, handler) != null) {
      throw new IllegalStateException("a handler is already registered for task kind " + kind);
    }
    wake.release(); // tasks of this kind may be waiting already
    return this;
  }

  /**
   * Calls {@code listener} with every task this runner's handlers finish, successfully or not, once
   * the handler's own changes are committed (before the task's outcome is): so that whoever waits
   * for what a task changes can look at once instead of at its next poll. The listener must be
   * quick and must not throw.
   */
  public void onTaskEnded(java.util.function.Consumer<Task> listener) {
    endListeners.add(requireNonNull(listener, "listener is null"));
  }

  private void ended(Task task) {
    for (java.util.function.Consumer<Task> listener : endListeners) {
      try {
        listener.accept(task);
      } catch (RuntimeException e) {
        log.warn("a task end listener failed for task {}", task.id(), e);
      }
    }
  }

  /**
   * Ends the leases of the tasks claimed by runners that are surely dead, before {@link #start()}:
   * on a store only this process can open (the embedded file), every claim found at start belongs
   * to an earlier incarnation that was killed, and waiting out its lease would only delay the
   * resumption of its work. The tasks are then claimed at once, as if their leases had run out
   * (the interrupted attempt counts). Never call it on a store other live nodes share: their
   * leases are what keeps their tasks theirs.
   *
   * @return how many claims were ended
   */
  public int endClaimsOfEarlierRuns() {
    synchronized (this) {
      if (loop != null) {
        throw new IllegalStateException("task runner " + nodeId + " already runs: its own claims would be ended");
      }
    }
    int ended = store.endAllLeases(now());
    if (ended > 0) {
      log.info("task runner {} took over {} tasks left running by an earlier run of this store", nodeId, ended);
    }
    return ended;
  }

  /** Starts claiming and running tasks. */
  public synchronized void start() {
    if (loop != null || closed) {
      throw new IllegalStateException("task runner " + nodeId + " was already started");
    }
    claiming = true;
    loop = Thread.ofVirtual().name("task-runner-" + nodeId).start(this::loop);
  }

  /**
   * Asks this runner to look for due tasks now rather than at its next poll: call it after
   * committing a transaction that submitted tasks, so they start at once.
   */
  public void wake() {
    wake.release();
  }

  /** Submits a task to run as soon as a runner is free; returns its id. */
  public String submit(String kind, String payloadJson) {
    return submit(kind, payloadJson, now());
  }

  /** Submits a task to run at or after {@code runAfter}; returns its id. */
  public String submit(String kind, String payloadJson, Instant runAfter) {
    String id = submit(database.sql(), kind, payloadJson, runAfter, settings.maxAttempts());
    wake(); // committed already: outside a transaction the insert commits on its own
    return id;
  }

  /**
   * Submits a task through {@code sql}; returns its id. Pass the transaction of the change that
   * needs the task (inside {@link Database#inTransaction}), so that both commit or neither does.
   * A task submitted in a transaction that has not committed yet is not visible to runners, so
   * this does not wake the runner: call {@link #wake} after the commit (or it is picked up at the
   * next poll).
   */
  public String submit(
      Sql sql, String kind, String payloadJson, Instant runAfter, int maxAttempts) {
    requireNonNull(sql, "sql is null");
    requireNonNull(payloadJson, "payloadJson is null");
    requireNonNull(runAfter, "runAfter is null");
    if (!handlers.containsKey(kind)) {
      throw new IllegalArgumentException("no handler is registered for task kind " + kind);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    Instant now = now();
    String id = ids.uuid();
    store.insert(
        sql,
        new Task(
            id,
            kind,
            payloadJson,
            TaskStatus.QUEUED,
            0,
            maxAttempts,
            runAfter.truncatedTo(ChronoUnit.MICROS),
            null,
            null,
            null,
            null,
            now,
            now));
    return id;
  }

  /** The task with this id, as stored now. */
  public Optional<Task> find(String id) {
    return store.find(id);
  }

  /**
   * Stops claiming, lets running tasks finish for up to the shutdown grace, then stops the rest
   * cooperatively: their commits are refused from then on (as for a lost claim), {@link
   * #stopRequested()} turns true for them, and their tasks are given back to the queue, uncounted,
   * so that this node after a restart, or another runner, starts them over.
   *
   * <p>No handler thread is interrupted: one may be inside H2's file I/O, and an interrupt there
   * closes the file channel and takes the embedded database down with it. A handler that is still
   * running when close returns can change nothing more; its thread ends when it next commits or
   * returns.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    claiming = false;
    if (loop == null) {
      return;
    }
    // The loop keeps renewing leases while we wait, so no other node takes these tasks over.
    awaitRunningClaim(settings.shutdownGrace());
    List<RunningClaim> unfinished = List.copyOf(running.values());
    if (!unfinished.isEmpty()) {
      unfinished.forEach(r -> r.stopping = true);
      // A handler that commits now is refused and ends by itself; give it a moment to.
      awaitRunningClaim(Duration.ofMillis(Math.min(1_000, settings.shutdownGrace().toMillis() + 100)));
      for (RunningClaim run : unfinished) {
        giveBack(run);
      }
    }
    stopped = true;
    wake.release();
    join(loop, Duration.ofSeconds(5));
    if (!running.isEmpty()) {
      log.warn(
          "task runner {} closed with {} handlers still running; their commits are refused and"
              + " their tasks were given back",
          nodeId,
          running.size());
    }
  }

  /**
   * Whether the runner that runs the calling handler is closing and asks it to stop: its commits
   * are refused from now on, so a long handler may check this between steps and return early.
   * False outside a handler's thread.
   */
  public static boolean stopRequested() {
    RunningClaim run = CURRENT.get();
    return run != null && (run.stopping || run.lost);
  }

  /**
   * {@link #stopRequested()} of the calling handler's claim, to be asked from other threads the
   * handler starts (a watcher); always false outside a handler's thread.
   */
  public static java.util.function.BooleanSupplier stopSignal() {
    RunningClaim run = CURRENT.get();
    return run == null ? () -> false : () -> run.stopping || run.lost;
  }

  /**
   * Hands a claim that close() stopped back to the queue, uncounted. The fence is closed first
   * (lost), so no commit of its handler can land after the release: a commit that passed the fence
   * already holds the task's row lock, and the release waits for it.
   */
  private void giveBack(RunningClaim run) {
    if (!running.containsKey(run.claim.id())) {
      return; // it ended by itself, and recorded how
    }
    run.lost = true;
    try {
      if (store.release(run.claim, now())) {
        log.info("task {} ({}) given back by closing runner {}", run.claim.id(), run.claim.kind(), nodeId);
      }
    } catch (RuntimeException e) {
      // Its lease runs out and another runner (or this node after a restart) takes it over.
      log.warn("task runner {} could not give task {} back: {}", nodeId, run.claim.id(), e.toString());
    }
  }

  private void loop() {
    // Pacing is in real elapsed time; the injected clock only stamps what is stored.
    long renewEveryNanos = settings.lease().toNanos() / 3;
    long nextRenewal = System.nanoTime() + renewEveryNanos;
    long nextPurge = System.nanoTime() + PURGE_EVERY_NANOS;
    while (!stopped) {
      // Renewing comes first and apart from claiming, so that a failing claim never keeps the
      // leases of running tasks from being renewed.
      if (System.nanoTime() - nextRenewal >= 0) {
        if (attempt(this::renewLeases)) {
          nextRenewal = System.nanoTime() + renewEveryNanos;
        } else {
          nextRenewal = System.nanoTime() + settings.pollInterval().toNanos(); // try again soon
        }
      }
      loseExpiredLeases();
      if (claiming) {
        attempt(this::claimAndStart);
      }
      if (System.nanoTime() - nextPurge >= 0) {
        // A full batch means more are waiting: the next pass of the loop deletes the next one,
        // after its claims, so that a long backlog never holds up the tasks that are due.
        int[] purged = {0};
        attempt(() -> purged[0] = purgeEnded());
        nextPurge = System.nanoTime() + (purged[0] == PURGE_BATCH ? 0 : PURGE_EVERY_NANOS);
      }
      long wait = Math.min(settings.pollInterval().toNanos(), nextRenewal - System.nanoTime());
      try {
        wake.tryAcquire(Math.max(wait, 0), TimeUnit.NANOSECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Deletes one batch of ended tasks past their keeping time ({@link #SUCCEEDED_KEPT}, {@link
   * #FAILED_KEPT}); answers how many. Every node does it; two deleting the same rows delete them
   * once.
   */
  int purgeEnded() {
    Instant now = now();
    return store.purgeEnded(now.minus(SUCCEEDED_KEPT), now.minus(FAILED_KEPT), PURGE_BATCH);
  }

  /** Runs one step of the loop; false when it failed (logged), most likely for want of the database. */
  private boolean attempt(Runnable step) {
    try {
      step.run();
      return true;
    } catch (RuntimeException e) {
      log.warn("task runner {} could not reach its tasks: {}", nodeId, e.toString());
      return false;
    }
  }

  private void claimAndStart() {
    int free = settings.maxConcurrent() - running.size();
    if (free <= 0 || handlers.isEmpty()) {
      return;
    }
    long asked = System.nanoTime();
    Instant now = now();
    List<Task> claimed =
        store.claim(
            nodeId,
            Set.copyOf(handlers.keySet()),
            now,
            now.plus(settings.lease()),
            free,
            Set.copyOf(running.keySet()));
    for (Task task : claimed) {
      RunningClaim run = new RunningClaim(task, heldUntil(asked));
      Thread thread =
          Thread.ofVirtual()
              .name("task-" + task.kind() + "-" + task.id())
              .unstarted(() -> execute(run));
      run.thread = thread;
      running.put(task.id(), run);
      thread.start();
    }
    if (claimed.size() == free) {
      wake.release(); // there may be more due tasks than we had room for: look again at once
    }
  }

  /**
   * Renews the lease of every claim still held; a claim that could not be renewed is lost: its
   * handler's writes are refused from then on (see {@link #fence}).
   */
  private void renewLeases() {
    List<RunningClaim> held = running.values().stream().filter(r -> !r.lost).toList();
    if (held.isEmpty()) {
      return;
    }
    long asked = System.nanoTime();
    Instant now = now();
    Set<String> renewed =
        store.renew(held.stream().map(r -> r.claim).toList(), now.plus(settings.lease()), now);
    for (RunningClaim run : held) {
      if (renewed.contains(run.claim.id())) {
        run.heldUntilNanos = heldUntil(asked);
      } else if (running.containsKey(run.claim.id()) && !run.ending) {
        lose(run, "its claim is no longer this node's (taken over or reset)");
      }
    }
  }

  /**
   * Gives up the claims whose lease may have run out because it could not be renewed in time
   * (the database was out of reach): another node may have taken them over already.
   */
  private void loseExpiredLeases() {
    long nowNanos = System.nanoTime();
    for (RunningClaim run : running.values()) {
      if (!run.lost && nowNanos - run.heldUntilNanos > 0) {
        lose(run, "its lease ran out before it could be renewed");
      }
    }
  }

  /**
   * Marks a claim lost. The handler is not interrupted: interrupting a thread inside H2's file I/O
   * closes the file channel and takes the embedded database down with it. Its writes are fenced
   * instead: from now on each of its commits fails, and its outcome is not recorded.
   */
  private void lose(RunningClaim run, String why) {
    run.lost = true;
    log.warn(
        "task {} ({}) attempt {} lost its claim on {}: {}; its handler can commit nothing more",
        run.claim.id(),
        run.claim.kind(),
        run.claim.attempts(),
        nodeId,
        why);
  }

  /**
   * The monotonic time until which a lease granted (or renewed) by a statement sent at {@code
   * asked} surely holds: the lease, less a tenth for the clocks of the nodes that judge it.
   */
  private long heldUntil(long asked) {
    long lease = settings.lease().toNanos();
    return asked + lease - lease / 10;
  }

  private void execute(RunningClaim run) {
    Task task = run.claim;
    CURRENT.set(run);
    try {
      if (task.attempts() > task.maxAttempts()) {
        outcomes.giveUpAbandoned(run);
        return;
      }
      String result;
      try {
        result = CommitFence.bind(run.fence(store, nodeId), () -> handlers.get(task.kind()).run(task));
      } finally {
        ended(task);
      }
      run.ending = true;
      outcomes.succeeded(run, result);
    } catch (Exception e) {
      run.ending = true;
      outcomes.failed(run, e);
    } finally {
      CURRENT.remove();
      running.remove(task.id());
      wake.release(); // a slot is free: claim more
    }
  }

  /** Truncated to microseconds, the precision both databases store. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Waits until no task is running or the timeout has passed, whichever comes first. */
  private void awaitRunningClaim(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      Optional<RunningClaim> any = running.values().stream().findAny();
      if (any.isEmpty()) {
        return;
      }
      join(any.get().thread, Duration.ofNanos(deadline - System.nanoTime()));
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
