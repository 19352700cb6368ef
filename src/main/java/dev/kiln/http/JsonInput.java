package dev.kiln.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict, field-by-field reading of a JSON request object. Every failure is a 400 that names the
 * field by its path ({@code user/name}), so the user knows exactly what to fix; unknown fields are
 * refused rather than silently ignored.
 */
public final class JsonInput {
  private final ObjectNode node;
  private final String path;

  private JsonInput(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The request body, which must be a JSON object with exactly the member {@code key}. */
  public static JsonInput wrapped(JsonNode body, String key) {
    if (!(body instanceof ObjectNode root)) {
      throw ApiError.badRequest("The request body must be a JSON object with a '" + key + "' member.");
    }
    JsonInput top = new JsonInput(root, "");
    top.allowOnly(key);
    return top.object(key);
  }

  /** The request body as a JSON object. */
  public static JsonInput root(JsonNode body) {
    if (!(body instanceof ObjectNode root)) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    return new JsonInput(root, "");
  }

  /** Refuses any member not named here. */
  public JsonInput allowOnly(String... names) {
    Set<String> allowed = Set.of(names);
    Iterator<String> fields = node.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!allowed.contains(field)) {
        throw ApiError.badRequest(
            "Invalid input for field '"
                + name(field)
                + "': unknown field. Allowed fields here: "
                + String.join(", ", new TreeSet<>(allowed))
                + ".");
      }
    }
    return this;
  }

  public boolean has(String field) {
    return node.has(field);
  }

  public JsonInput object(String field) {
    JsonNode value = required(field);
    if (!(value instanceof ObjectNode child)) {
      throw invalid(field, "expected an object");
    }
    return new JsonInput(child, name(field));
  }

  public Optional<JsonInput> optionalObject(String field) {
    return node.has(field) && !node.get(field).isNull()
        ? Optional.of(object(field))
        : Optional.empty();
  }

  /**
   * A required string. Strings with an unpaired UTF-16 surrogate (JSON's {@code "\ud800"} alone)
   * are refused, as Cinder refuses them: they are not Unicode text and cannot be stored or shown
   * as such.
   */
  public String string(String field) {
    JsonNode value = required(field);
    if (!value.isTextual()) {
      throw invalid(field, "expected a string");
    }
    String text = value.textValue();
    if (hasUnpairedSurrogate(text)) {
      throw invalid(field, "contains an unpaired UTF-16 surrogate, which is not valid Unicode");
    }
    return text;
  }

  /** A required string of at most {@code maxLength} characters. */
  public String string(String field, int maxLength) {
    return checkLength(field, string(field), maxLength);
  }

  /** An optional string of at most {@code maxLength} characters; JSON null reads as absent. */
  public Optional<String> optionalString(String field, int maxLength) {
    return optionalString(field).map(value -> checkLength(field, value, maxLength));
  }

  /** An optional UUID (with or without dashes, as OpenStack's uuid format accepts). */
  public Optional<String> optionalUuid(String field) {
    return optionalString(field)
        .map(
            value -> {
              if (!value.matches("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")) {
                throw invalid(field, "'" + abbreviate(value) + "' is not a valid UUID");
              }
              return value;
            });
  }

  private String checkLength(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw invalid(
          field, "is " + value.length() + " characters long, more than the limit of " + maxLength);
    }
    return value;
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return true;
      }
      if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** A required string that must not be empty or blank. */
  public String nonBlankString(String field, int maxLength) {
    String value = string(field);
    if (value.isBlank()) {
      throw invalid(field, "must not be empty");
    }
    if (value.length() > maxLength) {
      throw invalid(field, "must be at most " + maxLength + " characters long");
    }
    return value;
  }

  /** An optional string; JSON null reads as absent. */
  public Optional<String> optionalString(String field) {
    if (!node.has(field) || node.get(field).isNull()) {
      return Optional.empty();
    }
    return Optional.of(string(field));
  }

  public Optional<Boolean> optionalBoolean(String field) {
    if (!node.has(field) || node.get(field).isNull()) {
      return Optional.empty();
    }
    JsonNode value = node.get(field);
    if (!value.isBoolean()) {
      throw invalid(field, "expected true or false");
    }
    return Optional.of(value.booleanValue());
  }

  public Optional<Integer> optionalInt(String field) {
    if (!node.has(field) || node.get(field).isNull()) {
      return Optional.empty();
    }
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(field, "expected a whole number");
    }
    return Optional.of(value.intValue());
  }

  /** An optional list of strings; JSON null reads as absent. */
  public Optional<java.util.List<String>> optionalStringList(String field) {
    if (!node.has(field) || node.get(field).isNull()) {
      return Optional.empty();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode item : array(field)) {
      if (!item.isTextual()) {
        throw invalid(field, "expected a list of strings");
      }
      out.add(item.textValue());
    }
    return Optional.of(out);
  }

  /** An optional list of objects, each read strictly; JSON null reads as absent. */
  public Optional<java.util.List<JsonInput>> optionalObjectList(String field) {
    if (!node.has(field) || node.get(field).isNull()) {
      return Optional.empty();
    }
    java.util.List<JsonInput> out = new java.util.ArrayList<>();
    int i = 0;
    for (JsonNode item : array(field)) {
      if (!(item instanceof ObjectNode child)) {
        throw invalid(field, "expected a list of objects");
      }
      out.add(new JsonInput(child, name(field) + "/" + i++));
    }
    return Optional.of(out);
  }

  /** Whether the member is present with an explicit JSON null. */
  public boolean isNull(String field) {
    return node.has(field) && node.get(field).isNull();
  }

  public JsonNode raw(String field) {
    return required(field);
  }

  public Iterable<JsonNode> array(String field) {
    JsonNode value = required(field);
    if (!value.isArray()) {
      throw invalid(field, "expected a list");
    }
    return value;
  }

  /** The path of this object in the body, for messages. */
  public String path() {
    return path;
  }

  private JsonNode required(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field, "this field is required");
    }
    return value;
  }

  public ApiError invalid(String field, String why) {
    return ApiError.badRequest(
        "SchemaValidationError", "Invalid input for field '" + name(field) + "': " + why + ".");
  }

  private String name(String field) {
    return path.isEmpty() ? field : path + "/" + field;
  }
}
