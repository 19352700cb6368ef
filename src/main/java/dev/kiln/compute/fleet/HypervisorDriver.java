package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What Compute asks of a hypervisor, one call per step of a server's life, as Nova's virt driver
 * interface does. Each call either completes or throws {@link HypervisorException}, leaving the
 * instance as it was; calls block for as long as the operation takes, so callers run them on
 * virtual threads (a task step). Resource accounting is not the driver's business: the caller
 * claims capacity on the host first ({@link Fleet#claim}) and releases it after {@link #destroy}.
 */
public interface HypervisorDriver {

  /** Builds and starts an instance on {@code request.instance().host()}. */
  void spawn(SpawnRequest request);

  /** Stops and removes an instance from its host; destroying an instance that is gone succeeds. */
  void destroy(InstanceRef instance);

  void reboot(InstanceRef instance, RebootType type);

  void powerOn(InstanceRef instance);

  void powerOff(InstanceRef instance);

  void pause(InstanceRef instance);

  void unpause(InstanceRef instance);

  void suspend(InstanceRef instance);

  void resume(InstanceRef instance);

  /** Rebuilds the instance in place from an image, keeping its ports and volumes. */
  void rebuild(RebuildRequest request);

  /** Moves the instance to its new flavor (and maybe host), powered off until confirmed. */
  void resize(MigrationRequest request);

  /** Moves the instance to another host with its flavor (cold migration). */
  void migrate(MigrationRequest request);

  /** Finishes a resize or migration: the source copy goes. */
  void confirmMigration(MigrationRequest request);

  /** Undoes a resize or migration: the instance runs on the source with its old flavor. */
  void revertMigration(MigrationRequest request);

  void attachInterface(InterfaceRequest request);

  void detachInterface(InterfaceRequest request);

  void attachVolume(VolumeRequest request);

  void detachVolume(VolumeRequest request);

  /** Tells the instance one of its volumes grew (Block Storage extended it while attached). */
  void extendVolume(VolumeRequest request);

  /** Moves a running instance to another host. */
  void liveMigrate(LiveMigrationRequest request);

  /** Captures the instance's root disk for an image (Nova's driver snapshot). */
  void snapshot(InstanceRef instance);

  /** Boots the instance from a rescue image, its own disk attached as a second disk. */
  void rescue(InstanceRef instance, String rescueImageId);

  /** Boots the instance from its own disk again after a rescue. */
  void unrescue(InstanceRef instance);

  // What the calls take

  /** An instance on a host. */
  record InstanceRef(String instanceId, String host) {
    public InstanceRef {
      requireNonNull(instanceId, "instanceId is null");
      requireNonNull(host, "host is null");
    }
  }

  /**
   * @param imageId the image to boot, or null when booting from a volume
   * @param portIds the Networking ports plugged in, in order
   * @param volumeIds the Block Storage volumes attached, boot volume first
   */
  record SpawnRequest(
      InstanceRef instance,
      String name,
      Resources resources,
      String imageId,
      List<String> portIds,
      List<String> volumeIds) {
    public SpawnRequest {
      requireNonNull(instance, "instance is null");
      requireNonNull(name, "name is null");
      requireNonNull(resources, "resources is null");
      portIds = List.copyOf(portIds);
      volumeIds = List.copyOf(volumeIds);
    }
  }

  enum RebootType {
    SOFT,
    HARD
  }

  record RebuildRequest(InstanceRef instance, String imageId, boolean preserveEphemeral) {
    public RebuildRequest {
      requireNonNull(instance, "instance is null");
    }
  }

  /**
   * A resize or cold migration; for a migration the resources do not change, for a resize on one
   * host the hosts are the same.
   */
  record MigrationRequest(
      String instanceId, String sourceHost, String destinationHost, Resources oldResources, Resources newResources) {
    public MigrationRequest {
      requireNonNull(instanceId, "instanceId is null");
      requireNonNull(sourceHost, "sourceHost is null");
      requireNonNull(destinationHost, "destinationHost is null");
      requireNonNull(oldResources, "oldResources is null");
      requireNonNull(newResources, "newResources is null");
    }
  }

  record LiveMigrationRequest(
      String instanceId, String sourceHost, String destinationHost, boolean blockMigration) {
    public LiveMigrationRequest {
      requireNonNull(instanceId, "instanceId is null");
      requireNonNull(sourceHost, "sourceHost is null");
      requireNonNull(destinationHost, "destinationHost is null");
    }
  }

  /** @param macAddress the port's MAC, or null */
  record InterfaceRequest(InstanceRef instance, String portId, String macAddress) {
    public InterfaceRequest {
      requireNonNull(instance, "instance is null");
      requireNonNull(portId, "portId is null");
    }
  }

  /** @param device the device name such as {@code /dev/vdb}, or null to let the driver pick */
  record VolumeRequest(InstanceRef instance, String volumeId, String device) {
    public VolumeRequest {
      requireNonNull(instance, "instance is null");
      requireNonNull(volumeId, "volumeId is null");
    }
  }
}
