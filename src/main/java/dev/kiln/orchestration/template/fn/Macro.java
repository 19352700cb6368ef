package dev.kiln.orchestration.template.fn;

/**
 * A function that chooses which part of its arguments is used at all ({@code if}): it is expanded
 * into the chosen snippet instead of being applied to evaluated arguments.
 */
public interface Macro extends Function {
  /** The chosen snippet; a {@link Node.Literal} of {@link Values#MISSING} to leave it out. */
  Node expand(Call call, Scope scope);

  @Override
  default com.fasterxml.jackson.databind.JsonNode apply(
      String name, com.fasterxml.jackson.databind.JsonNode args, Scope scope) {
    throw new IllegalStateException("a macro is expanded, not applied");
  }
}
