package dev.kiln.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many commits have changed any of some tables since the database was opened: a cache of what
 * those tables hold may answer from memory while the count it read before its last read of them
 * stands. Only where this process makes every commit the database sees (the embedded file, which
 * H2 locks to one process): see {@link Database#countChanges}.
 *
 * <p>A commit is counted after H2 has made it visible and before its caller is answered, so a
 * reader that takes the count before reading the tables either reads the change or sees the count
 * move; a request that starts after the change was answered always sees the count moved.
 */
public final class ChangeCounter {
  private final Set<String> tables;
  private final AtomicLong count = new AtomicLong();

  ChangeCounter(Set<String> tables) {
    this.tables = Set.copyOf(requireNonNull(tables, "tables is null"));
  }

  /** The commits counted so far. */
  public long count() {
    return count.get();
  }

  /** Whether any of these row changes is to one of the counted tables. */
  boolean concerns(List<RedoEvents.RowChange> changes) {
    for (RedoEvents.RowChange change : changes) {
      if (tables.contains(change.table())) {
        return true;
      }
    }
    return false;
  }

  void committed() {
    count.incrementAndGet();
  }
}
