package dev.kiln.tasks;

/**
 * Thrown into a handler's commit when the runner no longer holds the task's claim (its lease ran
 * out, or another node took the task over): the commit is refused and rolled back, so two nodes
 * never both change what one task changes.
 */
public final class LostClaimException extends RuntimeException {
  LostClaimException(Task claim, String nodeId) {
    super(
        "task "
            + claim.id()
            + " ("
            + claim.kind()
            + ") attempt "
            + claim.attempts()
            + " is no longer claimed by node "
            + nodeId
            + "; its change is not committed");
  }
}
