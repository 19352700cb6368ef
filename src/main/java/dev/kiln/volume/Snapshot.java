package dev.kiln.volume;

import java.time.Instant;
import java.util.Map;

/**
 * A Cinder snapshot of a volume.
 *
 * @param progress what the driver last reported, such as {@code 80%}; null until it reports
 * @param groupSnapshotId the group snapshot it was taken as part of, or null
 */
public record Snapshot(
    String id,
    String projectId,
    String userId,
    String volumeId,
    String name,
    String description,
    int size,
    String status,
    String progress,
    Map<String, String> metadata,
    Instant createdAt,
    Instant updatedAt,
    String groupSnapshotId) {

  public Snapshot {
    metadata = Map.copyOf(metadata);
  }

  /** Cinder's snapshot statuses. */
  public static final class Status {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String DELETING = "deleting";
    public static final String ERROR = "error";
    public static final String ERROR_DELETING = "error_deleting";
    public static final String UNMANAGING = "unmanaging";
    public static final String BACKING_UP = "backing-up";
    public static final String RESTORING = "restoring";
    /** Every status an admin may reset a snapshot to. */
    public static final java.util.List<String> ALL =
        java.util.List.of(CREATING, AVAILABLE, DELETING, ERROR, ERROR_DELETING, UNMANAGING, BACKING_UP, RESTORING);

    private Status() {}
  }
}
