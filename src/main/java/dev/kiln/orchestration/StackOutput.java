package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One resolved output.
 *
 * @param value the value, or JSON null when it could not be resolved
 * @param error why it could not be resolved ({@code output_error}), or null
 */
public record StackOutput(String key, String description, JsonNode value, String error) {}
