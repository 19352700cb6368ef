package dev.kiln.compute.events;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.events.store.ExternalEventStore;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.VolumeRequest;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova's server external events: what other services tell Compute about its servers (a port
 * plugged, a volume grown). Each accepted event is recorded durably; {@link #of} reads a server's
 * events. An event is accepted as Nova accepts it: the server exists, has a host, and the event
 * carries a tag when its kind needs one.
 *
 * <p>A {@code volume-extended} event is also acted on, as Nova acts on it: an {@code
 * extend_volume} instance action on the server, whose {@code compute_extend_volume} event is the
 * driver telling the instance its volume grew.
 */
public final class ExternalEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalEvents.class);

  public static final String NETWORK_CHANGED = "network-changed";
  public static final String VIF_PLUGGED = "network-vif-plugged";
  public static final String VIF_UNPLUGGED = "network-vif-unplugged";
  public static final String VIF_DELETED = "network-vif-deleted";
  public static final String VOLUME_EXTENDED = "volume-extended";
  public static final String POWER_UPDATE = "power-update";

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String IN_PROGRESS = "in-progress";
  public static final List<String> STATUSES = List.of(FAILED, COMPLETED, IN_PROGRESS);

  /** Nova drops these without a tag: the tag says which volume or which power state. */
  private static final Set<String> TAG_REQUIRED = Set.of(VOLUME_EXTENDED, POWER_UPDATE);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;

  public ExternalEvents(Database db, Clock clock, IdGenerator ids, HypervisorDriver driver) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.driver = requireNonNull(driver, "driver is null");
  }

  /** Why an event was, or was not, accepted; the codes are the per-event codes Nova answers. */
  public enum Outcome {
    ACCEPTED(200),
    TAG_MISSING(400),
    SERVER_NOT_FOUND(404),
    NO_HOST(422);

    private final int code;

    Outcome(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * Records an event for a server if Compute accepts it, and answers why or why not. Events for
   * a server that does not exist, or that is on no host yet, are dropped, as Nova drops them.
   */
  public Outcome record(String serverId, String name, String tag, String status, ExternalEvent.Source source) {
    requireNonNull(serverId, "serverId is null");
    requireNonNull(name, "name is null");
    requireNonNull(status, "status is null");
    requireNonNull(source, "source is null");
    if (TAG_REQUIRED.contains(name) && tag == null) {
      return Outcome.TAG_MISSING;
    }
    Server server = new ServerStore(db.sql()).find(serverId).orElse(null);
    if (server == null) {
      LOG.debug("Dropping event {}:{} for unknown server {}", name, tag, serverId);
      return Outcome.SERVER_NOT_FOUND;
    }
    if (server.host() == null) {
      LOG.debug("Dropping event {}:{} for server {}, which is on no host", name, tag, serverId);
      return Outcome.NO_HOST;
    }
    ExternalEvent event = new ExternalEvent(ids.uuid(), serverId, name, tag, status, source, clock.instant().truncatedTo(ChronoUnit.MICROS));
    new ExternalEventStore(db.sql()).insert(event);
    LOG.info("ExternalEvent {}:{} for server {} from {}", name, tag, serverId, source.wireName());
    if (name.equals(VOLUME_EXTENDED)) {
      extendVolume(server, tag);
    }
    return Outcome.ACCEPTED;
  }

  /**
   * Records the {@code extend_volume} action (whatever the event's status, as Nova records it)
   * and has the driver tell the instance; a driver failure is the action event's error, not the
   * caller's: the volume has grown either way. Done within the call (Nova casts it to the host),
   * so the event is finished when the caller hears back.
   */
  private void extendVolume(Server server, String volumeId) {
    String requestId = InstanceAction.currentRequestId(ids);
    String event = "compute_extend_volume";
    Instant start = now();
    db.inTransaction(
        sql -> {
          InstanceActionStore actions = new InstanceActionStore(sql);
          if (actions.find(server.id(), requestId).isEmpty()) { // one action for a request's events
            actions.insert(server.id(), requestId, "extend_volume", server.projectId(), server.userId(), start);
          }
          actions.startEvent(server.id(), requestId, event, server.host(), start);
          return null;
        });
    String error = null;
    try {
      // As Nova's compute manager: the volume must be mapped to the server, else the event fails.
      BlockDevice mapping = new BlockDeviceStore(db.sql()).ofServerAndVolume(server.id(), volumeId).orElse(null);
      if (mapping == null) {
        error = "No volume Block Device Mapping with id " + volumeId + ".";
      } else {
        driver.extendVolume(new VolumeRequest(new InstanceRef(server.id(), server.host()), volumeId, mapping.deviceName()));
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not extend volume {} of server {}: {}", volumeId, server.id(), e.toString());
      error = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    new InstanceActionStore(db.sql()).finishEvent(server.id(), requestId, event, error, now());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** A server's recorded events, oldest first (also those of a server since deleted). */
  public List<ExternalEvent> of(String serverId) {
    return new ExternalEventStore(db.sql()).of(serverId);
  }
}
