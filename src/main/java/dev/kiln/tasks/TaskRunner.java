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
 */
public final class TaskRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final int MAX_ERROR_LENGTH = 2000;

  /**
   * How a runner paces itself.
   *
   * @param pollInterval how often to look for due tasks when nothing wakes the runner earlier
   * @param lease how long a claim holds without renewal; renewed every third of it while running
   * @param retryBackoff the delay before the second attempt, doubled for each further one
   * @param maxRetryBackoff the longest delay between attempts
   * @param maxAttempts attempts per task unless its submitter says otherwise
   * @param maxConcurrent how many tasks this runner runs at once
   * @param shutdownGrace how long {@link #close()} lets running tasks finish before it stops them
   *     (fences their commits and gives their tasks back)
   */
  public record Settings(
      Duration pollInterval,
      Duration lease,
      Duration retryBackoff,
      Duration maxRetryBackoff,
      int maxAttempts,
      int maxConcurrent,
      Duration shutdownGrace) {
    public Settings {
      requireNonNull(pollInterval, "pollInterval is null");
      requireNonNull(lease, "lease is null");
      requireNonNull(retryBackoff, "retryBackoff is null");
      requireNonNull(maxRetryBackoff, "maxRetryBackoff is null");
      requireNonNull(shutdownGrace, "shutdownGrace is null");
      if (!pollInterval.isPositive()
          || !lease.isPositive()
          || retryBackoff.isNegative()
          || maxRetryBackoff.isNegative()
          || shutdownGrace.isNegative()
          || maxAttempts < 1
          || maxConcurrent < 1) {
        throw new IllegalArgumentException("invalid task runner settings: " + this);
      }
    }

    /** Polls every second, 30 s leases, 5 attempts from 1 s apart, 64 tasks at once. */
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          5,
          64,
          Duration.ofSeconds(10));
    }

    /**
     * The defaults, with the lease {@code KILN_TASK_LEASE} names (seconds, such as {@code 3}) when
     * it is set: a short lease lets the other nodes take a dead node's tasks over sooner, at the
     * cost of more renewals. Crash tests use it; a lease under two seconds is refused, since a
     * renewal every third of it must fit the database's round trips.
     */
    public static Settings fromEnvironment(String taskLeaseSeconds) {
      Settings d = defaults();
      if (taskLeaseSeconds == null || taskLeaseSeconds.isBlank()) {
        return d;
      }
      long seconds;
      try {
        seconds = Long.parseLong(taskLeaseSeconds.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("KILN_TASK_LEASE must be a whole number of seconds, got " + taskLeaseSeconds);
      }
      if (seconds < 2) {
        throw new IllegalArgumentException("KILN_TASK_LEASE must be at least 2 seconds, got " + seconds);
      }
      Duration lease = Duration.ofSeconds(seconds);
      return new Settings(
          d.pollInterval(), lease, d.retryBackoff(), d.maxRetryBackoff(), d.maxAttempts(),
          d.maxConcurrent(), d.shutdownGrace());
    }
  }

  private final Database database;
  private final TaskStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final String nodeId;
  private final Settings settings;
  private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();
  /** The tasks this runner has claimed and is running, by id. */
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  /** Released to make the loop look for work now instead of at the next poll. */
  private final Semaphore wake = new Semaphore(0);

  /** The claim the current handler thread runs, so a handler can ask whether to stop. */
  private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

  private volatile boolean claiming;
  private volatile boolean stopped;
  private Thread loop;
  private boolean closed;

  public TaskRunner(Database database, Clock clock, IdGenerator ids, String nodeId) {
    this(database, clock, ids, nodeId, Settings.defaults());
  }

  public TaskRunner(
      Database database, Clock clock, IdGenerator ids, String nodeId, Settings settings) {
    this.database = requireNonNull(database, "database is null");
    this.store = new TaskStore(database);
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.nodeId = requireNonNull(nodeId, "nodeId is null");
    this.settings = requireNonNull(settings, "settings is null");
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
    awaitRunning(settings.shutdownGrace());
    List<Running> unfinished = List.copyOf(running.values());
    if (!unfinished.isEmpty()) {
      unfinished.forEach(r -> r.stopping = true);
      // A handler that commits now is refused and ends by itself; give it a moment to.
      awaitRunning(Duration.ofMillis(Math.min(1_000, settings.shutdownGrace().toMillis() + 100)));
      for (Running run : unfinished) {
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
    Running run = CURRENT.get();
    return run != null && (run.stopping || run.lost);
  }

  /**
   * {@link #stopRequested()} of the calling handler's claim, to be asked from other threads the
   * handler starts (a watcher); always false outside a handler's thread.
   */
  public static java.util.function.BooleanSupplier stopSignal() {
    Running run = CURRENT.get();
    return run == null ? () -> false : () -> run.stopping || run.lost;
  }

  /**
   * Hands a claim that close() stopped back to the queue, uncounted. The fence is closed first
   * (lost), so no commit of its handler can land after the release: a commit that passed the fence
   * already holds the task's row lock, and the release waits for it.
   */
  private void giveBack(Running run) {
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
      long wait = Math.min(settings.pollInterval().toNanos(), nextRenewal - System.nanoTime());
      try {
        wake.tryAcquire(Math.max(wait, 0), TimeUnit.NANOSECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
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
      Running run = new Running(task, heldUntil(asked));
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
    List<Running> held = running.values().stream().filter(r -> !r.lost).toList();
    if (held.isEmpty()) {
      return;
    }
    long asked = System.nanoTime();
    Instant now = now();
    Set<String> renewed =
        store.renew(held.stream().map(r -> r.claim).toList(), now.plus(settings.lease()), now);
    for (Running run : held) {
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
    for (Running run : running.values()) {
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
  private void lose(Running run, String why) {
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

  /**
   * The check bound to a handler's thread: each of its commits first locks its task's row and
   * finds the claim still this runner's, or fails.
   */
  private CommitFence fence(Running run) {
    return transaction -> {
      if (run.lost || run.stopping || !store.holdsClaim(transaction, run.claim)) {
        run.lost = true;
        throw new LostClaimException(run.claim, nodeId);
      }
    };
  }

  private void execute(Running run) {
    Task task = run.claim;
    CURRENT.set(run);
    try {
      if (task.attempts() > task.maxAttempts()) {
        runGiveUp(run);
        return;
      }
      String result = CommitFence.bind(fence(run), () -> handlers.get(task.kind()).run(task));
      run.ending = true;
      if (run.lost) {
        log.warn("task {} finished on {} after its claim was lost; not recorded", task.id(), nodeId);
      } else if (!store.succeed(task, result, now())) {
        log.warn("task {} succeeded on {} after its claim was lost", task.id(), nodeId);
      }
    } catch (Exception e) {
      run.ending = true;
      recordFailure(run, e);
    } finally {
      CURRENT.remove();
      running.remove(task.id());
      wake.release(); // a slot is free: claim more
    }
  }

  /**
   * The give-up run of a task whose node died on its last attempt: the handler's give-up step,
   * then FAILED. A node that dies here leaves the task to another give-up run.
   */
  private void runGiveUp(Running run) {
    Task task = run.claim;
    String error = task.lastError() == null ? "abandoned" : task.lastError();
    log.warn("task {} ({}) failed for good: {}", task.id(), task.kind(), error);
    giveUp(run, error);
    if (!run.lost && !store.fail(task, error, now())) {
      log.warn("task {} gave up on {} after its claim was lost", task.id(), nodeId);
    }
  }

  private void recordFailure(Running run, Exception e) {
    Task task = run.claim;
    try {
      Instant now = now();
      boolean recorded;
      if (run.lost) {
        log.info("task {} attempt {} ended on {} after losing its claim: {}", task.id(),
            task.attempts(), nodeId, describe(e));
        return;
      }
      if (run.stopping) {
        // It stopped because this runner is closing: not the task's fault, so hand it back
        // uncounted.
        recorded = store.release(task, now);
      } else if (task.attempts() >= task.maxAttempts()) {
        log.warn("task {} ({}) failed for good: {}", task.id(), task.kind(), describe(e));
        // Give up while the claim still holds, then record the failure: a node that dies in
        // between leaves the task RUNNING with no attempts left, and the next claim of it runs
        // the give-up step again (give-up steps are safe to repeat).
        giveUp(run, describe(e));
        recorded = !run.lost && store.fail(task, describe(e), now());
      } else {
        log.info(
            "task {} ({}) attempt {} failed: {}",
            task.id(),
            task.kind(),
            task.attempts(),
            describe(e));
        recorded = store.retry(task, describe(e), now.plus(retryDelay(task.attempts())), now);
      }
      if (!recorded) {
        log.warn("task {} failed on {} after its claim was lost", task.id(), nodeId);
      }
    } catch (RuntimeException storeError) {
      // The lease runs out and another runner retries the task: nothing is lost.
      log.warn(
          "task runner {} could not record the failure of task {}", nodeId, task.id(), storeError);
    }
  }

  private void giveUp(Running run, String error) {
    Task task = run.claim;
    try {
      CommitFence.bind(
          fence(run),
          () -> {
            handlers.get(task.kind()).onGiveUp(task, error);
            return null;
          });
    } catch (RuntimeException e) {
      log.warn("the give-up step of task {} ({}) failed", task.id(), task.kind(), e);
    }
  }

  /** Exponential backoff: retryBackoff after the first attempt, doubling, up to the maximum. */
  private Duration retryDelay(int attemptsSoFar) {
    Duration delay = settings.retryBackoff().multipliedBy(1L << Math.min(attemptsSoFar - 1, 20));
    return delay.compareTo(settings.maxRetryBackoff()) > 0 ? settings.maxRetryBackoff() : delay;
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
  }

  /** Truncated to microseconds, the precision both databases store. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Waits until no task is running or the timeout has passed, whichever comes first. */
  private void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      Optional<Running> any = running.values().stream().findAny();
      if (any.isEmpty()) {
        return;
      }
      join(any.get().thread, Duration.ofNanos(deadline - System.nanoTime()));
    }
  }

  /** One claim this runner is running: the claim, its thread, and how long its lease holds. */
  private static final class Running {
    final Task claim;
    volatile Thread thread;
    /** Monotonic ({@link System#nanoTime()}) time until which the lease surely holds. */
    volatile long heldUntilNanos;
    /** Set once the claim is lost; the handler's commits fail from then on. */
    volatile boolean lost;
    /** Set when the runner closes before the handler ended; its commits fail from then on. */
    volatile boolean stopping;
    /**
     * Set once the handler has returned and its outcome is being recorded: a renewal that then
     * finds the task no longer claimed has met the task's own end, not a takeover (recording the
     * outcome checks the claim itself).
     */
    volatile boolean ending;

    Running(Task claim, long heldUntilNanos) {
      this.claim = claim;
      this.heldUntilNanos = heldUntilNanos;
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
