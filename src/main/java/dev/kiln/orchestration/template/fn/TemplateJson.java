package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON text to values, for functions that take JSON in strings. */
public final class TemplateJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder().nodeFactory(Values.JSON).build();

  private TemplateJson() {}

  /** @throws IllegalArgumentException with the parser's message when the text is not JSON */
  public static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }
}
