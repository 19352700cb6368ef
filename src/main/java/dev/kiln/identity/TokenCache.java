package dev.kiln.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What validating a token found, kept in memory so that the next request with the same token
 * costs one indexed read instead of a handful. An entry is used only together with a fresh read of
 * the token's row (so a revoked token is refused at once) and only while identity's revision is
 * the one the entry was worked out at (so any change to users, projects, domains, roles or grants,
 * made on any node, is seen from the next request on). Expired tokens are never answered.
 *
 * <p>Where this process makes every commit (the embedded file), an entry is also stamped with the
 * count of commits to the token and revision tables read before the rows it was made from: while
 * that count stands, a fresh read would find the same row and revision, so the entry answers
 * without one ({@link #getUnchanged}).
 *
 * <p>Bounded: at most {@code capacity} entries (a few more while puts race); when full, entries of
 * an older revision or past their expiry go first, then arbitrary ones. A token keyed here is the
 * SHA-256 of its value, as in the database.
 */
final class TokenCache {
  private final int capacity;
  private final ConcurrentHashMap<String, Entry> entries;
  /** The newest revision an entry was stored at; older entries can never be used again. */
  private final AtomicLong newestRevision = new AtomicLong(Long.MIN_VALUE);

  TokenCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1024));
  }

  /** {@code changes}: the count of commits to the token tables read before the entry's rows; -1 when none is kept. */
  private record Entry(TokenInfo info, long revision, long changes) {}

  /**
   * The cached validation of a token, or null when there is none for this revision or the token
   * has expired by {@code now}.
   */
  TokenInfo get(String tokenHash, long revision, Instant now) {
    Entry entry = entries.get(tokenHash);
    if (entry == null || entry.revision() != revision || !now.isBefore(entry.info().expiresAt())) {
      return null;
    }
    return entry.info();
  }

  /**
   * The cached validation of a token that no commit to the token tables has come since it was read
   * ({@code changes} is the count now, never -1), or null; never one expired by {@code now}.
   */
  TokenInfo getUnchanged(String tokenHash, long changes, Instant now) {
    Entry entry = entries.get(tokenHash);
    if (entry == null || entry.changes() != changes || !now.isBefore(entry.info().expiresAt())) {
      return null;
    }
    return entry.info();
  }

  /** Keeps a validation worked out at {@code revision} (read before the rows it was made from). */
  void put(String tokenHash, TokenInfo info, long revision, Instant now) {
    put(tokenHash, info, revision, -1, now);
  }

  /**
   * Keeps a validation worked out at {@code revision}, the token tables' commit count having been
   * {@code changes} before that revision and the token's row were read.
   */
  void put(String tokenHash, TokenInfo info, long revision, long changes, Instant now) {
    requireNonNull(tokenHash, "tokenHash is null");
    requireNonNull(info, "info is null");
    long newest = newestRevision.accumulateAndGet(revision, Math::max);
    if (revision < newest) {
      return; // already stale: identity changed while it was being worked out
    }
    if (entries.size() >= capacity && !entries.containsKey(tokenHash)) {
      makeRoom(newest, now);
    }
    entries.put(tokenHash, new Entry(info, revision, changes));
  }

  void remove(String tokenHash) {
    entries.remove(tokenHash);
  }

  int size() {
    return entries.size();
  }

  /** Drops stale entries; if that frees too little, a quarter of the rest. */
  private void makeRoom(long newest, Instant now) {
    entries.values().removeIf(e -> e.revision() != newest || !now.isBefore(e.info().expiresAt()));
    int excess = entries.size() - (capacity - Math.max(1, capacity / 4));
    Iterator<String> keys = entries.keySet().iterator();
    while (excess-- > 0 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
