package dev.kiln.orchestration.engine.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a walk ended, vertex by vertex.
 *
 * @param succeeded visited without error
 * @param failed visited, with the error each visit threw
 * @param notRun never visited: a dependency failed, or the walk stopped, timed out or was
 *     cancelled first
 * @param abandoned still running when the walk gave up on them after a timeout or cancel
 */
public record WalkResult<V>(
    Set<V> succeeded,
    Map<V, Throwable> failed,
    Set<V> notRun,
    Set<V> abandoned,
    boolean timedOut,
    boolean cancelled) {

  public WalkResult {
    succeeded = Collections.unmodifiableSet(new LinkedHashSet<>(succeeded));
    failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    notRun = Collections.unmodifiableSet(new LinkedHashSet<>(notRun));
    abandoned = Collections.unmodifiableSet(new LinkedHashSet<>(abandoned));
  }

  /** Every vertex was visited without error. */
  public boolean complete() {
    return failed.isEmpty() && notRun.isEmpty() && abandoned.isEmpty() && !timedOut && !cancelled;
  }
}
