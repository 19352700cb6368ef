package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder volumes: create (asynchronously, through the task runner; {@link VolumeCreation} does
 * it), show, change, extend, retype and delete, with quotas held from the request until the volume
 * is gone.
 */
public final class Volumes {
  public static final String AVAILABILITY_ZONE = "nova";
  private static final Logger LOG = LoggerFactory.getLogger(Volumes.class);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeTypes types;
  private final VolumeQuotas quotas;
  private final VolumeBackend backend;
  private final VolumeCreation creation;
  private volatile VolumeEvents volumeEvents = VolumeEvents.NONE;

  public Volumes(
      Database db,
      Clock clock,
      IdGenerator ids,
      VolumeTypes types,
      VolumeQuotas quotas,
      VolumeBackend backend,
      TaskRunner tasks,
      ImageCatalog images,
      UserMessages messages) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.types = requireNonNull(types, "types is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.backend = requireNonNull(backend, "backend is null");
    this.creation = new VolumeCreation(db, clock, types, quotas, backend, tasks, images, messages);
  }

  /** Plugs in Compute's receiver of volume events; Compute is wired after Block Storage. */
  public void volumeEvents(VolumeEvents events) {
    this.volumeEvents = requireNonNull(events, "events is null");
  }

  /**
   * What a create asks for; null means "the default" or "from the source". At most one source:
   * a snapshot, a volume, an image (its id, or a name Cinder would look up) or a backup.
   */
  public record Spec(
      String name,
      String description,
      Integer size,
      String volumeType,
      String availabilityZone,
      Map<String, String> metadata,
      String snapshotId,
      String sourceVolid,
      Boolean multiattach,
      String imageId,
      String groupId,
      String backupId) {

    /** A volume made from no backup. */
    public Spec(
        String name, String description, Integer size, String volumeType, String availabilityZone,
        Map<String, String> metadata, String snapshotId, String sourceVolid, Boolean multiattach, String imageId,
        String groupId) {
      this(name, description, size, volumeType, availabilityZone, metadata, snapshotId, sourceVolid, multiattach, imageId, groupId, null);
    }

    /** A volume outside any group. */
    public Spec(
        String name, String description, Integer size, String volumeType, String availabilityZone,
        Map<String, String> metadata, String snapshotId, String sourceVolid, Boolean multiattach, String imageId) {
      this(name, description, size, volumeType, availabilityZone, metadata, snapshotId, sourceVolid, multiattach, imageId, null);
    }
  }

  /** A volume just recorded {@code creating}, with the type it was given (for the answer). */
  public record Created(Volume volume, VolumeType type) {}

  public Volume create(Actor actor, Spec spec) {
    return creation.create(actor, spec, ids.uuid());
  }

  /**
   * Like {@link #create(Actor, Spec)}, answering the type the volume was given as well: the API
   * shows its name, and need not read it again.
   */
  public Created createWithType(Actor actor, Spec spec) {
    return creation.create(actor, spec, ids.uuid(), false);
  }

  /** Creates a copy for a group that is still being made from a source (see {@link Groups#createFromSource}). */
  Volume createInGroup(Actor actor, Spec spec) {
    return creation.create(actor, spec, ids.uuid(), true).volume();
  }

  /**
   * Like {@link #create(Actor, Spec)}, with the new volume's id chosen by the in-process caller:
   * Orchestration derives it from the resource, so a create retried after a crash finds the volume
   * the first attempt made (a second insert of the id is refused by the primary key).
   */
  public Volume create(Actor actor, Spec spec, String id) {
    return creation.create(actor, spec, id);
  }

  public Volume visible(Actor actor, String id) {
    return new VolumeStore(db.sql())
        .findVolume(id)
        .filter(v -> actor.owns(v.projectId()))
        .orElseThrow(() -> VolumeErrors.volumeNotFound(id));
  }

