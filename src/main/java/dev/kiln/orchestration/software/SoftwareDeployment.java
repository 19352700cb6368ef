package dev.kiln.orchestration.software;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One deployment of a config to a server. {@code status} is IN_PROGRESS until the server signals
 * (or someone updates it) COMPLETE or FAILED; {@code outputValues} holds what the signal carried.
 *
 * @param stackUserProjectId the stack user project of the stack that made it, or null (made
 *     through the API); that project's users may read and signal it
 */
public record SoftwareDeployment(
    String id,
    String projectId,
    String stackUserProjectId,
    String configId,
    String serverId,
    ObjectNode inputValues,
    ObjectNode outputValues,
    String action,
    String status,
    String statusReason,
    Instant createdAt,
    Instant updatedAt) {
  public static final String IN_PROGRESS = "IN_PROGRESS";
  public static final String COMPLETE = "COMPLETE";
  public static final String FAILED = "FAILED";
}
