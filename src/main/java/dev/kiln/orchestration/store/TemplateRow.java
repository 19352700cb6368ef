package dev.kiln.orchestration.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A template as a stack operation received it, kept so that any node can parse it again.
 *
 * @param environment the request's own environment object, or null
 * @param environmentFiles names in {@code files} of the environments merged before it, in order
 */
public record TemplateRow(
    String id,
    JsonNode template,
    Map<String, String> files,
    JsonNode environment,
    List<String> environmentFiles,
    Instant createdAt) {

  public TemplateRow {
    files = Map.copyOf(files);
    environmentFiles = List.copyOf(environmentFiles);
  }
}
