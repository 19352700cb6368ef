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
 * @param adminMetadata what Cinder calls the volume's admin metadata, such as {@code readonly}
 * @param groupId the generic volume group the volume belongs to, or null
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
    Map<String, String> imageMetadata,
    Map<String, String> adminMetadata,
    String groupId) {

  /** The admin metadata keys Cinder shows users among the volume's metadata. */
  public static final java.util.List<String> VISIBLE_ADMIN_METADATA = java.util.List.of("readonly", "attached_mode");

  public Volume {
    metadata = Map.copyOf(metadata);
    adminMetadata = Map.copyOf(adminMetadata);
    imageMetadata = Collections.unmodifiableMap(new TreeMap<>(imageMetadata));
    attachments = List.copyOf(attachments);
  }

  /** The metadata users see: the volume's own, with the visible admin metadata over it. */
  public Map<String, String> visibleMetadata() {
    if (adminMetadata.isEmpty()) {
      return metadata;
    }
    Map<String, String> visible = new TreeMap<>(metadata);
    for (String key : VISIBLE_ADMIN_METADATA) {
      if (adminMetadata.containsKey(key)) {
        visible.put(key, adminMetadata.get(key));
      }
    }
    return visible;
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
    /** Offered to another project by a volume transfer, until it is accepted or withdrawn. */
    public static final String AWAITING_TRANSFER = "awaiting-transfer";

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
