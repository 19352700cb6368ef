package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One resource of a stack as the API shows it.
 *
 * @param physicalId the id of what the resource made ({@code physical_resource_id}), or empty
 * @param requiredBy names of the resources that depend on this one
 * @param nestedStackId the child stack of a nested-stack resource, or null
 * @param attributes every attribute's value; filled only when asked for with detail
 * @param parentResourceName for a resource of a nested stack listed with {@code nested_depth}, the
 *     parent stack's resource that holds it, or null
 */
public record StackResource(
    String stackId,
    String stackName,
    String name,
    String physicalId,
    String type,
    StackAction action,
    StackStatus status,
    String statusReason,
    String description,
    List<String> requiredBy,
    String nestedStackId,
    JsonNode attributes,
    String parentResourceName,
    Instant createdAt,
    Instant updatedAt) {

  public StackResource {
    requiredBy = List.copyOf(requiredBy);
  }

  public String resourceStatus() {
    return action + "_" + status;
  }
}
