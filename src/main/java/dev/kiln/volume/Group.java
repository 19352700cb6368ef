package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A Cinder generic volume group (3.13): volumes of the given volume types, made and snapshotted
 * together, of one group type.
 *
 * @param volumeTypeIds the volume types its volumes may have, in the order given at create
 * @param groupSnapshotId the group snapshot it was made from, or null
 * @param sourceGroupId the group it was copied from, or null
 */
public record Group(
    String id,
    String projectId,
    String userId,
    String name,
    String description,
    String status,
    String availabilityZone,
    String groupTypeId,
    List<String> volumeTypeIds,
    String groupSnapshotId,
    String sourceGroupId,
    Instant createdAt,
    Instant updatedAt) {

  public Group {
    requireNonNull(id, "id is null");
    requireNonNull(status, "status is null");
    volumeTypeIds = List.copyOf(volumeTypeIds);
  }

  /** Cinder's group statuses, those an admin may reset a group to. */
  public static final class Status {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String UPDATING = "updating";
    public static final String DELETING = "deleting";
    public static final String ERROR = "error";
    public static final String ERROR_DELETING = "error_deleting";
    public static final String IN_USE = "in-use";
    public static final List<String> ALL = List.of(CREATING, AVAILABLE, UPDATING, DELETING, ERROR, ERROR_DELETING, IN_USE);

    private Status() {}
  }
}
