package dev.kiln.orchestration.resources.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Values as Heat's attributes print them: several Cinder attributes are Python's {@code str()} of
 * what cinderclient returned ({@code "None"}, {@code "False"}, a dict's repr with single quotes),
 * and {@code metadata} is {@code json.dumps} of a dict. Templates that parse those strings expect
 * exactly this text.
 */
final class PythonText {
  private PythonText() {}

  /** Python's {@code str(value)} of a JSON value. */
  static String str(JsonNode value) {
    return value != null && value.isTextual() ? value.textValue() : repr(value);
  }

  /** Python's {@code repr(value)} of a JSON value. */
  static String repr(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "None";
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "True" : "False";
    }
    if (value.isTextual()) {
      return "'" + value.textValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        out.append(repr(it.next())).append(it.hasNext() ? ", " : "");
      }
      return out.append(']').toString();
    }
    if (value.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(repr(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey())))
            .append(": ")
            .append(repr(e.getValue()))
            .append(it.hasNext() ? ", " : "");
      }
      return out.append('}').toString();
    }
    return value.toString();
  }

  /** Python's {@code json.dumps(value)}: ", " between items and ": " after keys. */
  static String jsonDumps(JsonNode value) {
    if (value.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()).toString())
            .append(": ")
            .append(jsonDumps(e.getValue()))
            .append(it.hasNext() ? ", " : "");
      }
      return out.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        out.append(jsonDumps(it.next())).append(it.hasNext() ? ", " : "");
      }
      return out.append(']').toString();
    }
    return value.toString();
  }
}
