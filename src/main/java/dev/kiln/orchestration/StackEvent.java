package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event: a change of a resource's (or, under the stack's own name, the stack's) status.
 *
 * @param sequence orders a stack's events (ties of {@code time} included); markers use the id
 * @param resourceName the resource's name, or the stack's name for the stack's own events
 * @param resourceProperties the resource's properties at the time, or an empty object
 */
public record StackEvent(
    String id,
    long sequence,
    String stackId,
    String stackName,
    String resourceName,
    String physicalResourceId,
    String resourceType,
    StackAction action,
    StackStatus status,
    String reason,
    JsonNode resourceProperties,
    Instant time) {

  public String resourceStatus() {
    return action + "_" + status;
  }
}
