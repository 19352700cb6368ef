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
 * @param parameters the stack's parameters (as the request gave them) that go with this template, so
 *     that a rollback can bind it again; null for rows that did not record them
 */
public record TemplateRow(
    String id,
    JsonNode template,
    Map<String, String> files,
    JsonNode environment,
    List<String> environmentFiles,
    JsonNode parameters,
    Instant createdAt) {

  public TemplateRow {
    files = Map.copyOf(files);
    environmentFiles = List.copyOf(environmentFiles);
  }

  /** A row that records no parameters. */
  public TemplateRow(
      String id, JsonNode template, Map<String, String> files, JsonNode environment, List<String> environmentFiles,
      Instant createdAt) {
    this(id, template, files, environment, environmentFiles, null, createdAt);
  }
}
