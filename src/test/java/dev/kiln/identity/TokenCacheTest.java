package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.identity.Scope.Unscoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void entryIsAnsweredOnlyAtTheRevisionItWasWorkedOutAt() {
    TokenCache cache = new TokenCache(10);
    TokenInfo info = info(NOW.plus(Duration.ofHours(1)));
    cache.put("t1", info, 7, NOW);

    assertThat(cache.get("t1", 7, NOW)).isSameAs(info);
    assertThat(cache.get("t1", 8, NOW)).isNull();
    assertThat(cache.get("t2", 7, NOW)).isNull();
  }

  @Test
  void expiredTokenIsNeverAnswered() {
    TokenCache cache = new TokenCache(10);
    Instant expiry = NOW.plus(Duration.ofMinutes(5));
    cache.put("t1", info(expiry), 1, NOW);

    assertThat(cache.get("t1", 1, expiry.minusNanos(1000))).isNotNull();
    assertThat(cache.get("t1", 1, expiry)).isNull();
    assertThat(cache.get("t1", 1, expiry.plusSeconds(1))).isNull();
  }

  @Test
  void validationWorkedOutBeforeANewerRevisionIsNotKept() {
    TokenCache cache = new TokenCache(10);
    cache.put("fresh", info(NOW.plusSeconds(60)), 5, NOW);

    cache.put("late", info(NOW.plusSeconds(60)), 4, NOW);

    assertThat(cache.get("late", 4, NOW)).isNull();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void removedTokenIsForgotten() {
    TokenCache cache = new TokenCache(10);
    cache.put("t1", info(NOW.plusSeconds(60)), 1, NOW);

    cache.remove("t1");

    assertThat(cache.get("t1", 1, NOW)).isNull();
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    TokenCache cache = new TokenCache(100);
    for (int i = 0; i < 1_000; i++) {
      cache.put("t" + i, info(NOW.plusSeconds(60)), 1, NOW);
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
    assertThat(cache.get("t999", 1, NOW)).isNotNull(); // the newest one is kept
  }

  @Test
  void whenFullStaleEntriesGoFirst() {
    TokenCache cache = new TokenCache(4);
    cache.put("old-1", info(NOW.plusSeconds(60)), 1, NOW);
    cache.put("old-2", info(NOW.plusSeconds(60)), 1, NOW);
    cache.put("expired", info(NOW.plusSeconds(1)), 2, NOW);
    cache.put("live", info(NOW.plusSeconds(60)), 2, NOW);

    cache.put("new", info(NOW.plusSeconds(60)), 2, NOW.plusSeconds(2));

    assertThat(cache.get("live", 2, NOW.plusSeconds(2))).isNotNull();
    assertThat(cache.get("new", 2, NOW.plusSeconds(2))).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
  }

  private static TokenInfo info(Instant expiresAt) {
    Domain domain = new Domain("default", "Default", "", true, NOW);
    User user = new User("u1", "someone", "default", null, null, "", true, NOW);
    return new TokenInfo(
        user, domain, new Unscoped(), null, null, List.of(), List.of("password"), "audit", NOW, expiresAt, null, null, null);
  }
}
