package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.store.GroupStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cinder's generic volume groups (3.13): a group is made {@code creating} and becomes {@code
 * available} through a durable task; volumes join it when they are created with its id or when
 * the group is updated; it is deleted with its volumes (or empty). Every change runs under the
 * group's row lock, and status changes are conditional, so concurrent requests have one winner.
 */
public final class Groups {
  static final String CREATE_TASK = "group.create";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final GroupTypes groupTypes;
  private final VolumeTypes volumeTypes;
  private final Volumes volumes;
  private final VolumeQuotas quotas;
  private final VolumeBackend backend;
  private final TaskRunner tasks;

  public Groups(
      Database db, Clock clock, IdGenerator ids, GroupTypes groupTypes, VolumeTypes volumeTypes, Volumes volumes,
      VolumeQuotas quotas, VolumeBackend backend, TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.groupTypes = requireNonNull(groupTypes, "groupTypes is null");
    this.volumeTypes = requireNonNull(volumeTypes, "volumeTypes is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.backend = requireNonNull(backend, "backend is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(CREATE_TASK, this::finishCreate);
  }

  /** Makes an empty group of a group type for volumes of the given volume types (names or ids). */
  public Group create(
      Actor actor, String name, String description, String groupTypeId, List<String> volumeTypeRefs, String zone) {
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to create a group.");
    }
    GroupType groupType = groupTypes.show(actor, groupTypeId);
    Set<String> typeIds = new LinkedHashSet<>();
    for (String ref : volumeTypeRefs) {
      typeIds.add(volumeTypes.resolve(actor, ref).id());
    }
    String az = zone == null ? Volumes.AVAILABILITY_ZONE : zone;
    if (!az.equals(Volumes.AVAILABILITY_ZONE)) {
      throw ServiceException.invalid(
          "InvalidAvailabilityZone", "Availability zone '" + az + "' is invalid; Kiln has '" + Volumes.AVAILABILITY_ZONE + "'.");
    }
    Instant now = now();
    Group group = new Group(ids.uuid(), actor.projectId(), actor.userId(), name, description, Group.Status.CREATING, az,
        groupType.id(), List.copyOf(typeIds), null, null, now, now);
    db.inTransaction(sql -> {
      new GroupStore(sql).insertGroup(group);
      return tasks.submit(sql, CREATE_TASK, "{\"group_id\": \"" + group.id() + "\"}", now, 3);
    });
    tasks.wake();
    return group;
  }

