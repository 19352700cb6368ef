package dev.kiln.orchestration;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.List;
import java.util.Map;

/**
 * What a stack create (or preview, or part 2's update) asks for.
 *
 * @param parameters the request's {@code parameters}; values as sent (strings or JSON)
 * @param timeoutMins {@code timeout_mins}, or null for Kiln's default
 */
public record StackRequest(
    String name,
    TemplateSource template,
    Map<String, JsonNode> parameters,
    Integer timeoutMins,
    boolean disableRollback,
    List<String> tags) {

  public StackRequest {
    requireNonNull(name, "name is null");
    requireNonNull(template, "template is null");
    parameters = Map.copyOf(parameters);
    tags = List.copyOf(tags);
  }
}
