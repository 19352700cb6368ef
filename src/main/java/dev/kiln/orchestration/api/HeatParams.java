package dev.kiln.orchestration.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Heat's readers for query parameters and loosely typed body fields ({@code "true"} and {@code
 * true} both mean true, {@code "5"} and {@code 5} both mean five), each refusal a 400 with Heat's
 * wording naming the parameter.
 */
final class HeatParams {
  private HeatParams() {}

  /** A boolean query parameter; absent gives {@code otherwise}. */
  static boolean bool(ApiRequest request, String name, boolean otherwise) {
    return request.query(name).map(v -> bool(name, v)).orElse(otherwise);
  }

  /** {@code true}/{@code false} in any case; anything else is refused. */
  static boolean bool(String name, String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiError.badRequest(
              "Unrecognized value \""
                  + value
                  + "\" for \""
                  + name
                  + "\", acceptable values are: true, false.");
    };
  }

  /** A non-negative whole-number query parameter, or empty when absent. */
  static Optional<Integer> nonNegativeInt(ApiRequest request, String name) {
    return request.query(name).map(v -> nonNegativeInt(name, v));
  }

  /** A non-negative whole number written as text. */
  static int nonNegativeInt(String name, String value) {
    String trimmed = value.strip();
    if (!trimmed.matches("[+-]?\\d+")) {
      throw ApiError.badRequest("Only integer is acceptable by '" + name + "'.");
    }
    long parsed;
    try {
      parsed = Long.parseLong(trimmed);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(
          "Value '" + value + "' is invalid for '" + name + "' which only accepts integer.");
    }
    if (parsed < 0) {
      throw ApiError.badRequest(
          "Value '"
              + value
              + "' is invalid for '"
              + name
              + "' which only accepts non-negative integer.");
    }
    if (parsed > Integer.MAX_VALUE) {
      throw ApiError.badRequest(
          "Value '" + value + "' is invalid for '" + name + "' which only accepts integer.");
    }
    return (int) parsed;
  }

  /** Tags as Heat takes them in a query or a body: comma-separated, each at most 80 characters. */
  static List<String> tags(String value) {
    List<String> tags = Arrays.asList(value.split(",", -1));
    tags.forEach(HeatParams::checkTag);
    return List.copyOf(tags);
  }

  static void checkTag(String tag) {
    if (tag.length() > 80) {
      throw ApiError.badRequest("Invalid tag, \"" + tag + "\" is longer than 80 characters");
    }
  }

  /** {@code asc} or {@code desc}, when given. */
  static String sortDir(ApiRequest request) {
    String dir = request.query("sort_dir").orElse(null);
    if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
      throw ApiError.badRequest("Unknown sort direction, must be 'desc' or 'asc'");
    }
    return dir;
  }

  /**
   * Heat's "mixed" parameters: every value given for {@code name}, each of which may itself be a
   * comma-free single value; empty when absent.
   */
  static List<String> all(ApiRequest request, String name) {
    return request.queryAll(name).stream().filter(v -> !v.isEmpty()).toList();
  }
}
