package dev.kiln.orchestration.template.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A constraint on a parameter or property value, as Heat spells them. Bounds may be null. */
public sealed interface Constraint {
  /** The constraint's own {@code description}, or null. */
  String description();

  record Length(Integer min, Integer max, String description) implements Constraint {}

  record Range(Double min, Double max, String description) implements Constraint {}

  record Modulo(Long step, Long offset, String description) implements Constraint {}

  record AllowedValues(List<JsonNode> values, String description) implements Constraint {
    public AllowedValues {
      values = List.copyOf(values);
    }
  }

  record AllowedPattern(String pattern, String description) implements Constraint {}

  /** A check against the cloud ({@code nova.flavor}, …), done by a ConstraintChecker. */
  record Custom(String name, String description) implements Constraint {}
}
