package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.store.StackStore;
import dev.kiln.store.CommitFence;
import dev.kiln.store.Sql;

/**
 * The condition every change a stack operation's steps make in the other services must meet when
 * it commits: the root stack still runs this operation (its traversal), and the task running the
 * operation still holds its claim (the task runner's fence, when there is one).
 *
 * <p>Why: a step's work reaches Networking, Block Storage and Compute through their own
 * transactions, which the operation's {@link Journal} cannot fence. Without this, a delete that
 * took the stack over on one node could look for a port the superseded create on another node was
 * still making, find nothing, and finish; the port, committed a moment later, was left behind (and
 * a node that stalled past its lease could make a second one beside the one the node that took its
 * task over made). Checked in the committing transaction under the stack row's lock, whichever
 * commits first, the step's change or the take-over, the other sees it: the take-over's operation
 * finds what the step made, or the step's commit is refused and nothing was made.
 */
final class OperationFence implements CommitFence {
  private final CommitFence claim;
  private final String rootId;
  private final String traversal;

  private OperationFence(CommitFence claim, String rootId, String traversal) {
    this.claim = claim;
    this.rootId = requireNonNull(rootId, "rootId is null");
    this.traversal = requireNonNull(traversal, "traversal is null");
  }

  /**
   * The fence for the steps of operation {@code traversal} on root stack {@code rootId}, around the
   * calling thread's own (the task's claim, or a nested walk's operation fence, which it reuses).
   */
  static OperationFence around(String rootId, String traversal) {
    CommitFence current = CommitFence.current();
    if (current instanceof OperationFence same && same.rootId.equals(rootId) && same.traversal.equals(traversal)) {
      return same;
    }
    return new OperationFence(current, rootId, traversal);
  }

  /**
   * Locks the stack's row before the task's, as the journal's commits do (its own fence first, the
   * claim at its commit): one order, so a step's commit and the journal's never wait on each other.
   */
  @Override
  public void check(Sql transaction) {
    if (!new StackStore(transaction).fence(rootId, traversal)) {
      throw new Journal.Superseded(rootId);
    }
    if (claim != null) {
      claim.check(transaction);
    }
  }
}
