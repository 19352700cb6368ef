package dev.kiln.orchestration.template;

/** The values of {@code OS::stack_name}, {@code OS::stack_id}, {@code OS::project_id}. */
public record PseudoParameters(String stackName, String stackId, String projectId) {}
