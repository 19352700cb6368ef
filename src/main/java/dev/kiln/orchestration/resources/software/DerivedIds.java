package dev.kiln.orchestration.resources.software;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The ids a resource gives what it makes, derived from its row's uuid: a step repeated after a crash
 * (or a signal that comes before the step's outcome is stored) names the same config and deployment.
 */
final class DerivedIds {
  private DerivedIds() {}

  /** A config made for {@code action} of the step that started at {@code startedAt} (null: once per row). */
  static String config(String resourceId, String action, Instant startedAt) {
    return uuid("kiln-software-config:" + resourceId + ":" + action + ":" + startedAt);
  }

  static String deployment(String resourceId) {
    return uuid("kiln-software-deployment:" + resourceId);
  }

  private static String uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
