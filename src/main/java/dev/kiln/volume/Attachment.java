package dev.kiln.volume;

import java.time.Instant;

/**
 * One attachment of a volume to an instance: reserved, then attaching once a host's connector
 * is known, then attached when the instance uses it.
 *
 * @param connector the host's connector, as JSON text, once known
 * @param connectionInfo what the backend told the host to connect to, as JSON text, once known
 */
public record Attachment(
    String id,
    String volumeId,
    String projectId,
    String instanceUuid,
    String attachedHost,
    String mountpoint,
    String attachStatus,
    String attachMode,
    String connector,
    String connectionInfo,
    Instant attachTime,
    Instant createdAt,
    Instant updatedAt) {

  public Attachment with(String status, String connector, String connectionInfo, String host, String mountpoint, Instant attachTime, Instant now) {
    return new Attachment(
        id, volumeId, projectId, instanceUuid, host, mountpoint, status, attachMode, connector,
        connectionInfo, attachTime, createdAt, now);
  }
}
