package dev.kiln.volume;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Cinder volume with its metadata and its attachments.
 *
 * @param imageMetadata what Cinder calls {@code volume_image_metadata}: the image the volume was
 *     made from (directly, or through the volume or snapshot it copies), as strings; empty if none
 */
public record Volume(
    String id,
    String projectId,
    String userId,
    String name,
    String description,
    int size,
    String status,
    String attachStatus,
    String volumeTypeId,
    String availabilityZone,
    boolean multiattach,
    boolean bootable,
    String sourceVolid,
    String snapshotId,
    Map<String, String> metadata,
    List<Attachment> attachments,
    Instant createdAt,
    Instant updatedAt,
    Map<String, String> imageMetadata) {

  public Volume {
    metadata = Map.copyOf(metadata);
    imageMetadata = Collections.unmodifiableMap(new TreeMap<>(imageMetadata));
    attachments = List.copyOf(attachments);
  }

  /** Cinder's volume statuses that matter to Kiln's state machine. */
  public static final class Status {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String RESERVED = "reserved";
    public static final String ATTACHING = "attaching";
    public static final String IN_USE = "in-use";
    public static final String DETACHING = "detaching";
    public static final String DELETING = "deleting";
    public static final String EXTENDING = "extending";
    public static final String ERROR = "error";

    private Status() {}
  }

  /** Cinder's volume attach_status values. */
  public static final class AttachStatus {
    public static final String DETACHED = "detached";
    public static final String RESERVED = "reserved";
    public static final String ATTACHING = "attaching";
    public static final String ATTACHED = "attached";
    public static final String DETACHING = "detaching";

    private AttachStatus() {}
  }
}
