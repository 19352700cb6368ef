package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.VolumeTypeSort;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How Cinder reads the input of its type APIs (volume types and group types alike): spec objects,
 * descriptions, its boolean words, and the list parameters {@code is_public}, {@code sort} and
 * {@code offset}.
 */
final class TypeInput {
  /** Extra spec keys in a type create body (Cinder's {@code extra_specs} schema). */
  static final Pattern CREATE_KEY = Pattern.compile("[a-zA-Z0-9\\-_:. /]{1,255}");
  /** Extra spec keys in the extra specs API, where Cinder allows no spaces or slashes. */
  static final Pattern SPEC_KEY = Pattern.compile("[a-zA-Z0-9\\-_:.]{1,255}");
  /** What Cinder's schema takes for a boolean: JSON true/false or one of these strings. */
  private static final Set<String> TRUE_WORDS =
      Set.of("True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "y", "t");
  private static final Set<String> FALSE_WORDS =
      Set.of("False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no", "n", "f");

  private TypeInput() {}

  /** An extra specs object: keys matching {@code keys}, string values of at most 255 characters. */
  static Map<String, String> specs(JsonInput in, String field, JsonNode node, Pattern keys) {
    if (!node.isObject()) {
      throw field.isEmpty()
          ? ApiError.badRequest("SchemaValidationError", "Invalid input: expected a JSON object.")
          : in.invalid(field, "expected an object");
    }
    Map<String, String> specs = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> spec = fields.next();
      String key = spec.getKey();
      String path = field.isEmpty() ? key : field + "/" + key;
      if (!keys.matcher(key).matches()) {
        throw in.invalid(
            path,
            "an extra spec key must be 1 to 255 letters, digits or any of '"
                + (keys == CREATE_KEY ? "-_:. /" : "-_:.")
                + "'");
      }
      JsonNode value = spec.getValue();
      if (!value.isTextual()) {
        throw in.invalid(path, "expected a string");
      }
      if (value.textValue().length() > 255) {
        throw in.invalid(path, "must be at most 255 characters long");
      }
      specs.put(key, value.textValue());
    }
    return specs;
  }

  static String description(JsonInput in) {
    String description = in.optionalString("description").orElse(null);
    if (description != null && description.length() > 255) {
      throw in.invalid("description", "must be at most 255 characters long");
    }
    return description;
  }

  /** A boolean as Cinder's schema takes it: true/false or a word such as "True" or "no". */
  static Optional<Boolean> bool(JsonInput in, String field) {
    if (!in.has(field) || in.isNull(field)) {
      return Optional.empty();
    }
    JsonNode value = in.raw(field);
    if (value.isBoolean()) {
      return Optional.of(value.booleanValue());
    }
    if (value.isTextual() && TRUE_WORDS.contains(value.textValue())) {
      return Optional.of(true);
    }
    if (value.isTextual() && FALSE_WORDS.contains(value.textValue())) {
      return Optional.of(false);
    }
    throw in.invalid(field, "expected true or false");
  }

  /**
   * Cinder's {@code is_public} list filter, which only admins may use: absent means public types
   * only, {@code None} means all, otherwise a strict boolean.
   */
  static Boolean isPublicFilter(ApiRequest request) {
    Optional<String> raw = request.query("is_public");
    if (raw.isEmpty()) {
      return Boolean.TRUE;
    }
    String value = raw.get().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "none" -> null;
      case "1", "t", "true", "on", "y", "yes" -> Boolean.TRUE;
      case "0", "f", "false", "off", "n", "no" -> Boolean.FALSE;
      default -> throw ApiError.badRequest("Invalid is_public filter [" + raw.get() + "]");
    };
  }

  /**
   * Cinder's sort parameters: {@code sort=key[:dir],...}, or the older {@code sort_key} and
   * {@code sort_dir}; newest first when neither is given.
   */
  static List<VolumeTypeSort> sorts(ApiRequest request) {
    Optional<String> sort = request.query("sort");
    Optional<String> sortKey = request.query("sort_key");
    Optional<String> sortDir = request.query("sort_dir");
    if (sort.isPresent() && (sortKey.isPresent() || sortDir.isPresent())) {
      throw ApiError.badRequest(
          "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
    }
    List<VolumeTypeSort> sorts = new ArrayList<>();
    if (sort.isPresent()) {
      for (String item : sort.get().split(",")) {
        String[] parts = item.strip().split(":", 2);
        sorts.add(new VolumeTypeSort(sortKey(parts[0].strip()), ascending(parts.length > 1 ? parts[1].strip() : "desc")));
      }
    } else {
      sorts.add(
          new VolumeTypeSort(sortKey(sortKey.orElse("created_at")), ascending(sortDir.orElse("desc"))));
    }
    return sorts;
  }

  private static VolumeTypeSort.Key sortKey(String key) {
    return switch (key) {
      case "id" -> VolumeTypeSort.Key.ID;
      case "name" -> VolumeTypeSort.Key.NAME;
      case "description" -> VolumeTypeSort.Key.DESCRIPTION;
      case "is_public" -> VolumeTypeSort.Key.IS_PUBLIC;
      case "created_at" -> VolumeTypeSort.Key.CREATED_AT;
      case "updated_at" -> VolumeTypeSort.Key.UPDATED_AT;
      default ->
          throw ApiError.badRequest(
              "Invalid input received: Invalid sort key '" + key + "'; volume types sort by id, name,"
                  + " description, is_public, created_at or updated_at.");
    };
  }

  private static boolean ascending(String dir) {
    return switch (dir.toLowerCase(Locale.ROOT)) {
      case "asc" -> true;
      case "desc" -> false;
      default -> throw ApiError.badRequest("Unknown sort direction, must be 'desc' or 'asc'");
    };
  }

  static int offset(ApiRequest request) {
    Optional<String> raw = request.query("offset");
    if (raw.isEmpty()) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(raw.get());
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest("Invalid input received: offset must be a whole number, 0 or more; got '" + raw.get() + "'.");
  }
}
