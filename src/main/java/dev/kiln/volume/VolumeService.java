package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;

/**
 * Kiln's Block Storage service. Compute uses {@link Attachments} in-process with the same
 * operations Nova calls on Cinder: create (reserve), update (connect), complete, delete.
 */
public record VolumeService(
    VolumeTypes types,
    VolumeQuotas quotas,
    Volumes volumes,
    Snapshots snapshots,
    Attachments attachments,
    VolumeProperties properties,
    VolumeServices services,
    VolumeTypeAccess typeAccess,
    QosSpecs qos,
    VolumeTransfers transfers,
    VolumeUploads uploads,
    GroupTypes groupTypes,
    Groups groups,
    GroupSnapshots groupSnapshots,
    UserMessages messages,
    VolumeBackups backups) {

  public VolumeService {
    requireNonNull(types, "types is null");
    requireNonNull(quotas, "quotas is null");
    requireNonNull(volumes, "volumes is null");
    requireNonNull(snapshots, "snapshots is null");
    requireNonNull(attachments, "attachments is null");
    requireNonNull(properties, "properties is null");
    requireNonNull(services, "services is null");
    requireNonNull(typeAccess, "typeAccess is null");
    requireNonNull(qos, "qos is null");
    requireNonNull(transfers, "transfers is null");
    requireNonNull(uploads, "uploads is null");
    requireNonNull(groupTypes, "groupTypes is null");
    requireNonNull(groups, "groups is null");
    requireNonNull(groupSnapshots, "groupSnapshots is null");
    requireNonNull(messages, "messages is null");
    requireNonNull(backups, "backups is null");
  }

  /**
   * Wires the service over one database, registering its task handlers with {@code tasks}; volumes
   * are made from the images {@code images} finds.
   */
  public static VolumeService create(
      Database db, Clock clock, IdGenerator ids, VolumeBackend backend, TaskRunner tasks, ImageCatalog images) {
    Sql sql = db.sql();
    VolumeTypes types = new VolumeTypes(db, clock, ids, typeId -> new VolumeStore(sql).volumeTypeInUse(typeId));
    VolumeQuotas quotas = new VolumeQuotas(db);
    UserMessages messages = new UserMessages(db, clock, ids);
    Volumes volumes = new Volumes(db, clock, ids, types, quotas, backend, tasks, images, messages);
    GroupTypes groupTypes = new GroupTypes(db, clock, ids);
    Backups backups = new Backups(db, clock, ids, quotas, tasks);
    return new VolumeService(
        types,
        quotas,
        volumes,
        new Snapshots(db, clock, ids, quotas, tasks),
        new Attachments(db, clock, ids, backend),
        new VolumeProperties(db, clock, types),
        new VolumeServices(db, clock),
        new VolumeTypeAccess(db, types),
        new QosSpecs(db, clock, ids),
        new VolumeTransfers(db, clock, ids, quotas),
        new VolumeUploads(db, clock, tasks, images),
        groupTypes,
        new Groups(db, clock, ids, groupTypes, types, volumes, quotas, backend, tasks),
        new GroupSnapshots(db, clock, ids, quotas, tasks),
        messages,
        new VolumeBackups(
            backups,
            new BackupRestores(db, clock, volumes, backups, tasks),
            new BackupRecords(db, clock, quotas, backups, tasks)));
  }
}
