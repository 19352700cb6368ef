package dev.kiln.volume;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Backup.VolumeStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.BackupStore;
import dev.kiln.volume.store.VolumeServiceStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder volume backups, as Cinder's backup API and manager run them over a simulated backup
 * store: a create checks the volume (available, or in-use with force, or one of its available
 * snapshots), counts the backup against the {@code backups} and {@code backup_gigabytes} quotas,
 * moves the source to {@code backing-up} and records the backup {@code creating} together with a
 * durable task, in one transaction; the task copies and leaves the backup {@code available} and
 * the source as it was. Deletes run the same way through {@code deleting}. An incremental backup
 * builds on the latest available backup of the volume made by the same project, which then has a
 * dependent and refuses deletion until its dependents are gone. Restores are {@link
 * BackupRestores}; export and import of records are {@link BackupRecords}.
 */
public final class Backups {
  static final String CREATE_TASK = "backup.create";
  static final String DELETE_TASK = "backup.delete";
  /** Where backups go when the request names no container, as Cinder's object-store drivers. */
  public static final String DEFAULT_CONTAINER = "volumebackups";
  /** The simulated backup store keeps data in objects of this size, as Cinder's Swift driver does. */
  static final long OBJECT_MIB = 50;
  private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeQuotas quotas;
  private final TaskRunner tasks;

  public Backups(Database db, Clock clock, IdGenerator ids, VolumeQuotas quotas, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(CREATE_TASK, TaskHandler.withGiveUp(this::finishCreate, this::createFailed));
    tasks.register(DELETE_TASK, TaskHandler.withGiveUp(this::finishDelete, this::deleteFailed));
  }

  /**
   * Refuses a new backup while no cinder-backup service is enabled, as Cinder does when it finds
   * no backup host to send the backup to (503).
   */
  private static void requireBackupService(Sql sql) {
    if (!new VolumeServiceStore(sql).anyEnabled(VolumeServices.BACKUP)) {
      throw ServiceException.unavailable(
          "ServiceNotFound", "Service " + VolumeServices.BACKUP + " could not be found. (An admin disabled it; enable it"
              + " with PUT os-services/enable to take backups again.)");
    }
  }

  /** What a create asks for; null means "none" or "the default". */
  public record Spec(
      String volumeId,
      String snapshotId,
      String name,
      String description,
      String container,
      boolean incremental,
      boolean force,
      Map<String, String> metadata,
      String availabilityZone) {
    public Spec {
      requireNonNull(volumeId, "volumeId is null");
    }
  }

