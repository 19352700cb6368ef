package dev.kiln.orchestration.resources.volume;

import dev.kiln.orchestration.resources.ResourceContext;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The id a resource gives what it makes, drawn from the row's seeded randomness: every attempt of
 * one resource's create draws the same id, so a create repeated after a crash finds what the first
 * attempt made by that id instead of making a second one; a replacement, being a new row, draws a
 * new one.
 */
final class StableIds {
  private StableIds() {}

  /** A version-4-shaped UUID, as Cinder's ids are. */
  static String uuid(ResourceContext context) {
    RandomGenerator random = context.random();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
