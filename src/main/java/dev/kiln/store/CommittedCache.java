package dev.kiln.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Rows read outside a transaction, kept in memory while no commit has changed their tables, where
 * this process makes every commit (the embedded file: see {@link ChangeCounter}). Elsewhere, and
 * inside a transaction nested work joined (whose reads see its own uncommitted rows), every get
 * reads. What is absent is not kept.
 *
 * <p>For lookups a common request repeats and whose tables rarely change (a network by id, a
 * project's default security group): a port create reads both before it opens its transaction.
 * Bounded: when full, it starts over empty.
 */
public final class CommittedCache<K, V> {
  private final ChangeCounter changes;
  private final BooleanSupplier readsCommitted;
  private final int capacity;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  /** A value and the count of commits to its tables read before it was. */
  private record Entry<V>(V value, long count) {}

  CommittedCache(ChangeCounter changes, BooleanSupplier readsCommitted, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.changes = changes;
    this.readsCommitted = requireNonNull(readsCommitted, "readsCommitted is null");
    this.capacity = capacity;
  }

  /** The value kept for {@code key} while its tables are unchanged, else what {@code read} finds. */
  public Optional<V> get(K key, Function<K, Optional<V>> read) {
    if (changes == null || !readsCommitted.getAsBoolean()) {
      return read.apply(key);
    }
    // Read before the rows, so that a commit between the two shows as a moved count next time.
    long count = changes.count();
    Entry<V> kept = entries.get(key);
    if (kept != null && kept.count() == count) {
      return Optional.of(kept.value());
    }
    Optional<V> found = read.apply(key);
    found.ifPresent(value -> keep(key, value, count));
    return found;
  }

  private void keep(K key, V value, long count) {
    if (entries.size() >= capacity && !entries.containsKey(key)) {
      entries.clear();
    }
    entries.put(key, new Entry<>(value, count));
  }
}
