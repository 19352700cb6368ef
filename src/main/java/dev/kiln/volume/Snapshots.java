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
import java.util.List;

/** Cinder snapshots: taken asynchronously from an available volume (or in-use, with force). */
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

  public Snapshot create(Actor actor, String volumeId, String name, String description, boolean force) {
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
          volume.size(), Status.CREATING, now, now);
      store.insertSnapshot(created);
      tasks.submit(sql, CREATE_TASK, "{\"snapshot_id\": \"" + created.id() + "\"}", now, 3);
      return created;
    });
    tasks.wake();
    return snapshot;
  }

  private String finishCreate(Task task) {
    String id = task.payload().replaceAll(".*\"snapshot_id\": \"([^\"]+)\".*", "$1");
    new VolumeStore(db.sql()).snapshotTransition(id, List.of(Status.CREATING), Status.AVAILABLE, now());
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

  public void delete(Actor actor, String id) {
    Snapshot snapshot = visible(actor, id);
    db.inTransaction(sql -> {
      VolumeStore store = new VolumeStore(sql);
      if (!store.snapshotTransition(id, List.of(Status.AVAILABLE, Status.ERROR), Status.DELETING, now())) {
        throw ServiceException.invalid(
            "InvalidSnapshot", "Invalid snapshot: Snapshot status must be available or error to delete, it is "
                + snapshot.status() + ".");
      }
      store.deleteSnapshot(id);
      quotas.release(sql, snapshot.projectId(), 0, snapshot.size(), 1);
      return null;
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
