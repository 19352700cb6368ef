package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.fleet.Resources;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Nova server as Compute stores it: its state, where it runs, a snapshot of its flavor, and the
 * ports plugged into it.
 *
 * @param host null until scheduled
 * @param imageId null for a server booted from a volume
 * @param lockedReason why the server is locked (microversion 2.73), or null
 * @param fault null unless the server is in ERROR
 * @param reservationId shared by the servers one create request made (min_count/max_count)
 * @param launchIndex the server's place among them, from 0
 * @param attributes what the user sets that Compute only keeps and shows
 */
public record Server(
    String id,
    String projectId,
    String userId,
    String name,
    String description,
    String status,
    String taskState,
    String vmState,
    int powerState,
    String host,
    String availabilityZone,
    FlavorSnapshot flavor,
    String imageId,
    String keyName,
    String userData,
    Instant createdAt,
    Instant updatedAt,
    Instant launchedAt,
    boolean locked,
    String lockedReason,
    Fault fault,
    Map<String, String> metadata,
    List<PluggedPort> ports,
    String reservationId,
    int launchIndex,
    Attributes attributes) {

  public static final String BUILD = "BUILD";
  public static final String ACTIVE = "ACTIVE";
  public static final String ERROR = "ERROR";
  public static final String SHUTOFF = "SHUTOFF";
  public static final String PAUSED = "PAUSED";
  public static final String SUSPENDED = "SUSPENDED";
  public static final String REBOOT = "REBOOT";
  public static final String HARD_REBOOT = "HARD_REBOOT";
  public static final String RESCUE = "RESCUE";
  public static final String SHELVED = "SHELVED";
  public static final String SHELVED_OFFLOADED = "SHELVED_OFFLOADED";

  // Nova's power states
  public static final int POWER_RUNNING = 1;
  public static final int POWER_PAUSED = 3;
  public static final int POWER_SHUTDOWN = 4;

  public Server {
    requireNonNull(id, "id is null");
    attributes = attributes == null ? Attributes.NONE : attributes;
    metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    ports = List.copyOf(ports);
  }

  /** A server with no access addresses and a MANUAL disk. */
  public Server(
      String id, String projectId, String userId, String name, String description, String status, String taskState,
      String vmState, int powerState, String host, String availabilityZone, FlavorSnapshot flavor, String imageId,
      String keyName, String userData, Instant createdAt, Instant updatedAt, Instant launchedAt, boolean locked,
      String lockedReason, Fault fault, Map<String, String> metadata, List<PluggedPort> ports, String reservationId,
      int launchIndex) {
    this(id, projectId, userId, name, description, status, taskState, vmState, powerState, host, availabilityZone,
        flavor, imageId, keyName, userData, createdAt, updatedAt, launchedAt, locked, lockedReason, fault, metadata,
        ports, reservationId, launchIndex, Attributes.NONE);
  }

  /** The server with its metadata and plugged ports, which are read after its row. */
  public Server withDetails(Map<String, String> metadata, List<PluggedPort> ports) {
    return new Server(
        id, projectId, userId, name, description, status, taskState, vmState, powerState, host, availabilityZone,
        flavor, imageId, keyName, userData, createdAt, updatedAt, launchedAt, locked, lockedReason, fault, metadata,
        ports, reservationId, launchIndex, attributes);
  }

  /**
   * What a user sets on a server that Compute keeps and shows but does not act on: Nova's access
   * addresses and the disk config.
   *
   * @param accessIpv4 an IPv4 address, or null
   * @param accessIpv6 an IPv6 address, or null
   * @param diskConfig {@code AUTO} or {@code MANUAL}
   */
  public record Attributes(String accessIpv4, String accessIpv6, String diskConfig) {
    public static final Attributes NONE = new Attributes(null, null, "MANUAL");

    public Attributes {
      diskConfig = diskConfig == null ? "MANUAL" : diskConfig;
    }
  }

  /** The flavor as it was when the server was created (Nova embeds it in the instance). */
  public record FlavorSnapshot(
      String id, String name, int vcpus, int ramMb, int diskGb, int ephemeralGb, int swapMb, Map<String, String> extraSpecs) {
    public FlavorSnapshot {
      extraSpecs = Collections.unmodifiableMap(new TreeMap<>(extraSpecs));
    }

    public static FlavorSnapshot of(Flavor f) {
      return new FlavorSnapshot(f.id(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(), f.ephemeralGb(), f.swapMb(), f.extraSpecs());
    }

    public Resources resources(boolean bootFromVolume) {
      int swapGb = (swapMb + 1023) / 1024;
      return new Resources(vcpus, ramMb, (bootFromVolume ? 0 : diskGb) + ephemeralGb + swapGb);
    }
  }

  /** Why a server is in ERROR, as Nova's {@code fault}. */
  public record Fault(int code, String message, String details, Instant created) {}

  /** A port plugged into the server; Compute deletes the ones it created with the server. */
  public record PluggedPort(String portId, boolean ownedByCompute) {}
}
