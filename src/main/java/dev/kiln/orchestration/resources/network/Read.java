package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads resolved properties, where a property the template left out may be missing or JSON null:
 * both read as null here, as Heat's {@code properties[key]} answers None.
 */
final class Read {
  private Read() {}

  static JsonNode node(JsonNode props, String key) {
    if (props == null) {
      return null;
    }
    JsonNode v = props.get(key);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  static String text(JsonNode props, String key) {
    JsonNode v = node(props, key);
    return v == null ? null : v.asText();
  }

  static Boolean bool(JsonNode props, String key) {
    JsonNode v = node(props, key);
    if (v == null) {
      return null;
    }
    return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
  }

  static Integer integer(JsonNode props, String key) {
    JsonNode v = node(props, key);
    if (v == null) {
      return null;
    }
    return v.isNumber() ? v.intValue() : Integer.valueOf(v.asText().strip());
  }

  /** A list of strings, or null when the property is not given. */
  static List<String> strings(JsonNode props, String key) {
    JsonNode v = node(props, key);
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    v.forEach(item -> out.add(item.asText()));
    return out;
  }

  /** Whether {@code key} differs between the properties a resource had and the ones it gets. */
  static boolean changed(JsonNode previous, JsonNode next, String key) {
    return !Objects.equals(node(previous, key), node(next, key));
  }
}
