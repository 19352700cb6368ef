package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import java.util.List;

/**
 * What a type may read of a resource when it answers an attribute or a reference: its row's
 * state and what it recorded, read-only.
 *
 * @param id the row's uuid
 * @param data what the type recorded (do not change it)
 * @param properties the resolved properties, or null before the resource was created
 * @param signals the signals it received, oldest first (fetched only for types that take them)
 */
public record ResourceState(
    String id,
    String stackId,
    String stackName,
    String name,
    String type,
    StackAction action,
    StackStatus status,
    String physicalId,
    JsonNode properties,
    ObjectNode data,
    String nestedStackId,
    List<JsonNode> signals) {

  public ResourceState {
    signals = List.copyOf(signals);
  }
}
