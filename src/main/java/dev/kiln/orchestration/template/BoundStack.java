package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A template with its parameters bound and its conditions evaluated: what the engine builds.
 *
 * @param parameterValues every parameter's value, including the pseudo parameters ({@code
 *     OS::stack_name}, {@code OS::stack_id}, {@code OS::project_id}), unmasked; the API masks
 *     hidden ones
 * @param resources the resources whose condition holds, in template order
 * @param outputs the outputs whose condition holds, in template order
 */
public record BoundStack(
    Map<String, JsonNode> parameterValues,
    List<ResourceDefinition> resources,
    List<OutputDefinition> outputs) {

  public BoundStack {
    parameterValues = Map.copyOf(parameterValues);
    resources = List.copyOf(resources);
    outputs = List.copyOf(outputs);
  }
}
