package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A Cinder user message (3.3): tells a project what went wrong with one of its resources after the
 * request that asked for it had answered.
 *
 * @param requestId the id of the request whose work failed
 * @param eventId Cinder's event code, {@code VOLUME_<resource>_<action>_<detail>}
 * @param expiresAt until when the message is kept (Cinder's {@code guaranteed_until})
 */
public record UserMessage(
    String id,
    String projectId,
    String requestId,
    String resourceType,
    String resourceUuid,
    String eventId,
    String messageLevel,
    String userMessage,
    Instant createdAt,
    Instant expiresAt) {

  public UserMessage {
    requireNonNull(id, "id is null");
    requireNonNull(projectId, "projectId is null");
    requireNonNull(userMessage, "userMessage is null");
  }
}
