package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** A function an earlier HOT version had and this one dropped: using it is an error. */
public final class Removed implements Function {
  public static final Removed INSTANCE = new Removed();

  @Override
  public String description() {
    return "Removed in this version.";
  }

  private static TemplateError error(String name) {
    return new TemplateError(
        "StackValidationFailed",
        "The template version is invalid: The function " + name
            + " is not supported in this version of HOT.",
        false);
  }

  @Override
  public void check(String name, Node args) {
    throw error(name);
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    throw error(name);
  }
}