  /**
   * Cinder's create-from-src (3.14): a new group of the source's types with a copy of each of its
   * volumes, made from the group snapshot's member snapshots or from the source group's volumes.
   * The copies are recorded before this answers; each then finishes on its own, and the last one
   * to finish makes the group {@code available} ({@link #finishIfCopiesSettled}). Should one of
   * them be refused (quota, say), the new group is left in {@code error} with the copies made so
   * far, as Cinder leaves it, and the refusal is the answer.
   *
   * <p>The group, its copies and their tasks are one commit: a node that dies while answering
   * leaves either nothing or a group whose copies' tasks will finish it. (They were separate
   * commits, and a group whose own task was submitted after its copies' could stay {@code
   * creating} for good, or turn {@code available} while its copies were still {@code creating}.)
   */
  public Group createFromSource(
      Actor actor, String name, String description, String groupSnapshotId, String sourceGroupId) {
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to create a group.");
    }
    GroupStore reader = new GroupStore(db.sql());
    Group source;
    List<Volumes.Spec> copies = new ArrayList<>();
    if (groupSnapshotId != null) {
      GroupSnapshot snapshot = reader.findGroupSnapshot(groupSnapshotId)
          .filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> GroupErrors.groupSnapshotNotFound(groupSnapshotId));
      if (!snapshot.status().equals(GroupSnapshot.Status.AVAILABLE)) {
        throw GroupErrors.invalidGroupSnapshot(
            "Source group snapshot status must be available, but current status is: " + snapshot.status() + ".");
      }
      source = reader.findGroup(snapshot.groupId()).orElseThrow(() -> GroupErrors.groupNotFound(snapshot.groupId()));
      for (String snapshotId : reader.memberSnapshotIds(groupSnapshotId)) {
        copies.add(new Volumes.Spec(null, null, null, null, null, null, snapshotId, null, null, null, null));
      }
    } else {
      source = reader.findGroup(sourceGroupId)
          .filter(g -> actor.owns(g.projectId()))
          .orElseThrow(() -> GroupErrors.groupNotFound(sourceGroupId));
      if (!source.status().equals(Group.Status.AVAILABLE)) {
        throw GroupErrors.invalidGroup(
            "Source group status must be available, but current status is: " + source.status() + ".");
      }
      for (String volumeId : reader.memberIds(sourceGroupId)) {
        copies.add(new Volumes.Spec(null, null, null, null, null, null, null, volumeId, null, null, null));
      }
    }
    Instant now = now();
    Group group = new Group(ids.uuid(), actor.projectId(), actor.userId(), name, description, Group.Status.CREATING,
        source.availabilityZone(), source.groupTypeId(), source.volumeTypeIds(), groupSnapshotId,
        groupSnapshotId == null ? sourceGroupId : null, now, now);
    // Each copy's create joins this transaction as a savepoint: a refused one is undone alone.
    RuntimeException refused = db.inTransactionJoinedByNestedWork(sql -> {
      GroupStore store = new GroupStore(sql);
      store.insertGroup(group);
      for (Volumes.Spec copy : copies) {
        try {
          volumes.createInGroup(actor, withGroup(copy, group.id()));
        } catch (RuntimeException e) {
          store.groupTransition(group.id(), List.of(Group.Status.CREATING), Group.Status.ERROR, now());
          return e;
        }
      }
      // For a source without volumes; with copies, the last one to finish makes the group available.
      tasks.submit(sql, CREATE_TASK, "{\"group_id\": \"" + group.id() + "\"}", now, 3);
      return null;
    });
    tasks.wake(); // the copies' creates woke the runner before their tasks were committed
    if (refused != null) {
      throw refused;
    }
    return group;
  }

  private static Volumes.Spec withGroup(Volumes.Spec s, String groupId) {
    return new Volumes.Spec(s.name(), s.description(), s.size(), s.volumeType(), s.availabilityZone(), s.metadata(),
        s.snapshotId(), s.sourceVolid(), s.multiattach(), s.imageId(), groupId);
  }

  /** The group becomes available once its copies, if any, have finished (see {@link #finishIfCopiesSettled}). */
  private String finishCreate(Task task) {
    String id = task.payload().replaceAll(".*\"group_id\": \"([^\"]+)\".*", "$1");
    Instant now = now();
    db.inTransaction(sql -> {
      finishIfCopiesSettled(sql, id, now);
      return null;
    });
    return null;
  }

  /**
   * Ends a group's {@code creating} once none of its volumes is still being made: {@code error} if
   * one of them failed, else {@code available}; nothing for a group not {@code creating}. Run by
   * the group's own task and by each copy's create as it finishes (in the transaction that moved
   * the copy, which locked the group's row before the copy's), under the group's row lock:
   * whichever of them runs last sees every other one's outcome.
   */
  static void finishIfCopiesSettled(Sql sql, String groupId, Instant now) {
    GroupStore store = new GroupStore(sql);
    if (store.lockGroup(groupId).filter(g -> g.status().equals(Group.Status.CREATING)).isEmpty()) {
      return;
    }
    VolumeStore volumes = new VolumeStore(sql);
    List<String> statuses = store.memberIds(groupId).stream()
        .map(volumes::findVolume)
        .flatMap(Optional::stream)
        .map(Volume::status)
        .toList();
    if (statuses.contains(Volume.Status.CREATING)) {
      return;
    }
    store.groupTransition(groupId, List.of(Group.Status.CREATING),
        statuses.contains(Volume.Status.ERROR) ? Group.Status.ERROR : Group.Status.AVAILABLE, now);
  }

  public Group visible(Actor actor, String id) {
    return new GroupStore(db.sql()).findGroup(id)
        .filter(g -> actor.owns(g.projectId()))
        .orElseThrow(() -> GroupErrors.groupNotFound(id));
  }

  public List<Group> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new GroupStore(db.sql()).listGroups(actor.admin() && allProjects ? null : actor.projectId());
  }

  /** The ids of the group's volumes. */
  public List<String> volumeIds(Actor actor, String id) {
    visible(actor, id);
    return new GroupStore(db.sql()).memberIds(id);
  }

  /**
   * Renames the group and moves volumes into or out of it, all or nothing. Only an available group
   * changes; a volume joins if it is available or in use, in no group and of one of the group's
   * volume types; a volume leaves only the group it is in.
   */
  public void update(Actor actor, String id, String name, String description, List<String> add, List<String> remove) {
    db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      Group group = store.lockGroup(id).filter(g -> actor.owns(g.projectId())).orElseThrow(() -> GroupErrors.groupNotFound(id));
      if (!group.status().equals(Group.Status.AVAILABLE)) {
        throw GroupErrors.invalidGroup("Group status must be available, but current status is: " + group.status() + ".");
      }
      VolumeStore volumeStore = new VolumeStore(sql);
      Instant now = now();
      for (String volumeId : remove) {
        Volume volume = volumeStore.lockVolume(volumeId).filter(v -> actor.owns(v.projectId())).orElse(null);
        if (volume == null || !id.equals(volume.groupId())) {
          throw VolumeErrors.invalidVolume(
              "Cannot remove volume " + volumeId + " from group " + id + " because it is not in the group.");
        }
        if (!List.of(Volume.Status.AVAILABLE, Volume.Status.IN_USE, Volume.Status.ERROR).contains(volume.status())) {
          throw VolumeErrors.invalidVolume("Cannot remove volume " + volumeId + " from group " + id
              + " because volume is in an invalid state: " + volume.status() + ".");
        }
        store.setMembership(volumeId, id, null, now);
      }
      for (String volumeId : add) {
        Volume volume = volumeStore.lockVolume(volumeId).filter(v -> actor.owns(v.projectId())).orElseThrow(
            () -> VolumeErrors.invalidVolume(
                "Cannot add volume " + volumeId + " to group " + id + " because volume cannot be found."));
        if (volume.groupId() != null) {
          throw VolumeErrors.invalidVolume("Cannot add volume " + volumeId + " to group " + id
              + " because it is already in group " + volume.groupId() + ".");
        }
        if (!List.of(Volume.Status.AVAILABLE, Volume.Status.IN_USE).contains(volume.status())) {
          throw VolumeErrors.invalidVolume("Cannot add volume " + volumeId + " to group " + id
              + " because volume is in an invalid state: " + volume.status() + ". Valid states are: available, in-use.");
        }
        if (!group.volumeTypeIds().contains(volume.volumeTypeId())) {
          throw VolumeErrors.invalidVolume("Cannot add volume " + volumeId + " to group " + id + " because volume type "
              + volume.volumeTypeId() + " is not supported by the group.");
        }
        store.setMembership(volumeId, null, id, now);
      }
      if (name != null || description != null) {
        store.describeGroup(id, name != null ? name : group.name(), description != null ? description : group.description(), now);
      }
      return null;
    });
  }

  /**
   * Deletes an available or errored group without group snapshots; with {@code deleteVolumes} its
   * volumes go with it (each must be available or in error, unattached and without snapshots),
   * else it must be empty. All in one transaction; the backend forgets the volumes afterwards.
   */
  public void delete(Actor actor, String id, boolean deleteVolumes) {
    List<Volume> deleted = db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      Group group = store.lockGroup(id).filter(g -> actor.owns(g.projectId())).orElseThrow(() -> GroupErrors.groupNotFound(id));
      if (!List.of(Group.Status.AVAILABLE, Group.Status.ERROR).contains(group.status())) {
        throw GroupErrors.invalidGroup(
            "Group status must be available or error, but current status is: " + group.status() + ".");
      }
      if (store.hasGroupSnapshots(id)) {
        throw GroupErrors.invalidGroup("Group " + id + " still has dependent group snapshots.");
      }
      List<String> memberIds = store.memberIds(id);
      if (!memberIds.isEmpty() && !deleteVolumes) {
        throw GroupErrors.invalidGroup(
            "Group " + id + " still contains volumes. The delete-volumes flag is required to delete it.");
      }
      VolumeStore volumeStore = new VolumeStore(sql);
      List<Volume> members = new ArrayList<>();
      for (String volumeId : memberIds) {
        Volume volume = volumeStore.lockVolume(volumeId).orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
        if (!volume.attachments().isEmpty() || volume.attachStatus().equals(AttachStatus.ATTACHED)) {
          throw GroupErrors.invalidGroup("Volume in group " + id + " is attached. Need to detach first.");
        }
        if (!List.of(Volume.Status.AVAILABLE, Volume.Status.ERROR).contains(volume.status())) {
          throw GroupErrors.invalidGroup("Volume " + volumeId + " in group " + id
              + " must be available or error to delete, it is " + volume.status() + ".");
        }
        if (!volumeStore.snapshotsOf(volumeId).isEmpty()) {
          throw GroupErrors.invalidGroup("Volume " + volumeId + " in group " + id + " still has dependent snapshots.");
        }
        members.add(volume);
      }
      if (!store.groupTransition(id, List.of(group.status()), Group.Status.DELETING, now())) {
        throw GroupErrors.invalidGroup("Group " + id + " changed status meanwhile.");
      }
      for (Volume volume : members) {
        volumeStore.deleteVolume(volume.id());
        quotas.release(sql, volume.projectId(), 1, volume.size(), 0);
      }
      store.deleteGroup(id);
      return members;
    });
    deleted.forEach(backend::delete);
  }

  /** Admin's reset_status (3.20): sets the status as told, for repairing a stuck group. */
  public void resetStatus(Actor actor, String id, String status) {
    if (!Group.Status.ALL.contains(status)) {
      throw VolumeErrors.invalidInput(
          "'" + status + "' is not a group status; use one of " + String.join(", ", Group.Status.ALL) + ".");
    }
    db.inTransaction(sql -> {
      GroupStore store = new GroupStore(sql);
      Group group = store.lockGroup(id).orElseThrow(() -> GroupErrors.groupNotFound(id));
      store.groupTransition(id, List.of(group.status()), status, now());
      return null;
    });
  }

  /**
   * Checks, holding the group's lock, that a new volume of type {@code typeId} may join group
   * {@code groupId}: the actor's, available (or still being made, for {@code creatingToo}), and
   * for volumes of that type.
   */
  static void checkNewMember(Sql sql, Actor actor, String groupId, String typeId, boolean creatingToo) {
    Group group = new GroupStore(sql).lockGroup(groupId)
        .filter(g -> actor.owns(g.projectId()))
        .orElseThrow(() -> GroupErrors.groupNotFound(groupId));
    boolean ready = group.status().equals(Group.Status.AVAILABLE)
        || (creatingToo && group.status().equals(Group.Status.CREATING));
    if (!ready) {
      throw GroupErrors.invalidGroup("Group status must be available, but current status is: " + group.status() + ".");
    }
    if (!group.volumeTypeIds().contains(typeId)) {
      throw VolumeErrors.invalidInput(
          "Invalid volume_type provided: " + typeId + ". The requested type is not compatible with the group.");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
