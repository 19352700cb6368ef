package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.List;
import java.util.Map;

/**
 * What a stack update (or its preview) asks for: {@code PUT} gives a whole new template, {@code
 * PATCH} ({@code existing}) changes only what it names and keeps the rest of the stack's template,
 * files, environment and parameters.
 *
 * @param template the new template with its files and environment; for a PATCH, null to keep the
 *     stack's template (its files then merged with {@code template}'s files, if any)
 * @param parameters the request's parameters; a PATCH merges them over the stack's
 * @param clearParameters for a PATCH, stack parameters to drop (back to their defaults)
 * @param timeoutMins null to keep the stack's
 * @param disableRollback null to keep the stack's
 * @param tags null to keep the stack's
 */
public record StackUpdate(
    TemplateSource template,
    Map<String, JsonNode> parameters,
    boolean existing,
    List<String> clearParameters,
    Integer timeoutMins,
    Boolean disableRollback,
    List<String> tags) {

  public StackUpdate {
    parameters = Map.copyOf(parameters);
    clearParameters = List.copyOf(clearParameters);
    tags = tags == null ? null : List.copyOf(tags);
    if (template == null && !existing) {
      throw new IllegalArgumentException("a full update needs a template");
    }
  }
}
