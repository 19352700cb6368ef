package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleHeapReleaseTest {
  private static final long MB = 1L << 20;
  private long cpu;
  private long committed = 40 * MB;
  private long old = 20 * MB;
  private int collections;
  private final IdleHeapRelease release =
      new IdleHeapRelease(() -> cpu, () -> committed, () -> old, () -> {
        collections++;
        committed = 50 * MB;
        old = 20 * MB;
      });

  private void seconds(int n, long cpuMillisEach) {
    for (int i = 0; i < n; i++) {
      cpu += TimeUnit.MILLISECONDS.toNanos(cpuMillisEach);
      release.tick();
    }
  }

  @Test
  void collectsOnceWhenQuietAfterTheHeapGrew() {
    seconds(10, 800);
    committed = 166 * MB;
    seconds(3, 900);
    assertThat(collections).isZero();

    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);
    assertThat(collections).isEqualTo(1);

    seconds(30, 1);
    assertThat(collections).isEqualTo(1);
  }

  @Test
  void neverCollectsWhileKilnWorks() {
    committed = 200 * MB;
    seconds(60, 300);

    assertThat(collections).isZero();
  }

  @Test
  void aQuietServerWhoseHeapDidNotGrowIsLeftAlone() {
    committed = 40 * MB + IdleHeapRelease.GROWTH_MB * MB;
    seconds(30, 0);

    assertThat(collections).isZero();
  }

  @Test
  void growthIsCountedFromTheSmallestHeapSinceTheLastCollection() {
    committed = 30 * MB; // the collector shrank the heap on its own
    seconds(2, 1);
    committed = 30 * MB + (IdleHeapRelease.GROWTH_MB + 1) * MB;
    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);

    assertThat(collections).isEqualTo(1);
  }

  @Test
  void collectsAgainWhenQuietOnceTheOldGenerationTookInGarbageSinceTheLastCollection() {
    committed = 166 * MB;
    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);
    assertThat(collections).isEqualTo(1);

    old += (IdleHeapRelease.PROMOTED_MB - 1) * MB; // a trickle of work: not yet
    seconds(IdleHeapRelease.SETTLE_SECONDS - 10, 1);
    assertThat(collections).isEqualTo(1);

    old += 2 * MB;
    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);
    assertThat(collections).isEqualTo(2);
  }

  @Test
  void promotionUnderLoadWaitsForQuiet() {
    old += 100 * MB;
    seconds(30, 300);
    assertThat(collections).isZero();

    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);
    assertThat(collections).isEqualTo(1);
  }

  @Test
  void collectsTheTailOfATrickleOnceAfterALongQuiet() {
    committed = 166 * MB;
    seconds(IdleHeapRelease.QUIET_SECONDS + 1, 1);
    assertThat(collections).isEqualTo(1);

    old += (IdleHeapRelease.PROMOTED_MB - 2) * MB; // under the threshold for a quick second one
    seconds(IdleHeapRelease.SETTLE_SECONDS + IdleHeapRelease.QUIET_SECONDS, 1);
    assertThat(collections).isEqualTo(2);

    seconds(300, 1); // idle: nothing promoted since
    assertThat(collections).isEqualTo(2);
  }

  @Test
  void aLongQuietWithNothingPromotedCollectsNothing() {
    old += IdleHeapRelease.SETTLE_MB * MB; // not more than the settle threshold
    seconds(300, 1);

    assertThat(collections).isZero();
  }

  @Test
  void workBetweenQuietSecondsStartsTheLongQuietAgain() {
    old += 3 * MB;
    seconds(IdleHeapRelease.SETTLE_SECONDS, 1);
    seconds(1, 900); // a request
    seconds(IdleHeapRelease.SETTLE_SECONDS - 2, 1);
    assertThat(collections).isZero();

    seconds(IdleHeapRelease.QUIET_SECONDS + 2, 1);
    assertThat(collections).isEqualTo(1);
  }
}
