package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metadata} list filter. Cinder reads it as a Python literal ({@code ast.literal_eval}),
 * which is what python-cinderclient and Tempest send: {@code {'Type': 'work'}}. JSON ({@code
 * {"Type": "work"}}) is that literal too. Keys and values are strings.
 */
final class MetadataFilter {
  private final String text;
  private int at;

  private MetadataFilter(String text) {
    this.text = text;
  }

  static Map<String, String> parse(String text) {
    try {
      JsonNode json = Json.MAPPER.readTree(text);
      if (json != null && json.isObject()) {
        Map<String, String> out = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
      }
    } catch (Exception e) {
      // not JSON: read it as Python's dict literal below
    }
    return new MetadataFilter(text).dict();
  }

  private Map<String, String> dict() {
    Map<String, String> out = new LinkedHashMap<>();
    expect('{');
    if (!peek('}')) {
      do {
        String key = string();
        expect(':');
        out.put(key, string());
      } while (consume(','));
    }
    expect('}');
    skipSpace();
    if (at != text.length()) {
      throw invalid();
    }
    return out;
  }

  /** A Python string literal in single or double quotes, with backslash escapes. */
  private String string() {
    skipSpace();
    if (at >= text.length() || (text.charAt(at) != '\'' && text.charAt(at) != '"')) {
      throw invalid();
    }
    char quote = text.charAt(at++);
    StringBuilder out = new StringBuilder();
    while (at < text.length() && text.charAt(at) != quote) {
      char c = text.charAt(at++);
      if (c == '\\' && at < text.length()) {
        char next = text.charAt(at++);
        out.append(switch (next) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> next;
        });
      } else {
        out.append(c);
      }
    }
    if (at >= text.length()) {
      throw invalid();
    }
    at++;
    return out.toString();
  }

  private boolean peek(char c) {
    skipSpace();
    return at < text.length() && text.charAt(at) == c;
  }

  private boolean consume(char c) {
    if (peek(c)) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw invalid();
    }
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private ApiError invalid() {
    return ApiError.badRequest(
        "Invalid metadata filter '" + text + "': expected a dict of strings such as {'k': 'v'}.");
  }
}
