package dev.kiln.orchestration.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** JSON kept in TEXT columns: written compact, read back as trees. */
public final class JsonColumns {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonColumns() {}

  public static String write(JsonNode node) {
    if (node == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  public static JsonNode read(String text) {
    if (text == null) {
      return null;
    }
    if (text.equals("{}")) {
      return JsonNodeFactory.instance.objectNode(); // lists read many of these: skip the parser
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored JSON column does not parse: " + e.getMessage(), e);
    }
  }

  public static String writeStrings(List<String> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return write(array);
  }

  public static List<String> readStrings(String text) {
    if (text == null || text.equals("[]")) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    JsonNode node = read(text);
    if (node != null) {
      node.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
