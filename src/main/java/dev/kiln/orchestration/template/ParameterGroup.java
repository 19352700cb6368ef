package dev.kiln.orchestration.template;

import java.util.List;

/** One entry of {@code parameter_groups}. */
public record ParameterGroup(String label, String description, List<String> parameters) {
  public ParameterGroup {
    parameters = List.copyOf(parameters);
  }
}
