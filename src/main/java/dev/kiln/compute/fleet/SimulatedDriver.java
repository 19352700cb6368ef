package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The hypervisor driver of Kiln's simulated fleet: nothing runs, but every operation takes the
 * latency its {@link DriverSetting} says and fails when fault injection says so ({@link
 * DriverSettings}), so that users can test their tools' slow and error paths. Settings are read
 * from the database at each call, so a change through {@code os-kiln-faults} on one node applies
 * to calls on every node.
 */
public final class SimulatedDriver implements HypervisorDriver {
  /** Waits out an operation's latency; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL =
        duration -> {
          try {
            Thread.sleep(duration);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a simulated hypervisor operation", e);
          }
        };

    void sleep(Duration duration);
  }

  private final DriverSettings settings;
  private final Predicate<String> knownHost;
  private final Sleeper sleeper;

  /**
   * @param knownHost whether a host is part of the fleet; calls on other hosts are a caller's bug
   */
  public SimulatedDriver(DriverSettings settings, Predicate<String> knownHost, Sleeper sleeper) {
    this.settings = requireNonNull(settings, "settings is null");
    this.knownHost = requireNonNull(knownHost, "knownHost is null");
    this.sleeper = requireNonNull(sleeper, "sleeper is null");
  }

  @Override
  public void spawn(SpawnRequest request) {
    perform(DriverOperation.SPAWN, request.instance().instanceId(), request.instance().host());
  }

  @Override
  public void destroy(InstanceRef instance) {
    perform(DriverOperation.DESTROY, instance);
  }

  @Override
  public void reboot(InstanceRef instance, RebootType type) {
    requireNonNull(type, "type is null");
    perform(DriverOperation.REBOOT, instance);
  }

  @Override
  public void powerOn(InstanceRef instance) {
    perform(DriverOperation.POWER_ON, instance);
  }

  @Override
  public void powerOff(InstanceRef instance) {
    perform(DriverOperation.POWER_OFF, instance);
  }

  @Override
  public void pause(InstanceRef instance) {
    perform(DriverOperation.PAUSE, instance);
  }

  @Override
  public void unpause(InstanceRef instance) {
    perform(DriverOperation.UNPAUSE, instance);
  }

  @Override
  public void suspend(InstanceRef instance) {
    perform(DriverOperation.SUSPEND, instance);
  }

  @Override
  public void resume(InstanceRef instance) {
    perform(DriverOperation.RESUME, instance);
  }

  @Override
  public void rebuild(RebuildRequest request) {
    perform(DriverOperation.REBUILD, request.instance());
  }

  @Override
  public void resize(MigrationRequest request) {
    perform(DriverOperation.RESIZE, request.instanceId(), request.sourceHost(), request.destinationHost());
  }

  @Override
  public void migrate(MigrationRequest request) {
    perform(DriverOperation.MIGRATE, request.instanceId(), request.sourceHost(), request.destinationHost());
  }

  @Override
  public void confirmMigration(MigrationRequest request) {
    perform(
        DriverOperation.CONFIRM_MIGRATION, request.instanceId(), request.sourceHost(), request.destinationHost());
  }

  @Override
  public void revertMigration(MigrationRequest request) {
    perform(
        DriverOperation.REVERT_MIGRATION, request.instanceId(), request.sourceHost(), request.destinationHost());
  }

  @Override
  public void attachInterface(InterfaceRequest request) {
    perform(DriverOperation.ATTACH_INTERFACE, request.instance());
  }

  @Override
  public void detachInterface(InterfaceRequest request) {
    perform(DriverOperation.DETACH_INTERFACE, request.instance());
  }

  @Override
  public void snapshot(InstanceRef instance) {
    perform(DriverOperation.SNAPSHOT, instance);
  }

  @Override
  public void rescue(InstanceRef instance, String rescueImageId) {
    requireNonNull(rescueImageId, "rescueImageId is null");
    perform(DriverOperation.RESCUE, instance);
  }

  @Override
  public void unrescue(InstanceRef instance) {
    perform(DriverOperation.UNRESCUE, instance);
  }

  @Override
  public void attachVolume(VolumeRequest request) {
    perform(DriverOperation.ATTACH_VOLUME, request.instance());
  }

  @Override
  public void detachVolume(VolumeRequest request) {
    perform(DriverOperation.DETACH_VOLUME, request.instance());
  }

  @Override
  public void extendVolume(VolumeRequest request) {
    perform(DriverOperation.EXTEND_VOLUME, request.instance());
  }

  @Override
  public void liveMigrate(LiveMigrationRequest request) {
    perform(DriverOperation.LIVE_MIGRATE, request.instanceId(), request.sourceHost(), request.destinationHost());
  }

  private void perform(DriverOperation operation, InstanceRef instance) {
    perform(operation, instance.instanceId(), instance.host());
  }

  /** Takes the operation's latency, then fails if fault injection decides so. */
  private void perform(DriverOperation operation, String instanceId, String... hosts) {
    for (String host : hosts) {
      if (!knownHost.test(host)) {
        throw new IllegalArgumentException(
            operation.apiName() + " of instance " + instanceId + " on " + host
                + ": not a compute host of this fleet");
      }
    }
    DriverSettings.Outcome outcome = settings.decide(operation, hosts);
    if (!outcome.latency().isZero()) {
      sleeper.sleep(outcome.latency());
    }
    if (outcome.failure() != null) {
      String where = hosts.length == 1 || hosts[0].equals(hosts[1]) ? hosts[0] : hosts[0] + " -> " + hosts[1];
      String message =
          outcome.failure().isEmpty()
              ? "Simulated failure of " + operation.apiName() + " for instance " + instanceId + " on " + where
                  + " (injected through os-kiln-faults)."
              : outcome.failure();
      throw new HypervisorException(operation, hosts[hosts.length - 1], message, true);
    }
  }
}
