package dev.kiln.orchestration.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import java.time.Instant;
import java.util.List;

/**
 * A stack as stored.
 *
 * @param traversal the id of the stack's current operation; only the task carrying it may write
 * @param parameters the request's parameters (JSON object), to bind the template again
 * @param shownParameters every bound parameter as the API shows them (hidden ones masked)
 * @param parentResourceId the parent's resource row this stack is, or null for a top-level stack
 */
public record StackRow(
    String id,
    String name,
    String projectId,
    String userId,
    boolean ownerAdmin,
    StackAction action,
    StackStatus status,
    String statusReason,
    String traversal,
    Instant operationStartedAt,
    String templateId,
    String previousTemplateId,
    String description,
    JsonNode parameters,
    JsonNode shownParameters,
    Integer timeoutMins,
    boolean disableRollback,
    List<String> tags,
    String parentId,
    String parentResource,
    String parentResourceId,
    String rootId,
    int nestedDepth,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt) {

  public StackRow {
    tags = List.copyOf(tags);
  }

  public boolean inProgress() {
    return status == StackStatus.IN_PROGRESS;
  }

  public boolean deleted() {
    return deletedAt != null;
  }

  /**
   * This stack pointed at a template for a new operation (an update, or a rollback to the template
   * before), with what comes with a template: its parameters and description.
   */
  public StackRow retargeted(
      StackAction action, String reason, String traversal, Instant now, String templateId,
      String previousTemplateId, String description, JsonNode parameters, JsonNode shownParameters,
      Integer timeoutMins, boolean disableRollback, List<String> tags) {
    return new StackRow(
        id, name, projectId, userId, ownerAdmin, action, StackStatus.IN_PROGRESS, reason, traversal, now, templateId,
        previousTemplateId, description, parameters, shownParameters, timeoutMins, disableRollback, tags, parentId,
        parentResource, parentResourceId, rootId, nestedDepth, createdAt, now, deletedAt);
  }

  /** This row with a new state; the other fields kept. */
  public StackRow withState(StackAction action, StackStatus status, String reason, Instant now) {
    return new StackRow(
        id, name, projectId, userId, ownerAdmin, action, status, reason, traversal, operationStartedAt, templateId,
        previousTemplateId, description, parameters, shownParameters, timeoutMins, disableRollback, tags, parentId,
        parentResource, parentResourceId, rootId, nestedDepth, createdAt, now, deletedAt);
  }
}
