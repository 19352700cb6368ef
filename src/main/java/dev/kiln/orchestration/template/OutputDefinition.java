package dev.kiln.orchestration.template;

/** One output of a bound template; {@code value} is resolved when the output is shown. */
public record OutputDefinition(String name, String description, Expression value) {}
