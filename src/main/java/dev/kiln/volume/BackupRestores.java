package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Backup.VolumeStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.BackupStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restoring a backup, as Cinder does: to a volume the restore creates (of the backup's size, named
 * {@code restore_backup_<id>} unless a name is given), or over an available volume of at least the
 * backup's size. The backup goes {@code restoring} and the volume {@code restoring-backup} in one
 * transaction with a durable task, which writes the data back with the volume's metadata, image
 * metadata and bootable flag as they were when backed up, and leaves both {@code available} (the
 * volume {@code error_restoring} if the task gives up).
 */
public final class BackupRestores {
  static final String RESTORE_TASK = "backup.restore";
  static final String NEW_VOLUME_DESCRIPTION = "auto-created_from_restore_from_backup";
  /** How long a restore waits for the volume it created to be made, as Cinder's API waits. */
  private static final Duration CREATE_WAIT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(BackupRestores.class);

  private final Database db;
  private final Clock clock;
  private final Volumes volumes;
  private final Backups backups;
  private final TaskRunner tasks;

  public BackupRestores(Database db, Clock clock, Volumes volumes, Backups backups, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.backups = requireNonNull(backups, "backups is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(RESTORE_TASK, TaskHandler.withGiveUp(this::finishRestore, this::restoreFailed));
  }

  /** What a restore answers: the backup, the volume written and its name. */
  public record Restore(String backupId, String volumeId, String volumeName) {}

  /**
   * Starts a restore of the backup to {@code volumeId}, or to a new volume (named {@code name})
   * when it is null.
   */
  public Restore restore(Actor actor, String backupId, String volumeId, String name) {
    Backup backup = backups.visible(actor, backupId);
    if (!backup.status().equals(Backup.Status.AVAILABLE)) {
      throw Backups.invalidBackup("Backup status must be available (it is " + backup.status() + ").");
    }
    String target = volumeId;
    if (target == null) {
      Volume created = volumes.create(actor, new Volumes.Spec(
          name != null ? name : "restore_backup_" + backupId, NEW_VOLUME_DESCRIPTION, backup.size(), null, null,
          Map.of(), null, null, null, null));
      target = awaitCreated(created.id(), backupId);
    } else {
      volumes.visible(actor, target);
    }
    String volume = target;
    Volume restored = db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Volume locked = store.lockVolume(volume).orElseThrow(() -> VolumeErrors.volumeNotFound(volume));
      if (!locked.status().equals(Status.AVAILABLE)) {
        throw VolumeErrors.invalidVolume("Volume to be restored to must be available (it is " + locked.status() + ").");
      }
      if (backup.size() > locked.size()) {
        throw VolumeErrors.invalidVolume(
            "volume size " + locked.size() + " is too small to restore backup of size " + backup.size() + ".");
      }
      if (!new BackupStore(sql).startRestore(backupId, volume, Backup.Status.RESTORING, Backup.Status.AVAILABLE, now())) {
        throw Backups.invalidBackup("Backup status must be available.");
      }
      store.transition(volume, List.of(Status.AVAILABLE), VolumeStatus.RESTORING_BACKUP, locked.attachStatus(), now());
      tasks.submit(sql, RESTORE_TASK, Backups.idPayload(backupId), now(), 3);
      return locked;
    });
    tasks.wake();
    return new Restore(backupId, volume, restored.name());
  }

  /** Waits for the volume a restore created to leave {@code creating}; answers its id if available. */
  private String awaitCreated(String volumeId, String backupId) {
    Instant deadline = clock.instant().plus(CREATE_WAIT);
    VolumeStore reader = new VolumeStore(db.sql());
    while (true) {
      String status = reader.findVolume(volumeId).map(Volume::status).orElse(Status.ERROR);
      if (status.equals(Status.AVAILABLE)) {
        return volumeId;
      }
      if (!status.equals(Status.CREATING) || clock.instant().isAfter(deadline)) {
        throw VolumeErrors.invalidVolume(
            "Error while creating volume " + volumeId + " for restoring backup " + backupId + " (it is " + status + ").");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw VolumeErrors.invalidVolume("Interrupted while creating volume " + volumeId + " for restoring backup " + backupId + ".");
      }
    }
  }

  /**
   * The simulated write-back: the volume gets the backed-up metadata (over its own), image
   * metadata and bootable flag, then both it and the backup are available. Safe to repeat. A
   * backup of a volume whose metadata had {@code kiln:fail=restore} fails the write-back: the
   * volume is left {@code error_restoring}, the backup available.
   */
  private String finishRestore(Task task) {
    String id = Backups.idOf(task);
    db.inTransaction(sql -> {
      Backup backup = new BackupStore(sql).lock(id).orElse(null);
      if (backup == null || !backup.status().equals(Backup.Status.RESTORING) || backup.restoreVolumeId() == null) {
        return null;
      }
      VolumeStore store = new VolumeStore(sql);
      Volume volume = store.lockVolume(backup.restoreVolumeId()).orElse(null);
      Backup.Source source = backup.source();
      if ("restore".equals(source.metadata().get(SimulatedVolumeBackend.FAIL_KEY))) {
        // Fault injection: the driver fails the write-back and the volume is left error_restoring.
        releaseTarget(sql, backup, VolumeStatus.ERROR_RESTORING, now());
        return null;
      }
      if (volume != null && volume.status().equals(VolumeStatus.RESTORING_BACKUP)) {
        Map<String, String> metadata = new LinkedHashMap<>(volume.metadata());
        metadata.putAll(source.metadata());
        store.replaceMetadata(volume.id(), metadata);
        if (!source.imageMetadata().isEmpty()) {
          store.replaceImageMetadata(volume.id(), source.imageMetadata());
        }
        store.updateDescription(volume.id(), volume.name(), volume.description(), volume.bootable() || source.bootable(), now());
      }
      releaseTarget(sql, backup, Status.AVAILABLE, now());
      return null;
    });
    return null;
  }

  private void restoreFailed(Task task, String error) {
    String id = Backups.idOf(task);
    LOG.warn("Restore of backup {} failed: {}", id, error);
    db.inTransaction(sql -> {
      new BackupStore(sql).lock(id)
          .filter(b -> b.status().equals(Backup.Status.RESTORING))
          .ifPresent(b -> releaseTarget(sql, b, VolumeStatus.ERROR_RESTORING, now()));
      return null;
    });
  }

  /**
   * Ends a restore: the volume leaves {@code restoring-backup} for {@code volumeStatus}, the backup
   * returns to {@code available}. Conditional, so repeating it does nothing.
   */
  static void releaseTarget(Sql sql, Backup backup, String volumeStatus, Instant now) {
    if (backup.restoreVolumeId() != null) {
      VolumeStore store = new VolumeStore(sql);
      store.findVolume(backup.restoreVolumeId()).ifPresent(v ->
          store.transition(v.id(), List.of(VolumeStatus.RESTORING_BACKUP), volumeStatus, v.attachStatus(), now));
    }
    new BackupStore(sql).endRestore(backup.id(), Backup.Status.RESTORING, Backup.Status.AVAILABLE, now);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