  public Backup create(Actor actor, Spec spec) {
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to create a backup.");
    }
    String zone = requireNonNullElse(spec.availabilityZone(), Volumes.AVAILABILITY_ZONE);
    if (!zone.equals(Volumes.AVAILABILITY_ZONE)) {
      throw ServiceException.invalid("InvalidAvailabilityZone",
          "Availability zone '" + zone + "' is invalid; Kiln's backup service runs in '" + Volumes.AVAILABILITY_ZONE + "'.");
    }
    Instant now = now();
    Backup backup = db.inTransaction(sql -> {
      VolumeStore volumes = new VolumeStore(sql);
      BackupStore backups = new BackupStore(sql);
      Volume volume = volumes.lockVolume(spec.volumeId())
          .filter(v -> actor.owns(v.projectId()))
          .orElseThrow(() -> VolumeErrors.volumeNotFound(spec.volumeId()));
      Snapshot snapshot = null;
      if (spec.snapshotId() != null) {
        snapshot = volumes.lockSnapshot(spec.snapshotId())
            .filter(s -> actor.owns(s.projectId()))
            .orElseThrow(() -> VolumeErrors.snapshotNotFound(spec.snapshotId()));
        if (!snapshot.volumeId().equals(volume.id())) {
          throw VolumeErrors.invalidVolume(
              "Volume " + volume.id() + " is not the volume of snapshot " + snapshot.id() + " (" + snapshot.volumeId() + ").");
        }
      }
      if (!List.of(Status.AVAILABLE, Status.IN_USE).contains(volume.status())) {
        throw VolumeErrors.invalidVolume(
            "Volume to be backed up must be available or in-use, but the current status is \"" + volume.status() + "\".");
      }
      if (volume.status().equals(Status.IN_USE) && snapshot == null && !spec.force()) {
        throw VolumeErrors.invalidVolume("Backing up an in-use volume must use the force flag.");
      }
      if (snapshot != null && !snapshot.status().equals(Snapshot.Status.AVAILABLE)) {
        throw ServiceException.invalid("InvalidSnapshot", "Invalid snapshot: Snapshot to be backed up must be available,"
            + " but the current status is \"" + snapshot.status() + "\".");
      }
      requireBackupService(sql);
      quotas.reserveBackups(sql, actor.projectId(), 1, volume.size());
      Backup parent = spec.incremental() ? parentFor(backups, volume.id(), actor.projectId(), snapshot) : null;
      Instant dataTimestamp = snapshot != null ? snapshot.createdAt() : now;
      if (snapshot != null) {
        volumes.snapshotTransition(snapshot.id(), List.of(Snapshot.Status.AVAILABLE), Snapshot.Status.BACKING_UP, now);
      } else if (!volumes.transition(volume.id(), List.of(volume.status()), VolumeStatus.BACKING_UP, volume.attachStatus(), now)) {
        throw new IllegalStateException("volume " + volume.id() + " changed under its row lock");
      }
      Backup created = new Backup(
          ids.uuid(), actor.projectId(), actor.userId(), volume.id(), spec.snapshotId(), spec.name(), spec.description(),
          spec.container() != null ? spec.container() : DEFAULT_CONTAINER, zone, volume.size(), 0, Backup.Status.CREATING,
          null, parent == null ? null : parent.id(), 0, snapshot == null ? volume.status() : null, null,
          new Backup.Source(volume.bootable(), volume.metadata(), volume.imageMetadata()),
          requireNonNullElse(spec.metadata(), Map.of()), dataTimestamp, now, now);
      backups.insert(created);
      if (parent != null) {
        backups.addDependents(parent.id(), 1, now);
      }
      tasks.submit(sql, CREATE_TASK, idPayload(created.id()), now, 3);
      return created;
    });
    tasks.wake();
    return backup;
  }

  /**
   * The backup an incremental one builds on, as Cinder picks it: of the project's available
   * backups of the volume, the one with the latest data; from a snapshot, the latest with data
   * older than the snapshot. Locked, so it cannot be deleted before its dependent is counted.
   */
  private static Backup parentFor(BackupStore backups, String volumeId, String projectId, Snapshot snapshot) {
    Backup latest = backups.ofVolume(volumeId, projectId).stream()
        .filter(b -> b.status().equals(Backup.Status.AVAILABLE))
        .filter(b -> snapshot == null || b.dataTimestamp().isBefore(snapshot.createdAt()))
        .max(Comparator.comparing(Backup::dataTimestamp).thenComparing(Backup::createdAt))
        .orElseThrow(() -> invalidBackup("No backups available to do an incremental backup."));
    return backups.lock(latest.id())
        .filter(b -> b.status().equals(Backup.Status.AVAILABLE))
        .orElseThrow(() -> invalidBackup("No backups available to do an incremental backup."));
  }

  /**
   * The simulated copy: a full backup writes every object of the volume, an incremental one only
   * the changed ones, and a simulated volume's blocks never change. Safe to repeat: the backup
   * and its source move only from the states the create left them in. A volume whose metadata
   * has {@code kiln:fail=backup} makes the backup fail ({@code error}, with the reason).
   */
  private String finishCreate(Task task) {
    String id = idOf(task);
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup backup = backups.lock(id).orElse(null);
      if (backup == null || !backup.status().equals(Backup.Status.CREATING)) {
        return null; // deleted or reset meanwhile: whoever did it gave the source back
      }
      if ("backup".equals(backup.source().metadata().get(SimulatedVolumeBackend.FAIL_KEY))) {
        // Fault injection, as the simulated volume backend has it: the driver reports a failure.
        backups.transition(id, List.of(Backup.Status.CREATING), Backup.Status.ERROR,
            "simulated backup failure (volume metadata " + SimulatedVolumeBackend.FAIL_KEY + "=backup)", now());
      } else {
        int objects = backup.incremental() ? 0 : (int) Math.ceilDiv(backup.size() * 1024L, OBJECT_MIB);
        backups.finishCreate(id, objects, now());
      }
      releaseSource(sql, backup, now());
      return null;
    });
    return null;
  }

  private void createFailed(Task task, String error) {
    String id = idOf(task);
    LOG.warn("Backup {} failed: {}", id, error);
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup backup = backups.lock(id).orElse(null);
      if (backup != null && backups.transition(id, List.of(Backup.Status.CREATING), Backup.Status.ERROR, reason(error), now())) {
        releaseSource(sql, backup, now());
      }
      return null;
    });
  }

  /**
   * Gives a backup's source back: the volume returns from {@code backing-up} to the status it had,
   * a snapshot to {@code available}. Conditional, so repeating it does nothing.
   */
  static void releaseSource(Sql sql, Backup backup, Instant now) {
    VolumeStore volumes = new VolumeStore(sql);
    if (backup.snapshotId() != null) {
      volumes.snapshotTransition(backup.snapshotId(), List.of(Snapshot.Status.BACKING_UP), Snapshot.Status.AVAILABLE, now);
      return;
    }
    volumes.lockVolume(backup.volumeId())
        .filter(v -> v.status().equals(VolumeStatus.BACKING_UP))
        .ifPresent(v -> volumes.transition(v.id(), List.of(VolumeStatus.BACKING_UP),
            requireNonNullElse(backup.previousVolumeStatus(), Status.AVAILABLE), v.attachStatus(), now));
  }

  public Backup visible(Actor actor, String id) {
    return new BackupStore(db.sql()).find(id)
        .filter(b -> actor.owns(b.projectId()))
        .orElseThrow(() -> backupNotFound(id));
  }

  /** The actor's project's backups; an admin asking for all projects gets every backup. */
  public List<Backup> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns nothing here
    }
    return new BackupStore(db.sql()).list(actor.admin() && allProjects ? null : actor.projectId());
  }

  /** Changes the name, description and (when not null) the metadata, which replaces the old. */
  public Backup update(Actor actor, String id, String name, String description, Map<String, String> metadata) {
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup old = backups.lock(id).filter(b -> actor.owns(b.projectId())).orElseThrow(() -> backupNotFound(id));
      backups.updateDescription(id, name != null ? name : old.name(), description != null ? description : old.description(), now());
      if (metadata != null) {
        backups.replaceMetadata(id, new LinkedHashMap<>(metadata));
      }
      return null;
    });
    return visible(actor, id);
  }

  /**
   * Deletes a backup that is available or in error; {@code force} (an admin's os-force_delete)
   * whatever its status, giving back a source or a restore target it still holds. A backup that
   * incremental backups build on is refused either way. The backup goes {@code deleting} and a
   * task removes it and gives back its quota.
   */
  public void delete(Actor actor, String id, boolean force) {
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup backup = backups.lock(id).filter(b -> actor.owns(b.projectId())).orElseThrow(() -> backupNotFound(id));
      if (!force && !List.of(Backup.Status.AVAILABLE, Backup.Status.ERROR).contains(backup.status())) {
        throw invalidBackup("Backup status must be available or error (it is " + backup.status() + ").");
      }
      if (backup.hasDependents()) {
        throw invalidBackup("Incremental backups exist for this backup.");
      }
      if (!backups.transition(id, List.of(backup.status()), Backup.Status.DELETING, null, now())) {
        throw new IllegalStateException("backup " + id + " changed under its row lock");
      }
      letGo(sql, backup);
      tasks.submit(sql, DELETE_TASK, idPayload(id), now(), 3);
      return null;
    });
    tasks.wake();
  }

  private String finishDelete(Task task) {
    String id = idOf(task);
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup backup = backups.lock(id).orElse(null);
      if (backup == null || !backup.status().equals(Backup.Status.DELETING)) {
        return null;
      }
      backups.delete(id);
      if (backup.parentId() != null) {
        backups.addDependents(backup.parentId(), -1, now());
      }
      quotas.releaseBackups(sql, backup.projectId(), 1, backup.size());
      return null;
    });
    return null;
  }

  private void deleteFailed(Task task, String error) {
    new BackupStore(db.sql())
        .transition(idOf(task), List.of(Backup.Status.DELETING), Backup.Status.ERROR_DELETING, reason(error), now());
  }

  /** Admin's os-reset_status: {@code available} or {@code error}, for repairing a stuck backup. */
  public void resetStatus(Actor actor, String id, String status) {
    if (!Backup.Status.RESETTABLE.contains(status)) {
      throw VolumeErrors.invalidInput("'" + status + "' is not a status a backup may be reset to; use available or error.");
    }
    db.inTransaction(sql -> {
      BackupStore backups = new BackupStore(sql);
      Backup backup = backups.lock(id).filter(b -> actor.owns(b.projectId())).orElseThrow(() -> backupNotFound(id));
      backups.transition(id, List.of(backup.status()), status, null, now());
      letGo(sql, backup);
      return null;
    });
  }

  /** What a backup leaving {@code creating} or {@code restoring} by an admin's hand gives back. */
  private void letGo(Sql sql, Backup backup) {
    switch (backup.status()) {
      case Backup.Status.CREATING -> releaseSource(sql, backup, now());
      case Backup.Status.RESTORING -> BackupRestores.releaseTarget(sql, backup, VolumeStatus.ERROR_RESTORING, now());
      default -> {
        // nothing held
      }
    }
  }

  static ServiceException backupNotFound(String id) {
    return ServiceException.notFound("BackupNotFound", "Backup " + id + " could not be found.");
  }

  static ServiceException invalidBackup(String reason) {
    return ServiceException.invalid("InvalidBackup", "Invalid backup: " + reason);
  }

  static String idPayload(String backupId) {
    return "{\"backup_id\": \"" + backupId + "\"}";
  }

  static String idOf(Task task) {
    return TaskPayloads.field(task, "backup_id");
  }

  private static String reason(String error) {
    String text = requireNonNullElse(error, "unknown error");
    return text.length() > 255 ? text.substring(0, 255) : text;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
