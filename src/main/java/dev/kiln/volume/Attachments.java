package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The attach/detach state machine, one record per attachment, shared by the v3 attachments API
 * (create = reserve, update = connect, complete, delete) and the legacy volume actions
 * (os-reserve … os-detach). Every change locks the volume's row, checks the states it expects,
 * writes with conditional updates, and then derives the volume's status from its attachments, so
 * no interleaving of requests attaches a non-multiattach volume twice or loses an attachment.
 *
 * <p>Why about 400 lines: the two APIs are two doors to one state machine; kept in one class, every
 * transition is next to the status derivation it ends with.
 */
public final class Attachments {
  public static final String ATTACHED = "attached";
  public static final String ATTACHING = "attaching";
  public static final String RESERVED = "reserved";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeBackend backend;

  public Attachments(Database db, Clock clock, IdGenerator ids, VolumeBackend backend) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.backend = requireNonNull(backend, "backend is null");
  }

  /**
   * A host's connector as the attachment needs it.
   *
   * @param json the connector object, as JSON text, kept as the attachment's specs
   * @param host the connector's {@code host}, shown as the attachment's host name
   * @param mountpoint the device the host will use ({@code /dev/vdb}), if the connector says
   */
  public record Connector(String json, String host, String mountpoint) {}

  // The attachments API

  /** Reserves the volume for an instance; with a connector, also connects it (attaching). */
  public Attachment create(Actor actor, String volumeId, String instanceUuid, Connector connector, String mode) {
    String attachMode = mode == null ? "rw" : mode;
    if (!attachMode.equals("rw") && !attachMode.equals("ro")) {
      throw VolumeErrors.invalidInput("attach mode must be 'rw' or 'ro', not '" + mode + "'.");
    }
    return onVolume(actor, volumeId, (store, volume) -> {
      reserveSlot(volume, instanceUuid);
      Instant now = now();
      Attachment attachment =
          new Attachment(
              ids.uuid(), volume.id(), volume.projectId(), instanceUuid, null, null, RESERVED, attachMode, null,
              null, null, now, now);
      store.insertAttachment(attachment);
      if (connector != null) {
        attachment = connect(store, volume, attachment, connector);
      }
      settle(store, LockedVolume.of(volume).putting(attachment));
      return attachment;
    });
  }

  /** Connects a reserved attachment to the host its connector describes. */
  public Attachment update(Actor actor, String attachmentId, Connector connector) {
    return onAttachment(actor, attachmentId, (store, volume, attachment) -> {
      if (attachment.attachStatus().equals(ATTACHED)) {
        throw ServiceException.invalid(
            "InvalidVolumeAttachMode", "Attachment " + attachmentId + " is already attached; delete it to connect again.");
      }
      Attachment connected = connect(store, volume, attachment, connector);
      settle(store, LockedVolume.of(volume).putting(connected));
      return connected;
    });
  }

  /** Marks a connected attachment as in use by its instance: the volume becomes in-use. */
  public Attachment complete(Actor actor, String attachmentId) {
    return onAttachment(actor, attachmentId, (store, volume, attachment) -> {
      if (attachment.attachStatus().equals(ATTACHED)) {
        return attachment;
      }
      // Cinder completes a reserved attachment too: Nova does so for a shelved-offloaded server,
      // whose volume is connected only when the server is unshelved.
      if (!attachment.attachStatus().equals(ATTACHING) && !attachment.attachStatus().equals(RESERVED)) {
        throw ServiceException.invalid(
            "InvalidAttachment",
            "Attachment " + attachmentId + " has no connection yet (it is " + attachment.attachStatus()
                + "); update it with a connector first.");
      }
      Instant now = now();
      Attachment done =
          attachment.with(ATTACHED, attachment.connector(), attachment.connectionInfo(), attachment.attachedHost(),
              attachment.mountpoint(), now, now);
      save(store, done, attachment);
      settle(store, LockedVolume.of(volume).putting(done));
      return done;
    });
  }

  /** Disconnects and removes an attachment; the volume is available again after its last one. */
  public void delete(Actor actor, String attachmentId) {
    onAttachment(actor, attachmentId, (store, volume, attachment) -> {
      remove(store, volume, LockedVolume.of(volume), attachment);
      return null;
    });
  }

  public Attachment visible(Actor actor, String attachmentId) {
    return new VolumeStore(db.sql())
        .findAttachment(attachmentId)
        .filter(a -> actor.owns(a.projectId()))
        .orElseThrow(() -> VolumeErrors.attachmentNotFound(attachmentId));
  }

  public List<Attachment> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns nothing here
    }
    return new VolumeStore(db.sql()).listAttachments(actor.admin() && allProjects ? null : actor.projectId());
  }

  // The legacy actions, on the same records

  /** os-reserve: holds the volume for an attach that will name its instance later. */
  public void reserve(Actor actor, String volumeId) {
    onVolume(actor, volumeId, (store, volume) -> {
      reserveSlot(volume, null);
      Instant now = now();
      Attachment reserved =
          new Attachment(ids.uuid(), volumeId, volume.projectId(), null, null, null, RESERVED, "rw", null, null, null, now, now);
      store.insertAttachment(reserved);
      settle(store, LockedVolume.of(volume).putting(reserved));
      return null;
    });
  }

  /** os-unreserve: gives up reservations that never got attached. */
  public void unreserve(Actor actor, String volumeId) {
    onVolume(actor, volumeId, (store, volume) -> {
      LockedVolume held = LockedVolume.of(volume);
      for (Attachment a : volume.attachments()) {
        if (!a.attachStatus().equals(ATTACHED)) {
          store.deleteAttachment(a.id());
          held = held.without(a);
        }
      }
      settle(store, held);
      return null;
    });
  }

  /**
   * os-initialize_connection: answers how the host reaches the volume, recording the connector on
   * the pending attachment when there is one.
   */
  public String initializeConnection(Actor actor, String volumeId, Connector connector) {
    return onVolume(actor, volumeId, (store, volume) -> {
      Optional<Attachment> pending = pending(volume, null);
      if (pending.isPresent()) {
        Attachment connected = connect(store, volume, pending.get(), connector);
        settle(store, LockedVolume.of(volume).putting(connected));
        return connected.connectionInfo();
      }
      if (volume.status().equals(Status.AVAILABLE) || volume.status().equals(Status.CREATING)) {
        throw VolumeErrors.invalidVolume("Volume " + volumeId + " is not reserved for an attach (os-reserve it first).");
      }
      return backend.initializeConnection(volume, null, "rw", connector.json());
    });
  }

  /** os-attach: the instance now uses the volume. */
  public Attachment attach(Actor actor, String volumeId, String instanceUuid, String hostName, String mountpoint, String mode) {
    return onVolume(actor, volumeId, (store, volume) -> {
      Instant now = now();
      Attachment pending = pending(volume, instanceUuid).orElse(null);
      if (pending == null) {
        reserveSlot(volume, instanceUuid);
        pending = new Attachment(ids.uuid(), volumeId, volume.projectId(), instanceUuid, null, null, RESERVED,
            mode == null ? "rw" : mode, null, null, null, now, now);
        store.insertAttachment(pending);
      }
      String attachMode = mode != null ? mode : pending.attachMode();
      if ("True".equals(volume.adminMetadata().get("readonly")) && !attachMode.equals("ro")) {
        throw ServiceException.invalid(
            "InvalidVolumeAttachMode",
            "Invalid attaching mode '" + attachMode + "' for volume " + volumeId + ": the volume is read-only.");
      }
      // The legacy flow names the instance only now (os-reserve has none): record it.
      Attachment attached =
          new Attachment(pending.id(), volumeId, volume.projectId(),
              instanceUuid != null ? instanceUuid : pending.instanceUuid(),
              hostName != null ? hostName : pending.attachedHost(), mountpoint, ATTACHED,
              attachMode, pending.connector(), pending.connectionInfo(), now,
              pending.createdAt(), now);
      save(store, attached, pending);
      settle(store, LockedVolume.of(volume).putting(attached));
      return attached;
    });
  }

  /** os-begin_detaching: an in-use volume is about to be detached. */
  public void beginDetaching(Actor actor, String volumeId) {
    onVolume(actor, volumeId, (store, volume) -> {
      if (!store.transition(volumeId, List.of(Status.IN_USE), Status.DETACHING, AttachStatus.DETACHING, now())) {
        throw VolumeErrors.invalidVolume("Volume status must be in-use to begin detaching, it is " + volume.status() + ".");
      }
      return null;
    });
  }

  /** os-roll_detaching: the detach did not happen; the volume is in-use again. */
  public void rollDetaching(Actor actor, String volumeId) {
    onVolume(actor, volumeId, (store, volume) -> {
      if (volume.status().equals(Status.DETACHING)) {
        settle(store, LockedVolume.of(volume));
      }
      return null;
    });
  }

  /** os-terminate_connection: the host no longer reaches the volume. */
  public void terminateConnection(Actor actor, String volumeId, Connector connector) {
    Volume volume = onVolume(actor, volumeId, (store, v) -> v);
    backend.terminateConnection(volume, connector.json());
  }

  /**
   * os-detach: removes one attachment (which one must be said when there are several). A volume
   * with none is simply made available again, as Cinder's volume manager does.
   */
  public void detach(Actor actor, String volumeId, String attachmentId) {
    onVolume(actor, volumeId, (store, volume) -> {
      if (attachmentId == null && volume.attachments().isEmpty()) {
        settle(store, LockedVolume.of(volume));
        return null;
      }
      remove(store, volume, LockedVolume.of(volume), pick(volume, attachmentId));
      return null;
    });
  }

  /** Admin's os-force_detach: disconnects and removes an attachment (or all), whatever its state. */
  public void forceDetach(Actor actor, String volumeId, String attachmentId) {
    onVolume(actor, volumeId, (store, volume) -> {
      LockedVolume held = LockedVolume.of(volume);
      if (attachmentId == null) {
        for (Attachment a : volume.attachments()) {
          held = remove(store, volume, held, a);
        }
      } else {
        remove(store, volume, held, pick(volume, attachmentId));
      }
      return null;
    });
  }

  // The machinery

  /**
   * Checks that the volume can take one more attachment: a volume that is not multiattach takes
   * one at a time; any volume takes one per instance.
   */
  private static void reserveSlot(Volume volume, String instanceUuid) {
    if (instanceUuid != null && volume.attachments().stream().anyMatch(a -> instanceUuid.equals(a.instanceUuid()))) {
      // As Cinder: a second attachment for the same instance is a move (live migration) making
      // its attachment on the destination host; it is allowed whatever the volume's status.
      return;
    }
    List<String> open =
        volume.multiattach()
            ? List.of(Status.AVAILABLE, Status.RESERVED, Status.ATTACHING, Status.IN_USE)
            : List.of(Status.AVAILABLE);
    if (!open.contains(volume.status())) {
      throw VolumeErrors.invalidVolume(
          "Volume status must be " + String.join(" or ", open) + " to reserve, but the current status is "
              + volume.status() + (volume.multiattach() ? "." : " and the volume is not multiattach."));
    }
  }

  private Attachment connect(VolumeStore store, Volume volume, Attachment attachment, Connector connector) {
    String mode = attachment.attachMode();
    String info = backend.initializeConnection(volume, attachment.id(), mode, connector.json());
    Attachment connected =
        attachment.with(
            ATTACHING, connector.json(), info, connector.host(),
            connector.mountpoint() != null ? connector.mountpoint() : attachment.mountpoint(), null, now());
    save(store, connected, attachment);
    return connected;
  }

  /** Disconnects and deletes one attachment; answers the volume as it is left. */
  private LockedVolume remove(VolumeStore store, Volume volume, LockedVolume held, Attachment attachment) {
    if (attachment.connector() != null) {
      backend.terminateConnection(volume, attachment.connector());
    }
    if (store.deleteAttachment(attachment.id()) != 1) {
      throw VolumeErrors.attachmentNotFound(attachment.id());
    }
    return settle(store, held.without(attachment));
  }

  private static void save(VolumeStore store, Attachment changed, Attachment read) {
    if (!store.updateAttachment(changed, read.attachStatus())) {
      throw ServiceException.conflict(
          "Conflict", "Attachment " + read.id() + " changed while it was being updated; retry.");
    }
  }

  /**
   * Derives the volume's state from its attachments: in-use while one is attached, attaching
   * while one is connecting (or a legacy reservation waits), reserved while only reservations
   * remain, available when none is left. Answers the volume as it is left.
   */
  private LockedVolume settle(VolumeStore store, LockedVolume volume) {
    String volumeId = volume.volumeId();
    List<Attachment> attachments = volume.attachments();
    String status;
    String attachStatus;
    if (attachments.stream().anyMatch(a -> a.attachStatus().equals(ATTACHED))) {
      status = Status.IN_USE;
      attachStatus = AttachStatus.ATTACHED;
    } else if (attachments.stream().anyMatch(a -> a.attachStatus().equals(ATTACHING) || a.instanceUuid() == null)) {
      status = Status.ATTACHING;
      attachStatus = AttachStatus.ATTACHING;
    } else if (!attachments.isEmpty()) {
      status = Status.RESERVED;
      attachStatus = AttachStatus.RESERVED;
    } else {
      status = Status.AVAILABLE;
      attachStatus = AttachStatus.DETACHED;
    }
    if (!store.transition(volumeId, List.of(volume.status()), status, attachStatus, now())) {
      throw ServiceException.conflict("Conflict", "Volume " + volumeId + " changed during the update; retry.");
    }
    return volume.withStatus(status);
  }

  private static Optional<Attachment> pending(Volume volume, String instanceUuid) {
    return volume.attachments().stream()
        .filter(a -> !a.attachStatus().equals(ATTACHED))
        .filter(a -> a.instanceUuid() == null || a.instanceUuid().equals(instanceUuid))
        .findFirst();
  }

  private static Attachment pick(Volume volume, String attachmentId) {
    if (attachmentId == null) {
      if (volume.attachments().size() == 1) {
        return volume.attachments().getFirst();
      }
      throw VolumeErrors.invalidVolume(
          "Volume " + volume.id() + " has " + volume.attachments().size()
              + " attachments; name the one to detach with attachment_id.");
    }
    return volume.attachments().stream()
        .filter(a -> a.id().equals(attachmentId))
        .findFirst()
        .orElseThrow(() -> VolumeErrors.attachmentNotFound(attachmentId));
  }

  /** Runs work on a locked volume the actor may use. */
  private <T> T onVolume(Actor actor, String volumeId, VolumeWork<T> work) {
    return db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Volume volume = store.lockVolume(volumeId)
          .filter(v -> actor.owns(v.projectId()))
          .orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
      return work.run(store, volume);
    });
  }

  /** Runs work on an attachment, under its volume's lock. */
  private <T> T onAttachment(Actor actor, String attachmentId, AttachmentWork<T> work) {
    Attachment seen = visible(actor, attachmentId);
    return onVolume(actor, seen.volumeId(), (store, volume) -> {
      Attachment current = volume.attachments().stream()
          .filter(a -> a.id().equals(attachmentId))
          .findFirst()
          .orElseThrow(() -> VolumeErrors.attachmentNotFound(attachmentId));
      return work.run(store, volume, current);
    });
  }

  @FunctionalInterface
  private interface VolumeWork<T> {
    T run(VolumeStore store, Volume volume);
  }

  @FunctionalInterface
  private interface AttachmentWork<T> {
    T run(VolumeStore store, Volume volume, Attachment attachment);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
