package dev.kiln.volume;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.BackupStore;
import dev.kiln.volume.store.GroupStore;
import dev.kiln.volume.store.VolumeServiceStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Making a volume, Cinder's create flow: the request is checked (one source at most: a snapshot,
 * a volume or an image; size, zone and type resolved as Cinder does), quota is reserved and the
 * volume recorded {@code creating} together with a durable task, which runs the backend's create
 * and leaves the volume {@code available}, or {@code error}.
 */
final class VolumeCreation {
  static final String CREATE_TASK = "volume.create";
  private static final Logger LOG = LoggerFactory.getLogger(VolumeCreation.class);

  private final Database db;
  private final Clock clock;
  private final VolumeTypes types;
  private final VolumeQuotas quotas;
  private final VolumeBackend backend;
  private final TaskRunner tasks;
  private final ImageCatalog images;
  private final UserMessages messages;

  VolumeCreation(
      Database db,
      Clock clock,
      VolumeTypes types,
      VolumeQuotas quotas,
      VolumeBackend backend,
      TaskRunner tasks,
      ImageCatalog images,
      UserMessages messages) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.types = requireNonNull(types, "types is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.backend = requireNonNull(backend, "backend is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.images = requireNonNull(images, "images is null");
    this.messages = requireNonNull(messages, "messages is null");
    tasks.register(
        CREATE_TASK,
        TaskHandler.withGiveUp(
            this::finishCreate,
            // The create could not even be tried (e.g. the database kept failing): say so.
            (task, error) -> {
              Volume volume = new VolumeStore(db.sql()).findVolume(volumeIdOf(task)).orElse(null);
              if (volume != null) {
                db.inTransaction(sql -> settle(sql, volume, Status.ERROR));
              }
            }));
  }

  /**
   * Checks the request, counts the volume against the project's quotas and records it {@code
   * creating} with the task that makes it, in one transaction; answers at once.
   */
  Volume create(Actor actor, Volumes.Spec spec, String id) {
    return create(actor, spec, id, false).volume();
  }

