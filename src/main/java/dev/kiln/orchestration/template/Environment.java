package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A merged environment, in Heat's sections.
 *
 * @param resourceRegistry the merged {@code resource_registry} object (type mappings and the
 *     per-resource {@code resources:} entries with hooks), as JSON
 * @param eventSinks {@code event_sinks}, or an empty array
 */
public record Environment(
    Map<String, JsonNode> parameters,
    Map<String, JsonNode> parameterDefaults,
    JsonNode resourceRegistry,
    JsonNode eventSinks) {

  public Environment {
    parameters = Map.copyOf(parameters);
    parameterDefaults = Map.copyOf(parameterDefaults);
  }
}
