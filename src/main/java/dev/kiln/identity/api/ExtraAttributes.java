package dev.kiln.identity.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Keystone's users and groups take attributes it does not know and keep them ({@code
 * additionalProperties: true} in its schemas); Tempest relies on it, sending {@code project_id}
 * when it makes users. Kiln keeps them as one JSON object's text beside the known columns.
 */
final class ExtraAttributes {
  /** The most extra text a record keeps: the request body limit bounds it anyway. */
  private static final int MAX_CHARS = 65_536;

  private ExtraAttributes() {}

  /** The fields of {@code body} not in {@code known}, as JSON text. */
  static String of(JsonNode body, Set<String> known) {
    return merged("{}", body, known);
  }

  /** {@code old} with the fields of {@code body} not in {@code known} added or replaced. */
  static String merged(String old, JsonNode body, Set<String> known) {
    ObjectNode extra = parse(old);
    Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!known.contains(f.getKey())) {
        extra.set(f.getKey(), f.getValue());
      }
    }
    String text = extra.toString();
    if (text.length() > MAX_CHARS) {
      throw dev.kiln.http.ApiError.badRequest(
          "Extra attributes may hold at most " + MAX_CHARS + " characters of JSON.");
    }
    return text;
  }

  /** Adds the extra attributes to a view, never over a field the view already has. */
  static void addTo(ObjectNode view, String extra) {
    Iterator<Map.Entry<String, JsonNode>> fields = parse(extra).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!view.has(f.getKey())) {
        view.set(f.getKey(), f.getValue());
      }
    }
  }

  private static ObjectNode parse(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text == null ? "{}" : text);
      return node instanceof ObjectNode o ? o : Json.object();
    } catch (JsonProcessingException e) {
      return Json.object(); // written by Kiln itself; unreadable only if edited by hand
    }
  }
}
