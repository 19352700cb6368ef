package dev.kiln.volume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.tasks.Task;

/** Reads the fields of Block Storage's task payloads (small JSON objects of ids). */
final class TaskPayloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskPayloads() {}

  /** The text of the payload's field {@code name}, or null when it has none. */
  static String field(Task task, String name) {
    try {
      JsonNode value = JSON.readTree(task.payload()).get(name);
      return value == null || value.isNull() ? null : value.asText();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable payload of task " + task.id(), e);
    }
  }
}
