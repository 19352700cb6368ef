package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.schema.Constraint;
import java.util.List;

/**
 * One template parameter.
 *
 * @param type Heat's type name: {@code string}, {@code number}, {@code json}, {@code
 *     comma_delimited_list}, {@code boolean} (CFN: {@code String}, {@code Number}, …)
 * @param defaultValue the default, or null when there is none
 */
public record ParameterDefinition(
    String name,
    String type,
    String label,
    String description,
    JsonNode defaultValue,
    boolean hidden,
    boolean immutable,
    List<Constraint> constraints) {

  public ParameterDefinition {
    constraints = List.copyOf(constraints);
  }
}
