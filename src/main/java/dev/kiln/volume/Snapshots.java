package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cinder snapshots: taken asynchronously from an available volume (or in-use, with force), with
 * their metadata, and the admin actions that repair them (reset status, force delete) or that a
 * driver uses to report progress (update status).
 */
public final class Snapshots {
  static final String CREATE_TASK = "snapshot.create";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeQuotas quotas;
  private final TaskRunner tasks;

  public Snapshots(Database db, Clock clock, IdGenerator ids, VolumeQuotas quotas, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(CREATE_TASK, this::finishCreate);
  }

  public Snapshot create(
      Actor actor, String volumeId, String name, String description, boolean force, Map<String, String> metadata) {
    if (volumeId == null) {
      throw VolumeErrors.volumeNotFound(null);
    }
    Instant now = now();
    Snapshot snapshot = db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Volume volume = store.lockVolume(volumeId)
          .filter(v -> actor.owns(v.projectId()))
          .orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
      List<String> allowed = force ? List.of(Status.AVAILABLE, Status.IN_USE) : List.of(Status.AVAILABLE);
      if (!allowed.contains(volume.status())) {
        throw VolumeErrors.invalidVolume(
            "Volume " + volumeId + " status must be " + String.join(" or ", allowed) + " to snapshot, it is "
                + volume.status() + (force ? "." : " (use force to snapshot an in-use volume)."));
      }
      quotas.reserve(sql, volume.projectId(), 0, volume.size(), 1);
      Snapshot created = new Snapshot(ids.uuid(), volume.projectId(), actor.userId(), volumeId, name, description,
          volume.size(), Status.CREATING, null, Objects.requireNonNullElse(metadata, Map.of()), now, now, null);
      store.insertSnapshot(created);
      tasks.submit(sql, CREATE_TASK, "{\"snapshot_id\": \"" + created.id() + "\"}", now, 3);
      return created;
    });
    tasks.wake();
    return snapshot;
  }

  private String finishCreate(Task task) {
    String id = task.payload().replaceAll(".*\"snapshot_id\": \"([^\"]+)\".*", "$1");
    new VolumeStore(db.sql()).snapshotProgress(id, Status.CREATING, Status.AVAILABLE, "100%", now());
    return null;
  }

  public Snapshot visible(Actor actor, String id) {
    return new VolumeStore(db.sql())
        .findSnapshot(id)
        .filter(s -> actor.owns(s.projectId()))
        .orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
  }

  public List<Snapshot> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns nothing here
    }
    return new VolumeStore(db.sql()).listSnapshots(actor.admin() && allProjects ? null : actor.projectId());
  }

  public Snapshot update(Actor actor, String id, String name, String description) {
    Snapshot old = visible(actor, id);
    new VolumeStore(db.sql()).updateSnapshot(
        id, name != null ? name : old.name(), description != null ? description : old.description(), now());
    return visible(actor, id);
  }

  /**
   * Deletes a snapshot that is available or in error; {@code force} (an admin's os-force_delete)
   * deletes it whatever its status. The quota is released with it.
   */
  public void delete(Actor actor, String id, boolean force) {
    Snapshot snapshot = visible(actor, id);
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Snapshot locked = store.lockSnapshot(id).orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
      if (!force && locked.groupSnapshotId() != null) {
        throw ServiceException.invalid("InvalidSnapshot", "Invalid snapshot: Snapshot " + id
            + " is part of group snapshot " + locked.groupSnapshotId() + "; delete the group snapshot instead.");
      }
      List<String> allowed = force ? List.of(locked.status()) : List.of(Status.AVAILABLE, Status.ERROR);
      if (!store.snapshotTransition(id, allowed, Status.DELETING, now())) {
        throw ServiceException.invalid(
            "InvalidSnapshot", "Invalid snapshot: Snapshot status must be available or error to delete, it is "
                + locked.status() + ".");
      }
      store.deleteSnapshot(id);
      quotas.release(sql, snapshot.projectId(), 0, snapshot.size(), 1);
      return null;
    });
  }

  /** Admin's os-reset_status: sets the status as told, for repairing a stuck snapshot. */
  public void resetStatus(Actor actor, String id, String status) {
    if (!Snapshot.Status.ALL.contains(status)) {
      throw VolumeErrors.invalidInput("'" + status + "' is not a snapshot status; use one of " + String.join(", ", Snapshot.Status.ALL) + ".");
    }
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Snapshot locked = store.lockSnapshot(id).filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
      store.snapshotTransition(id, List.of(locked.status()), status, now());
      return null;
    });
  }

  /**
   * os-update_snapshot_status, what a volume driver reports while it makes or removes a
   * snapshot: a creating snapshot may become creating, available or error; a deleting one
   * deleting or error_deleting. The progress (such as {@code 80%}) is kept when given.
   */
  public void updateStatus(Actor actor, String id, String status, String progress) {
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Snapshot locked = store.lockSnapshot(id).filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
      List<String> next = switch (locked.status()) {
        case Snapshot.Status.CREATING -> List.of(Snapshot.Status.CREATING, Snapshot.Status.AVAILABLE, Snapshot.Status.ERROR);
        case Snapshot.Status.DELETING -> List.of(Snapshot.Status.DELETING, Snapshot.Status.ERROR_DELETING);
        default -> throw VolumeErrors.badRequest(
            "Snapshot status " + locked.status() + " not allowed for update_snapshot_status");
      };
      if (!next.contains(status)) {
        throw VolumeErrors.badRequest(
            "Provided snapshot status " + status + " not allowed for snapshot with status " + locked.status() + ".");
      }
      store.snapshotProgress(id, locked.status(), status, progress, now());
      return null;
    });
  }

  // Metadata

  /**
   * Sets metadata keys: {@code replace} drops the keys not given (PUT), otherwise they are kept
   * (POST). Answers the snapshot's metadata afterwards.
   */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    return db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Snapshot locked = store.lockSnapshot(id).filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
      Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : locked.metadata());
      merged.putAll(metadata);
      store.replaceSnapshotMetadata(id, merged);
      return merged;
    });
  }

  public void deleteMetadataKey(Actor actor, String id, String key) {
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      Snapshot locked = store.lockSnapshot(id).filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(id));
      if (!locked.metadata().containsKey(key)) {
        throw ServiceException.notFound(
            "SnapshotMetadataNotFound", "Snapshot " + id + " has no metadata with key " + key + ".");
      }
      Map<String, String> remaining = new LinkedHashMap<>(locked.metadata());
      remaining.remove(key);
      store.replaceSnapshotMetadata(id, remaining);
      return null;
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
