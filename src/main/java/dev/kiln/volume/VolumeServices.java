package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.volume.store.VolumeServiceStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cinder's services as its admins see and steer them (os-services): Kiln's scheduler and backup
 * service on host {@code kiln} and its one simulated backend, {@code kiln@simulated}, whose single
 * pool holds every volume ({@code kiln@simulated#pool}). All run in-process, so they are always
 * up; an admin may disable (with a reason) and enable them, and freeze and thaw the backend's
 * host. A disabled backend places no new volume; a disabled backup service takes no new backup.
 */
public final class VolumeServices {
  public static final String SCHEDULER = "cinder-scheduler";
  public static final String VOLUME = "cinder-volume";
  public static final String BACKUP = "cinder-backup";
  public static final String HOST = "kiln";
  public static final String BACKEND = HOST + "@simulated";
  public static final String POOL = BACKEND + "#pool";

  private final Database db;
  private final Clock clock;

  public VolumeServices(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * One service.
   *
   * @param host {@code kiln} for the scheduler, {@code kiln@simulated} for the backend
   */
  public record Service(
      String binary, String host, String zone, boolean disabled, String disabledReason, boolean frozen, Instant updatedAt) {}

  /**
   * The services, filtered as Cinder filters them: {@code host} matches a host and the backends on
   * it ({@code kiln} matches {@code kiln@simulated}), {@code binary} exactly; null matches all.
   */
  public List<Service> list(Actor actor, String host, String binary) {
    requireAdmin(actor, "volume_extension:services:index");
    return store().all().stream()
        .filter(s -> host == null || s.host().equals(host) || s.host().startsWith(host + "@") || s.host().startsWith(host + "#"))
        .filter(s -> binary == null || s.binary().equals(binary))
        .toList();
  }

  /** Enables or disables a service; 404 when there is none with this host and binary. */
  public Service setDisabled(Actor actor, String host, String binary, boolean disabled, String reason) {
    requireAdmin(actor, "volume_extension:services:update");
    if (!store().setDisabled(binary, host, disabled, reason, now())) {
      throw ServiceException.notFound("ServiceNotFound", "Service " + binary + " on host " + host + " could not be found.");
    }
    return store().all().stream().filter(s -> s.binary().equals(binary) && s.host().equals(host)).findFirst().orElseThrow();
  }

  /**
   * Freezes (or thaws) the backends on a host: Cinder's failover preparation, which refuses
   * management changes on their volumes meanwhile. An unknown host is invalid input (400).
   */
  public void setFrozen(Actor actor, String host, boolean frozen) {
    requireAdmin(actor, "volume_extension:services:" + (frozen ? "freeze" : "thaw"));
    List<Service> backends = store().all().stream()
        .filter(s -> s.binary().equals(VOLUME))
        .filter(s -> host != null && (s.host().equals(host) || s.host().startsWith(host + "@")))
        .toList();
    if (backends.isEmpty()) {
      throw ServiceException.invalid("InvalidInput", "Invalid input received: Service host " + host + " could not be found.");
    }
    for (Service backend : backends) {
      if (backend.frozen() == frozen) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input received: host " + backend.host() + " is " + (frozen ? "already frozen" : "not frozen") + ".");
      }
      store().setFrozen(VOLUME, backend.host(), frozen, now());
    }
  }

  /**
   * What os-hosts shows of a backend host: its volumes and snapshots (count and GiB) in total and
   * per project. 404 unless the host runs an enabled cinder-volume.
   */
  public List<HostUsage> hostUsage(Actor actor, String host) {
    requireAdmin(actor, "volume_extension:hosts");
    boolean known = store().all().stream()
        .anyMatch(s -> s.binary().equals(VOLUME) && s.host().equals(host) && !s.disabled());
    if (!known) {
      throw ServiceException.notFound("HostNotFound", "Host " + host + " could not be found.");
    }
    VolumeStore volumes = new VolumeStore(db.sql());
    Map<String, long[]> perProject = new LinkedHashMap<>();
    long count = 0;
    long gigabytes = 0;
    for (Volume v : volumes.listVolumes(null)) {
      long[] usage = perProject.computeIfAbsent(v.projectId(), p -> new long[4]);
      usage[0]++;
      usage[1] += v.size();
      count++;
      gigabytes += v.size();
    }
    for (Snapshot s : volumes.listSnapshots(null)) {
      long[] usage = perProject.computeIfAbsent(s.projectId(), p -> new long[4]);
      usage[2]++;
      usage[3] += s.size();
    }
    List<HostUsage> out = new java.util.ArrayList<>();
    // Cinder's total row counts volumes only (its snapshot totals stay 0).
    out.add(new HostUsage(host, "(total)", count, gigabytes, 0, 0));
    perProject.forEach((project, u) -> out.add(new HostUsage(host, project, u[0], u[1], u[2], u[3])));
    return out;
  }

  /** One row of {@link #hostUsage}. */
  public record HostUsage(
      String host, String project, long volumeCount, long volumeGb, long snapshotCount, long snapshotGb) {}

  /** GiB the simulated pool offers; the free space is what its volumes leave of it. */
  public static final long POOL_CAPACITY_GB = 10240;

  /** GiB the volumes in the pool take. */
  public long allocatedGb(Actor actor) {
    requireAdmin(actor, "scheduler_extension:scheduler_stats:get_pools");
    return new VolumeStore(db.sql()).listVolumes(null).stream().mapToLong(Volume::size).sum();
  }

  private static void requireAdmin(Actor actor, String policy) {
    if (!actor.admin()) {
      throw VolumeTypes.policy(policy);
    }
  }

  private VolumeServiceStore store() {
    return new VolumeServiceStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