  /** The actor's project's volumes; an admin asking for all projects gets every volume. */
  public List<Volume> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns nothing here
    }
    return new VolumeStore(db.sql()).listVolumes(actor.admin() && allProjects ? null : actor.projectId());
  }

  public Volume update(Actor actor, String id, String name, String description, Boolean bootable) {
    Volume old = visible(actor, id);
    new VolumeStore(db.sql())
        .updateDescription(
            id,
            name != null ? name : old.name(),
            description != null ? description : old.description(),
            bootable != null ? bootable : old.bootable(),
            now());
    return visible(actor, id);
  }

  /**
   * Sets metadata keys. {@code replace} drops the keys not given (PUT), otherwise they are kept
   * (POST), as Cinder's metadata API does.
   */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    Volume old = visible(actor, id);
    Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : old.metadata());
    merged.putAll(metadata);
    new VolumeStore(db.sql()).replaceMetadata(id, merged);
    return merged;
  }

  public void deleteMetadataKey(Actor actor, String id, String key) {
    Volume old = visible(actor, id);
    if (!old.metadata().containsKey(key)) {
      throw ServiceException.notFound("MetadataItemNotFound", "Metadata item " + key + " was not found.");
    }
    Map<String, String> remaining = new LinkedHashMap<>(old.metadata());
    remaining.remove(key);
    new VolumeStore(db.sql()).replaceMetadata(id, remaining);
  }

  /**
   * Deletes a volume that is not attached nor busy; with {@code cascade} its snapshots go too,
   * else a volume with snapshots is refused. The quota is released with it.
   */
  public void delete(Actor actor, String id, boolean cascade) {
    delete(actor, id, cascade, false);
  }

  /**
   * Admin's os-force_delete: deletes the volume whatever its status (creating, attaching, error,
   * maintenance...), as long as it is not attached; reservations that never attached go with it.
   */
  public void forceDelete(Actor actor, String id) {
    delete(actor, id, false, true);
  }

  /**
   * The statuses Cinder deletes a volume from without force: a volume a failed restore left
   * {@code error_restoring} can be deleted (Kiln's own extends and manages never fail that way, but
   * an admin's reset-state may set those statuses).
   */
  private static final List<String> DELETABLE =
      List.of(Status.AVAILABLE, Status.ERROR, Backup.VolumeStatus.ERROR_RESTORING, "error_extending", "error_managing");

  private void delete(Actor actor, String id, boolean cascade, boolean force) {
    Volume volume = visible(actor, id);
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          boolean attached =
              locked.attachStatus().equals(AttachStatus.ATTACHED)
                  || locked.attachments().stream().anyMatch(a -> a.attachStatus().equals(Attachments.ATTACHED));
          boolean busy = !force && (!locked.attachments().isEmpty() || !DELETABLE.contains(locked.status()));
          // A group's volume leaves only with its group (or after an update removes it), force or not.
          if (attached || busy || locked.groupId() != null) {
            throw VolumeErrors.invalidVolume(
                "Volume " + (force ? "" : "status must be available or error or error_restoring or error_extending or"
                    + " error_managing and ") + "must not be migrating, attached, belong to a group, have"
                    + " snapshots, awaiting a transfer, or be disassociated from snapshots after volume"
                    + " transfer (it is " + locked.status() + ").");
          }
          List<Snapshot> snapshots = store.snapshotsOf(id);
          if (!snapshots.isEmpty() && !cascade) {
            throw VolumeErrors.invalidVolume(
                "Volume " + id + " still has " + snapshots.size() + " dependent snapshots; delete them first or use cascade=true.");
          }
          for (Snapshot s : snapshots) {
            store.deleteSnapshot(s.id());
            quotas.release(sql, volume.projectId(), 0, s.size(), 1);
          }
          store.deleteAttachmentsOf(id);
          store.deleteVolume(id);
          quotas.release(sql, volume.projectId(), 1, volume.size(), 0);
          return null;
        });
    backend.delete(volume);
  }

  /**
   * Grows a volume. An available volume is extended; an in-use one only from microversion 3.42,
   * as Cinder allows. The new size must be larger, and within the gigabytes quota. The servers an
   * in-use volume is attached to hear {@code volume-extended}, as Cinder tells Nova.
   */
  public Volume extend(Actor actor, String id, int newSize, boolean inUseAllowed) {
    Volume volume = visible(actor, id);
    if (newSize <= volume.size()) {
      throw VolumeErrors.invalidInput(
          "New size for extend must be greater than current size. (current: " + volume.size() + ", extended: " + newSize + ").");
    }
    quotas.checkVolumeSize(volume.projectId(), newSize);
    List<String> allowed = inUseAllowed ? List.of(Status.AVAILABLE, Status.IN_USE) : List.of(Status.AVAILABLE);
    List<String> servers = db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          if (!allowed.contains(locked.status())) {
            throw VolumeErrors.invalidVolume(
                "Volume status must be " + String.join(" or ", allowed) + " to extend, but current status is: "
                    + locked.status() + ".");
          }
          quotas.reserve(sql, locked.projectId(), 0, newSize - locked.size(), 0);
          try {
            backend.extend(locked, newSize);
          } catch (RuntimeException e) {
            throw ServiceException.invalid("VolumeBackendAPIException", "Bad or unexpected response from the storage volume backend API: " + e.getMessage());
          }
          store.resize(id, newSize, locked.status(), now());
          if (!locked.status().equals(Status.IN_USE)) {
            return List.<String>of();
          }
          return store.attachmentsOf(id).stream()
              .filter(a -> a.instanceUuid() != null && a.attachStatus().equals(Attachments.ATTACHED))
              .map(Attachment::instanceUuid)
              .distinct()
              .toList();
        });
    for (String server : servers) {
      try {
        volumeEvents.send(server, VolumeEvents.VOLUME_EXTENDED, id);
      } catch (RuntimeException e) {
        // The volume has grown whatever Compute makes of the news, as with Cinder's notifier.
        LOG.warn("Could not tell Compute volume-extended for volume {} of server {}: {}", id, server, e.toString());
      }
    }
    return visible(actor, id);
  }

  /**
   * Changes a volume's type (Cinder's {@code os-retype} with migration policy {@code never}: Kiln has
   * one backend, so no data moves). The volume must be available or in-use and the type a different
   * one; a change of multiattach only while the volume is available, as Cinder rules.
   */
  public Volume retype(Actor actor, String id, String typeNameOrId) {
    visible(actor, id);
    VolumeType target = types.resolve(actor, typeNameOrId);
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          if (locked.multiattach() != target.multiattach() && !locked.status().equals(Status.AVAILABLE)) {
            throw VolumeErrors.invalidInput(
                "Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes,"
                    + " the specified volume however currently has a status of: " + locked.status() + ".");
          }
          if (target.id().equals(locked.volumeTypeId())
              || !store.retype(id, target.id(), target.multiattach(), List.of(Status.AVAILABLE, Status.IN_USE), now())) {
            throw VolumeErrors.invalidVolume(
                "Retype needs volume to be in available or in-use state, not be part of an active migration or a"
                    + " consistency group, requested type has to be different that the one from the volume, and for"
                    + " in-use volumes front-end qos specs cannot change.");
          }
          return null;
        });
    return visible(actor, id);
  }

  /** Admin's os-reset_status: sets the states as told, for repairing a stuck volume. */
  public void resetStatus(String id, String status, String attachStatus) {
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          store.transition(
              id,
              List.of(locked.status()),
              status != null ? status : locked.status(),
              attachStatus != null ? attachStatus : locked.attachStatus(),
              now());
          return null;
        });
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
