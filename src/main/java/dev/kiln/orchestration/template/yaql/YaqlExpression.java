package dev.kiln.orchestration.template.yaql;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed YAQL expression (Kiln's subset). Placeholder until the evaluator lands. */
public final class YaqlExpression {
  private final String text;

  private YaqlExpression(String text) {
    this.text = text;
  }

  public static YaqlExpression parse(String text) {
    return new YaqlExpression(text);
  }

  /** @throws IllegalArgumentException with the evaluation error */
  public JsonNode evaluate(JsonNode data) {
    throw new IllegalArgumentException("yaql is not evaluated yet by Kiln: " + text);
  }
}