  /**
   * Like {@link #create(Actor, Volumes.Spec, String)}; a volume for a group ({@code spec.groupId()})
   * joins it only if the group is available, or also while it is being made when {@code
   * groupBeingMade} (the copies a group made from a source starts with).
   */
  Volumes.Created create(Actor actor, Volumes.Spec spec, String id, boolean groupBeingMade) {
    requireNonNull(id, "id is null");
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to create a volume.");
    }
    long sources =
        Stream.of(spec.snapshotId(), spec.sourceVolid(), spec.imageId(), spec.backupId()).filter(Objects::nonNull).count();
    if (sources > 1) {
      throw VolumeErrors.invalidInput("May specify only one of snapshot, imageRef, source_volume, backup");
    }
    VolumeStore reader = new VolumeStore(db.sql());
    Integer sourceSize = null;
    String sourceType = null;
    // A copy of a volume is bootable, and remembers its image, as its origin did.
    Volume origin = null;
    if (spec.snapshotId() != null) {
      Snapshot snapshot = reader.findSnapshot(spec.snapshotId())
          .filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(spec.snapshotId()));
      if (!snapshot.status().equals(Status.AVAILABLE)) {
        throw ServiceException.invalid(
            "InvalidSnapshot", "Invalid snapshot: Originating snapshot status must be one of 'available' values");
      }
      sourceSize = snapshot.size();
      origin = reader.findVolume(snapshot.volumeId()).orElse(null);
      sourceType = origin == null ? null : origin.volumeTypeId();
    }
    if (spec.sourceVolid() != null) {
      Volume source = reader.findVolume(spec.sourceVolid())
          .filter(v -> actor.owns(v.projectId()))
          .orElseThrow(() -> VolumeErrors.volumeNotFound(spec.sourceVolid()));
      if (!List.of(Status.AVAILABLE, Status.IN_USE).contains(source.status())) {
        throw VolumeErrors.invalidVolume("Source volume status must be available or in-use, it is " + source.status() + ".");
      }
      sourceSize = source.size();
      sourceType = source.volumeTypeId();
      origin = source;
    }
    if (spec.backupId() != null) {
      Backup backup = new BackupStore(db.sql()).find(spec.backupId())
          .filter(b -> actor.owns(b.projectId()))
          .orElseThrow(() -> Backups.backupNotFound(spec.backupId()));
      if (!backup.status().equals(Backup.Status.AVAILABLE)) {
        throw Backups.invalidBackup("Backup status must be available (it is " + backup.status() + ").");
      }
      sourceSize = backup.size();
    }
    ImageCatalog.ImageInfo image = spec.imageId() == null ? null : image(actor, spec.imageId());
    int size = spec.size() != null ? spec.size() : requireNonNullElse(sourceSize, 0);
    if (size < 1) {
      throw VolumeErrors.invalidInput(
          "'size' must be an integer and greater than 0 (got " + (spec.size() == null ? "none" : size) + ").");
    }
    if (sourceSize != null && size < sourceSize) {
      throw VolumeErrors.invalidInput(
          "Volume size '" + size + "'GB cannot be smaller than the source's size '" + sourceSize + "'GB.");
    }
    if (image != null) {
      VolumeImages.checkFits(image, size);
    }
    String zone = requireNonNullElse(spec.availabilityZone(), Volumes.AVAILABILITY_ZONE);
    if (!zone.equals(Volumes.AVAILABILITY_ZONE)) {
      throw ServiceException.invalid(
          "InvalidAvailabilityZone", "Availability zone '" + zone + "' is invalid; Kiln has '" + Volumes.AVAILABILITY_ZONE + "'.");
    }
    // Cinder takes the type the request names, else the one the image asks for in its
    // cinder_img_volume_type property, else the source's, else the default.
    String imageType = image == null ? null : image.properties().get(VolumeImages.VOLUME_TYPE_PROPERTY);
    VolumeType type =
        spec.volumeType() != null
            ? types.resolve(actor, spec.volumeType())
            : imageType != null
                ? types.resolve(actor, imageType)
                : sourceType != null ? types.find(sourceType).orElse(types.defaultType()) : types.defaultType();
    boolean multiattach = type.multiattach() || Boolean.TRUE.equals(spec.multiattach());
    Instant now = now();
    Volume volume =
        new Volume(
            id, actor.projectId(), actor.userId(), spec.name(), spec.description(), size, Status.CREATING,
            AttachStatus.DETACHED, type.id(), zone, multiattach, image != null || (origin != null && origin.bootable()),
            spec.sourceVolid(), spec.snapshotId(), requireNonNullElse(spec.metadata(), Map.of()), List.of(), now, now,
            image != null ? VolumeImages.metadataOf(image) : origin != null ? origin.imageMetadata() : Map.of(),
            Map.of(), spec.groupId());
    db.inTransaction(
        sql -> {
          if (spec.groupId() != null) {
            Groups.checkNewMember(sql, actor, spec.groupId(), type.id(), groupBeingMade);
          }
          // per_volume_gigabytes is checked here, with the limits the reservation reads anyway.
          quotas.reserveVolume(sql, actor.projectId(), size);
          new VolumeStore(sql).insertVolume(volume);
          // As Cinder's API does, the backup is taken for the restore at once, so one winner only.
          if (spec.backupId() != null
              && !new BackupStore(sql).startRestore(spec.backupId(), id, Backup.Status.RESTORING, Backup.Status.AVAILABLE, now)) {
            throw Backups.invalidBackup("Backup status must be available.");
          }
          // The request id goes with the task: a user message about this create names it.
          String requestId = requireNonNullElse(MDC.get("request_id"), "req-" + id);
          return tasks.submit(
              sql, CREATE_TASK,
              "{\"volume_id\": \"" + volume.id() + "\", \"request_id\": \"" + requestId + "\""
                  + (spec.backupId() == null ? "" : ", \"backup_id\": \"" + spec.backupId() + "\"") + "}",
              now, 3);
        });
    tasks.wake();
    return new Volumes.Created(volume, type);
  }

  /**
   * The image a volume is to be made from, as Cinder finds it: by id, else by name (one match
   * only); any other reference is invalid input.
   */
  private ImageCatalog.ImageInfo image(Actor actor, String ref) {
    Optional<ImageCatalog.ImageInfo> byId = images.find(actor, ref);
    if (byId.isPresent()) {
      return byId.get();
    }
    List<ImageCatalog.ImageInfo> byName = images.named(actor, ref);
    if (byName.size() > 1) {
      throw ServiceException.conflict(
          "Conflict", "Multiple matches found for '" + ref + "', use an ID to be more specific.");
    }
    if (byName.isEmpty()) {
      throw VolumeErrors.invalidInput("Invalid image identifier or unable to access requested image.");
    }
    return byName.getFirst();
  }

  /**
   * Schedules and runs the backend's create; the volume ends {@code available}, or {@code error}
   * if it failed. When no backend can take the volume (the only one is disabled, or the type asks
   * for capabilities it does not have) the volume goes to {@code error} with a user message, in
   * one transaction, as Cinder's scheduler leaves it.
   */
  private String finishCreate(Task task) {
    String id = volumeIdOf(task);
    Volume volume = new VolumeStore(db.sql()).findVolume(id).orElse(null);
    if (volume == null || !volume.status().equals(Status.CREATING)) {
      return null; // deleted meanwhile, or an earlier attempt finished
    }
    String unplaced = unplaceable(volume);
    if (unplaced != null) {
      LOG.warn("Volume {} failed to create: no valid backend ({})", id, unplaced);
      String requestId = requestIdOf(task, id);
      db.inTransaction(sql -> {
        if (settle(sql, volume, Status.ERROR)) {
          messages.noValidBackend(sql, volume, requestId);
          releaseBackup(sql, task);
        }
        return null;
      });
      return null;
    }
    String outcome = Status.AVAILABLE;
    try {
      backend.create(volume);
    } catch (RuntimeException e) {
      LOG.warn("Volume {} failed to create: {}", id, e.getMessage());
      outcome = Status.ERROR;
    }
    String backupId = backupIdOf(task);
    if (backupId == null && volume.groupId() == null) {
      // What settle does for a volume of no group, as one statement without a transaction: the
      // path of nearly every create.
      new VolumeStore(db.sql()).transition(id, List.of(Status.CREATING), outcome, AttachStatus.DETACHED, now());
      return null;
    }
    if (backupId == null) {
      String settled = outcome;
      db.inTransaction(sql -> settle(sql, volume, settled));
      return null;
    }
    // From a backup: the made volume goes on to restoring-backup and the restore writes the data.
    String made = outcome;
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      if (made.equals(Status.ERROR)) {
        if (settle(sql, volume, Status.ERROR)) {
          releaseBackup(sql, task);
        }
      } else if (store.transition(id, List.of(Status.CREATING), Backup.VolumeStatus.RESTORING_BACKUP, AttachStatus.DETACHED, now())) {
        tasks.submit(sql, BackupRestores.RESTORE_TASK, Backups.idPayload(backupId), now(), 3);
      }
      return null;
    });
    tasks.wake();
    return null;
  }

  /**
   * Moves a volume out of {@code creating}; answers whether it was still there. A volume of a group
   * that is itself still {@code creating} (a copy {@link Groups#createFromSource} made) may be the
   * last to finish, and then finishes the group in the same commit: the group's row is locked
   * first, in the order every other group change takes them.
   */
  private boolean settle(Sql sql, Volume volume, String status) {
    if (volume.groupId() != null) {
      new GroupStore(sql).lockGroup(volume.groupId());
    }
    boolean moved =
        new VolumeStore(sql).transition(volume.id(), List.of(Status.CREATING), status, AttachStatus.DETACHED, now());
    if (moved && volume.groupId() != null) {
      Groups.finishIfCopiesSettled(sql, volume.groupId(), now());
    }
    return moved;
  }

  /** Gives back the backup a failed create from a backup had taken. */
  private void releaseBackup(Sql sql, Task task) {
    String backupId = backupIdOf(task);
    if (backupId != null) {
      new BackupStore(sql).endRestore(backupId, Backup.Status.RESTORING, Backup.Status.AVAILABLE, now());
    }
  }

  private static String backupIdOf(Task task) {
    return TaskPayloads.field(task, "backup_id");
  }

  /** Why no backend can take the volume, or null if the backend can. */
  private String unplaceable(Volume volume) {
    if (backendDisabled()) {
      return "cinder-volume is disabled";
    }
    Map<String, String> specs = types.find(volume.volumeTypeId()).map(VolumeType::extraSpecs).orElse(Map.of());
    if (!BackendCapabilities.satisfies(specs)) {
      return "the backend lacks capabilities volume type " + volume.volumeTypeId() + " asks for";
    }
    return null;
  }

  private static String requestIdOf(Task task, String volumeId) {
    return requireNonNullElse(TaskPayloads.field(task, "request_id"), "req-" + volumeId);
  }

  private boolean backendDisabled() {
    return !new VolumeServiceStore(db.sql()).anyEnabled(VolumeServices.VOLUME);
  }

  private static String volumeIdOf(Task task) {
    return TaskPayloads.field(task, "volume_id");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
