package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.store.GroupStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cinder's group snapshots (3.14): a snapshot of every volume of a group, recorded {@code
 * creating} together in one transaction (each counted against the snapshot quotas) and made
 * {@code available} together by one durable task; deleted together with their member snapshots.
 */
public final class GroupSnapshots {
  static final String CREATE_TASK = "group_snapshot.create";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeQuotas quotas;
  private final TaskRunner tasks;

  public GroupSnapshots(Database db, Clock clock, IdGenerator ids, VolumeQuotas quotas, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(CREATE_TASK, this::finishCreate);
  }

  /** Snapshots every volume of an available group; each volume must be available or in use. */
  public GroupSnapshot create(Actor actor, String groupId, String name, String description) {
    Instant now = now();
    GroupSnapshot made = db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      Group group = store.lockGroup(groupId)
          .filter(g -> actor.owns(g.projectId()))
          .orElseThrow(() -> GroupErrors.groupNotFound(groupId));
      if (!group.status().equals(Group.Status.AVAILABLE)) {
        throw GroupErrors.invalidGroup("Group status must be available, but current status is: " + group.status() + ".");
      }
      VolumeStore volumeStore = new VolumeStore(sql);
      List<Volume> members = new ArrayList<>();
      for (String volumeId : store.memberIds(groupId)) {
        Volume volume = volumeStore.lockVolume(volumeId).orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
        if (!List.of(Volume.Status.AVAILABLE, Volume.Status.IN_USE).contains(volume.status())) {
          throw VolumeErrors.invalidVolume("Volume " + volumeId + " in group " + groupId
              + " must be available or in-use to snapshot, it is " + volume.status() + ".");
        }
        members.add(volume);
      }
      GroupSnapshot snapshot = new GroupSnapshot(ids.uuid(), group.projectId(), actor.userId(), groupId,
          group.groupTypeId(), name, description, GroupSnapshot.Status.CREATING, now, now);
      store.insertGroupSnapshot(snapshot);
      for (Volume volume : members) {
        quotas.reserve(sql, volume.projectId(), 0, volume.size(), 1);
        volumeStore.insertSnapshot(new Snapshot(ids.uuid(), volume.projectId(), actor.userId(), volume.id(),
            "snapshot-" + snapshot.id(), null, volume.size(), Snapshot.Status.CREATING, null, Map.of(), now, now,
            snapshot.id()));
      }
      tasks.submit(sql, CREATE_TASK, "{\"group_snapshot_id\": \"" + snapshot.id() + "\"}", now, 3);
      return snapshot;
    });
    tasks.wake();
    return made;
  }

  /** The member snapshots become available, then the group snapshot, in one transaction. */
  private String finishCreate(Task task) {
    String id = task.payload().replaceAll(".*\"group_snapshot_id\": \"([^\"]+)\".*", "$1");
    db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      if (store.lockGroupSnapshot(id).filter(s -> s.status().equals(GroupSnapshot.Status.CREATING)).isEmpty()) {
        return null; // deleted or reset meanwhile
      }
      VolumeStore volumeStore = new VolumeStore(sql);
      Instant now = now();
      for (String snapshotId : store.memberSnapshotIds(id)) {
        volumeStore.snapshotProgress(snapshotId, Snapshot.Status.CREATING, Snapshot.Status.AVAILABLE, "100%", now);
      }
      store.groupSnapshotTransition(id, List.of(GroupSnapshot.Status.CREATING), GroupSnapshot.Status.AVAILABLE, now);
      return null;
    });
    return null;
  }

  public GroupSnapshot visible(Actor actor, String id) {
    return new GroupStore(db.sql()).findGroupSnapshot(id)
        .filter(s -> actor.owns(s.projectId()))
        .orElseThrow(() -> GroupErrors.groupSnapshotNotFound(id));
  }

  public List<GroupSnapshot> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new GroupStore(db.sql()).listGroupSnapshots(actor.admin() && allProjects ? null : actor.projectId());
  }

  /** Deletes an available or errored group snapshot with its member snapshots, releasing their quota. */
  public void delete(Actor actor, String id) {
    db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      GroupSnapshot locked = store.lockGroupSnapshot(id)
          .filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> GroupErrors.groupSnapshotNotFound(id));
      if (!store.groupSnapshotTransition(
          id, List.of(GroupSnapshot.Status.AVAILABLE, GroupSnapshot.Status.ERROR), GroupSnapshot.Status.DELETING, now())) {
        throw GroupErrors.invalidGroupSnapshot(
            "Group snapshot status must be available or error, but current status is: " + locked.status() + ".");
      }
      VolumeStore volumeStore = new VolumeStore(sql);
      for (String snapshotId : store.memberSnapshotIds(id)) {
        Snapshot snapshot = volumeStore.lockSnapshot(snapshotId).orElse(null);
        if (snapshot != null) {
          volumeStore.deleteSnapshot(snapshotId);
          quotas.release(sql, snapshot.projectId(), 0, snapshot.size(), 1);
        }
      }
      store.deleteGroupSnapshot(id);
      return null;
    });
  }

  /** Admin's reset_status (3.19): sets the status as told, for repairing a stuck group snapshot. */
  public void resetStatus(Actor actor, String id, String status) {
    if (!GroupSnapshot.Status.ALL.contains(status)) {
      throw VolumeErrors.invalidInput(
          "'" + status + "' is not a group snapshot status; use one of " + String.join(", ", GroupSnapshot.Status.ALL) + ".");
    }
    db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      GroupSnapshot locked = store.lockGroupSnapshot(id).orElseThrow(() -> GroupErrors.groupSnapshotNotFound(id));
      store.groupSnapshotTransition(id, List.of(locked.status()), status, now());
      return null;
    });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
