package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A Cinder group snapshot (3.14): one snapshot of each volume of a group, taken together; the
 * member snapshots name it in their {@code group_snapshot_id}.
 */
public record GroupSnapshot(
    String id,
    String projectId,
    String userId,
    String groupId,
    String groupTypeId,
    String name,
    String description,
    String status,
    Instant createdAt,
    Instant updatedAt) {

  public GroupSnapshot {
    requireNonNull(id, "id is null");
    requireNonNull(status, "status is null");
  }

  /** Cinder's group snapshot statuses, those an admin may reset one to. */
  public static final class Status {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String DELETING = "deleting";
    public static final String ERROR = "error";
    public static final String ERROR_DELETING = "error_deleting";
    public static final List<String> ALL = List.of(CREATING, AVAILABLE, DELETING, ERROR, ERROR_DELETING);

    private Status() {}
  }
}
