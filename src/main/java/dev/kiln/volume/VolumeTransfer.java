package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A volume offered to another project (Cinder's transfer). The auth key itself is known only to
 * the creator: it is in {@link Created} once, and the store keeps a salted hash.
 *
 * @param name free text, or null
 * @param noSnapshots whether the volume's snapshots stay behind (3.55)
 * @param destinationProjectId who accepted it; null until then
 */
public record VolumeTransfer(
    String id,
    String volumeId,
    String name,
    boolean noSnapshots,
    String sourceProjectId,
    String destinationProjectId,
    boolean accepted,
    Instant createdAt) {

  public VolumeTransfer {
    requireNonNull(id, "id is null");
    requireNonNull(volumeId, "volumeId is null");
    requireNonNull(sourceProjectId, "sourceProjectId is null");
    requireNonNull(createdAt, "createdAt is null");
  }

  /** A transfer just made, with the key to give to the recipient. */
  public record Created(VolumeTransfer transfer, String authKey) {}
}
