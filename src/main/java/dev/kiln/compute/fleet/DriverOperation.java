package dev.kiln.compute.fleet;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operations of the {@link HypervisorDriver}, each of which can be slowed down and made to
 * fail ({@link FaultRule}). The names are the ones the {@code os-kiln-faults} API and the {@code
 * --compute-fault} option use.
 */
public enum DriverOperation {
  SPAWN(4_000),
  DESTROY(1_000),
  REBOOT(2_000),
  POWER_ON(1_500),
  POWER_OFF(1_500),
  PAUSE(200),
  UNPAUSE(200),
  SUSPEND(1_500),
  RESUME(1_500),
  REBUILD(4_000),
  RESIZE(5_000),
  MIGRATE(5_000),
  CONFIRM_MIGRATION(500),
  REVERT_MIGRATION(2_000),
  ATTACH_INTERFACE(500),
  DETACH_INTERFACE(500),
  ATTACH_VOLUME(1_000),
  DETACH_VOLUME(1_000),
  EXTEND_VOLUME(500),
  LIVE_MIGRATE(6_000),
  SNAPSHOT(3_000),
  RESCUE(4_000),
  UNRESCUE(2_000);

  private final Duration realisticLatency;

  DriverOperation(long realisticMillis) {
    this.realisticLatency = Duration.ofMillis(realisticMillis);
  }

  /** The name users give: {@code spawn}, {@code power_off}, {@code live_migrate}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How long the operation takes in the "realistic" latency profile. */
  public Duration realisticLatency() {
    return realisticLatency;
  }

  public static Optional<DriverOperation> fromApiName(String name) {
    return Arrays.stream(values()).filter(op -> op.apiName().equals(name)).findFirst();
  }

  /** Every operation's API name, for messages. */
  public static List<String> apiNames() {
    return Arrays.stream(values()).map(DriverOperation::apiName).toList();
  }
}
