package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stack as the API shows it.
 *
 * @param parameters every parameter's value as Heat shows them (pseudo parameters included,
 *     hidden ones already masked as {@code ******})
 * @param outputs resolved outputs; empty unless the caller asked for a stack with outputs
 * @param parentId the parent stack of a nested stack, or null
 * @param parentResource the name of the parent's resource this stack is, or null
 * @param deletedAt when the stack was deleted ({@code show_deleted}), or null
 */
public record Stack(
    String id,
    String name,
    String projectId,
    String ownerUserId,
    StackAction action,
    StackStatus status,
    String statusReason,
    String description,
    Map<String, JsonNode> parameters,
    List<StackOutput> outputs,
    Integer timeoutMins,
    boolean disableRollback,
    List<String> tags,
    String parentId,
    String parentResource,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt) {

  public Stack {
    parameters = Map.copyOf(parameters);
    outputs = List.copyOf(outputs);
    tags = List.copyOf(tags);
  }

  /** {@code CREATE_COMPLETE}, as Heat joins them. */
  public String stackStatus() {
    return action + "_" + status;
  }
}
