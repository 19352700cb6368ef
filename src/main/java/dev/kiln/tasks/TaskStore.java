package dev.kiln.tasks;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL behind durable tasks: every read and write of the {@code task} table.
 *
 * <p>Every change after the claim is fenced on the claim it belongs to ({@code status =
 * 'RUNNING' AND claimed_by = ? AND attempts = ?}): a node that lost its lease, because it stalled
 * and another node reclaimed the task, can no longer record anything for that task.
 */
public final class TaskStore {
  private static final String COLUMNS =
      "id, kind, payload, status, attempts, max_attempts, run_after, claimed_by, lease_until,"
          + " last_error, result, created_at, updated_at";

  private final Database database;

  public TaskStore(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  /**
   * Inserts a new task through {@code sql}: pass the caller's transaction so that the task is
   * committed together with the change that needs it, or {@code database.sql()}.
   */
  public void insert(Sql sql, Task task) {
    sql.update(
        "INSERT INTO task (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        task.id(),
        task.kind(),
        task.payload(),
        task.status(),
        task.attempts(),
        task.maxAttempts(),
        task.runAfter(),
        task.claimedBy(),
        task.leaseUntil(),
        task.lastError(),
        task.result(),
        task.createdAt(),
        task.updatedAt());
  }

  public Optional<Task> find(String id) {
    return database
        .sql()
        .queryOne("SELECT " + COLUMNS + " FROM task WHERE id = ?", TaskStore::map, id);
  }

  /** {@link #claim(String, Collection, Instant, Instant, int, Collection)} excluding nothing. */
  public List<Task> claim(
      String nodeId, Collection<String> kinds, Instant now, Instant leaseUntil, int limit) {
    return claim(nodeId, kinds, now, leaseUntil, limit, List.of());
  }

  /**
   * Claims up to {@code limit} tasks of the given kinds for {@code nodeId}: QUEUED ones that are
   * due, and RUNNING ones whose lease has expired (their node died). Each claimed task is RUNNING
   * with one more attempt and a lease until {@code leaseUntil}. An expired task that had no
   * attempts left is claimed too, for its give-up run: its {@code attempts} then exceed {@code
   * maxAttempts}, and the runner calls the handler's give-up step rather than running it again, so
   * that what the task was building is settled even when its node died on the last attempt.
   *
   * <p>Tasks in {@code exclude} are left alone: the caller's own runner still has a thread on them
   * (a claim it lost but whose handler has not returned yet), and one node never runs one task
   * twice at once. Another node may take them.
   *
   * <p>SKIP LOCKED lets several nodes claim at once without waiting on each other's candidate
   * rows; the conditional UPDATE is what guarantees that a task is claimed by one node only,
   * whatever the isolation level.
   */
  public List<Task> claim(
      String nodeId,
      Collection<String> kinds,
      Instant now,
      Instant leaseUntil,
      int limit,
      Collection<String> exclude) {
    if (kinds.isEmpty() || limit <= 0) {
      return List.of();
    }
    String kindList = String.join(", ", Collections.nCopies(kinds.size(), "?"));
    // Not forced to the disk: a claim lost in a crash only means the task is claimed again, and
    // the handler's first commit forces the claim to the disk together with its own change.
    return database.inTransactionNotForcedToDisk(
        sql -> {
          // Two queries rather than one with an OR: each walks its own index (status, run_after
          // and status, lease_until) instead of the whole table with its finished tasks.
          List<Task> candidates =
              new ArrayList<>(
                  sql.query(
                      "SELECT " + COLUMNS + " FROM task WHERE status = 'QUEUED' AND run_after <= ?"
                          + " AND kind IN (" + kindList + ") ORDER BY run_after LIMIT ? FOR UPDATE SKIP LOCKED",
                      TaskStore::map,
                      claimArgs(now, kinds, limit)));
          if (candidates.size() < limit) {
            candidates.addAll(
                sql.query(
                    "SELECT " + COLUMNS + " FROM task WHERE status = 'RUNNING' AND lease_until < ?"
                        + " AND kind IN (" + kindList + ") ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED",
                    TaskStore::map,
                    claimArgs(now, kinds, limit - candidates.size())));
          }
          List<Task> claimed = new ArrayList<>();
          for (Task candidate : candidates) {
            if (exclude.contains(candidate.id())) {
              continue;
            }
            boolean abandoned = candidate.status() == TaskStatus.RUNNING;
            String error =
                abandoned && candidate.attempts() <= candidate.maxAttempts()
                    ? "attempt " + candidate.attempts() + " abandoned: node "
                        + candidate.claimedBy() + " stopped renewing its lease"
                    : candidate.lastError(); // a give-up run keeps the error it gives up on
            int changed =
                sql.update(
                    "UPDATE task SET status = 'RUNNING', attempts = attempts + 1, claimed_by = ?,"
                        + " lease_until = ?, last_error = ?, updated_at = ?"
                        + " WHERE id = ? AND status = ? AND attempts = ?"
                        + " AND (status = 'QUEUED' OR lease_until < ?)",
                    nodeId,
                    leaseUntil,
                    error,
                    now,
                    candidate.id(),
                    candidate.status(),
                    candidate.attempts(),
                    now);
            if (changed == 1) {
              claimed.add(
                  new Task(
                      candidate.id(),
                      candidate.kind(),
                      candidate.payload(),
                      TaskStatus.RUNNING,
                      candidate.attempts() + 1,
                      candidate.maxAttempts(),
                      candidate.runAfter(),
                      nodeId,
                      leaseUntil,
                      error,
                      null,
                      candidate.createdAt(),
                      now));
            }
          }
          return claimed;
        });
  }

  private static Object[] claimArgs(Instant now, Collection<String> kinds, int limit) {
    List<Object> args = new ArrayList<>();
    args.add(now);
    args.addAll(kinds);
    args.add(limit);
    return args.toArray();
  }

  /**
   * Extends the lease of each claim that still holds (RUNNING, by the same node, at the same
   * attempt), in one transaction.
   *
   * @return the ids of the tasks whose lease was extended; a claim not among them is lost
   */
  public Set<String> renew(Collection<Task> claims, Instant leaseUntil, Instant now) {
    if (claims.isEmpty()) {
      return Set.of();
    }
    // Not forced to the disk either: a renewal only matters while this node lives.
    return database.inTransactionNotForcedToDisk(
        sql -> {
          Set<String> renewed = new HashSet<>();
          for (Task claim : claims) {
            int changed =
                sql.update(
                    "UPDATE task SET lease_until = ?, updated_at = ?"
                        + " WHERE id = ? AND status = 'RUNNING' AND claimed_by = ? AND attempts = ?",
                    leaseUntil,
                    now,
                    claim.id(),
                    claim.claimedBy(),
                    claim.attempts());
            if (changed == 1) {
              renewed.add(claim.id());
            }
          }
          return renewed;
        });
  }

  /**
   * Whether {@code claim} still holds its task, checked in the caller's transaction with the
   * task's row locked until that transaction ends: a claim by another node waits for it, so a
   * change committed with this answer true was made while the claim held.
   */
  public boolean holdsClaim(Sql transaction, Task claim) {
    return transaction
        .queryOne(
            "SELECT id FROM task WHERE id = ? AND status = 'RUNNING' AND claimed_by = ?"
                + " AND attempts = ? FOR UPDATE",
            row -> row.getString("id"),
            claim.id(),
            claim.claimedBy(),
            claim.attempts())
        .isPresent();
  }

  /**
   * Ends the lease of every running task now, whoever claimed it, so that the next claim takes
   * each over at once (as it would once the lease had run out: the attempt counts, and a task that
   * was on its last attempt gets its give-up run). Only for a store no other live runner uses.
   *
   * @return how many leases were ended
   */
  public int endAllLeases(Instant now) {
    return database
        .sql()
        .update(
            "UPDATE task SET lease_until = ?, updated_at = ? WHERE status = 'RUNNING' AND lease_until >= ?",
            now.minusMillis(1),
            now,
            now.minusMillis(1));
  }

  /**
   * Deletes up to {@code limit} ended tasks: succeeded ones last changed before {@code
   * succeededBefore}, failed ones before {@code failedBefore}; answers how many it deleted.
   */
  public int purgeEnded(Instant succeededBefore, Instant failedBefore, int limit) {
    return database
        .sql()
        .update(
            "DELETE FROM task WHERE id IN (SELECT id FROM task WHERE (status = 'SUCCEEDED' AND updated_at < ?)"
                + " OR (status = 'FAILED' AND updated_at < ?) LIMIT ?)",
            succeededBefore,
            failedBefore,
            limit);
  }

  /**
   * Records the claimed task's success; false if this claim no longer holds the task. Not forced
   * to the disk: what the handler changed was forced by its own commits, and a success lost in a
   * crash only runs the handler once more, which finds its work done (a handler must allow that
   * anyway: a crash can come between its last commit and this one). The next forced commit, or
   * the redo log's next checkpoint within a second, makes it durable; meanwhile a request that
   * commits does not wait for a second fsync behind it.
   */
  public boolean succeed(Task claimed, String result, Instant now) {
    return database.inTransactionNotForcedToDisk(
        sql -> finishClaim(
            sql,
            claimed,
            "status = 'SUCCEEDED', lease_until = NULL, result = ?, last_error = NULL, updated_at = ?",
            result,
            now));
  }

  /** Puts the claimed task back in the queue to run again from {@code runAfter}. */
  public boolean retry(Task claimed, String error, Instant runAfter, Instant now) {
    return finishClaim(
        claimed,
        "status = 'QUEUED', lease_until = NULL, run_after = ?, last_error = ?, updated_at = ?",
        runAfter,
        error,
        now);
  }

  /** Records that the claimed task failed for good. */
  public boolean fail(Task claimed, String error, Instant now) {
    return finishClaim(
        claimed,
        "status = 'FAILED', lease_until = NULL, last_error = ?, updated_at = ?",
        error,
        now);
  }

  /**
   * Gives the claimed task back unfinished (its runner is shutting down), so that any runner can
   * claim it at once; the interrupted attempt is not counted.
   */
  public boolean release(Task claimed, Instant now) {
    return finishClaim(
        claimed,
        "status = 'QUEUED', lease_until = NULL, attempts = attempts - 1, run_after = ?,"
            + " updated_at = ?",
        now,
        now);
  }

  private boolean finishClaim(Task claimed, String assignments, Object... values) {
    return finishClaim(database.sql(), claimed, assignments, values);
  }

  private static boolean finishClaim(Sql sql, Task claimed, String assignments, Object... values) {
    List<Object> args = new ArrayList<>(Arrays.asList(values)); // values may be null
    args.add(claimed.id());
    args.add(claimed.claimedBy());
    args.add(claimed.attempts());
    int changed =
        sql
            .update(
                "UPDATE task SET " + assignments
                    + " WHERE id = ? AND status = 'RUNNING' AND claimed_by = ? AND attempts = ?",
                args.toArray());
    return changed == 1;
  }

  private static Task map(Sql.Row row) throws SQLException {
    return new Task(
        row.getString("id"),
        row.getString("kind"),
        row.getString("payload"),
        TaskStatus.valueOf(row.getString("status")),
        row.getInt("attempts"),
        row.getInt("max_attempts"),
        row.getInstant("run_after"),
        row.getString("claimed_by"),
        row.getInstant("lease_until"),
        row.getString("last_error"),
        row.getString("result"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"));
  }
}
