package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A volume of a server, as Nova's block device mapping records it: where the volume comes from,
 * the device it shows as, and how far attaching it has got.
 *
 * @param bootIndex 0 for the volume the server boots from, null for a data volume
 * @param sourceId the image, snapshot or volume the mapping names; null for a blank volume
 * @param volumeId the volume; null until the build made it from its source
 * @param volumeSize the size to make the volume in GiB; null to take the source's
 * @param attachmentId Block Storage's attachment; null until the volume is reserved
 */
public record BlockDevice(
    String id,
    String serverId,
    Integer bootIndex,
    Source source,
    String sourceId,
    String volumeId,
    Integer volumeSize,
    String volumeType,
    String deviceName,
    boolean deleteOnTermination,
    String tag,
    String attachmentId,
    State state,
    Instant createdAt) {

  public BlockDevice {
    requireNonNull(id, "id is null");
    requireNonNull(serverId, "serverId is null");
    requireNonNull(source, "source is null");
    requireNonNull(deviceName, "deviceName is null");
    requireNonNull(state, "state is null");
  }

  /** Nova's source types for a volume destination. */
  public enum Source {
    IMAGE,
    VOLUME,
    SNAPSHOT,
    BLANK;

    public String novaName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How far the mapping has got: waiting to be attached, attached, or being detached. */
  public enum State {
    ATTACHING,
    ATTACHED,
    DETACHING
  }

  public boolean isBoot() {
    return bootIndex != null && bootIndex == 0;
  }

  /** Whether the build makes the volume (from an image, a snapshot or nothing). */
  public boolean madeByCompute() {
    return source != Source.VOLUME;
  }
}
