package dev.kiln.volume;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Cinder volume backup.
 *
 * @param projectId the project that made the backup (an admin's backup of another project's
 *     volume belongs to the admin's project, as in Cinder)
 * @param snapshotId the snapshot the backup was taken from, or null when taken from the volume
 * @param parentId the backup an incremental backup builds on, or null for a full backup
 * @param dependents how many incremental backups build on this one
 * @param previousVolumeStatus the status the source volume returns to once the backup is taken
 * @param restoreVolumeId the volume a restore in progress writes to, or null
 * @param source what the backup copied of the volume besides its data, for a restore to give back
 * @param dataTimestamp when the backed-up data was current: the backup's creation, or the
 *     snapshot's when taken from a snapshot
 */
public record Backup(
    String id,
    String projectId,
    String userId,
    String volumeId,
    String snapshotId,
    String name,
    String description,
    String container,
    String availabilityZone,
    int size,
    int objectCount,
    String status,
    String failReason,
    String parentId,
    int dependents,
    String previousVolumeStatus,
    String restoreVolumeId,
    Source source,
    Map<String, String> metadata,
    Instant dataTimestamp,
    Instant createdAt,
    Instant updatedAt) {

  public Backup {
    metadata = Map.copyOf(metadata);
  }

  public boolean incremental() {
    return parentId != null;
  }

  public boolean hasDependents() {
    return dependents > 0;
  }

  /**
   * What a backup keeps of its volume besides the data: the volume's metadata, its image metadata
   * and whether it was bootable.
   */
  public record Source(boolean bootable, Map<String, String> metadata, Map<String, String> imageMetadata) {
    public static final Source NONE = new Source(false, Map.of(), Map.of());

    public Source {
      metadata = Map.copyOf(metadata);
      imageMetadata = Map.copyOf(imageMetadata);
    }
  }

  /** Cinder's backup statuses. */
  public static final class Status {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String DELETING = "deleting";
    public static final String ERROR = "error";
    public static final String ERROR_DELETING = "error_deleting";
    public static final String RESTORING = "restoring";
    /** What an admin may reset a backup to, as Cinder's reset_status schema allows. */
    public static final List<String> RESETTABLE = List.of(AVAILABLE, ERROR);

    private Status() {}
  }

  /** The volume statuses a backup and a restore move volumes through. */
  public static final class VolumeStatus {
    public static final String BACKING_UP = "backing-up";
    public static final String RESTORING_BACKUP = "restoring-backup";
    public static final String ERROR_RESTORING = "error_restoring";

    private VolumeStatus() {}
  }
}
