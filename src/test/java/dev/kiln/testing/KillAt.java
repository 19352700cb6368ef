package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.CommitFence;
import dev.kiln.store.Sql;

/**
 * A kill -9 at a chosen commit of some in-process work: a commit fence that lets that many commits
 * through and throws {@link Killed}, an {@link Error}, at the next one (and any after). The commit
 * rolls back and no catch of a {@code RuntimeException} in the code it leaves runs, as nothing runs
 * in a process killed there. Loop over the commits from 0 until the work finishes unkilled.
 */
public final class KillAt implements CommitFence {
  /** More commits than any one operation the tests kill makes: a loop that reaches it is broken. */
  private static final int MOST_COMMITS = 60;

  private final int commit;
  private int passed;

  private KillAt(int commit) {
    this.commit = commit;
  }

  /** Thrown at the commit a kill lands on. */
  public static final class Killed extends Error {
    Killed(int commit) {
      super("killed at commit " + commit, null, false, false);
    }
  }

  /** Work to kill. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * Runs {@code work} with a kill at its commit {@code commit} (0 is its first); answers whether
   * the kill came (false: the work finished in fewer commits). A refusal of the work's own (a 4xx
   * it answers after the kill) does not count: the kill came first.
   */
  public static boolean killedAt(int commit, Work work) throws Exception {
    assertThat(commit).as("commits tried").isLessThan(MOST_COMMITS);
    try {
      CommitFence.bind(new KillAt(commit), () -> {
        work.run();
        return null;
      });
      return false;
    } catch (Killed e) {
      return true;
    }
  }

  @Override
  public void check(Sql transaction) {
    if (passed >= commit) {
      throw new Killed(commit);
    }
    passed++;
  }
}
