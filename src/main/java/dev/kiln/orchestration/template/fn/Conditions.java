package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** How a condition argument becomes true or false (Heat's {@code _get_condition}). */
final class Conditions {
  private Conditions() {}

  /** A boolean is itself; a string names a condition; anything else is an invalid condition. */
  static boolean holds(JsonNode condition, Scope scope) {
    if (condition.isBoolean()) {
      return condition.booleanValue();
    }
    if (condition.isTextual()) {
      return scope.condition(condition.textValue());
    }
    throw TemplateError.invalid("Invalid condition \"" + Values.str(condition) + "\"");
  }
}
