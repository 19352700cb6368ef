package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How the simulated driver performs one operation: how long it takes, and when it fails. */
public record DriverSetting(DriverOperation operation, Duration latency, FaultRule faults) {
  public DriverSetting {
    requireNonNull(operation, "operation is null");
    requireNonNull(latency, "latency is null");
    requireNonNull(faults, "faults is null");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency cannot be negative");
    }
  }
}
