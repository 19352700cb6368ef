package dev.kiln.identity.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.identity.ListFilter;
import java.util.Locale;

/** Turns a list request's query parameters into store filters, the way Keystone reads them. */
final class QueryFilters {
  private QueryFilters() {}

  /** Adds an equality filter for each named query parameter present. */
  static ListFilter strings(ApiRequest request, ListFilter filter, String... names) {
    for (String name : names) {
      request.query(name).ifPresent(value -> filter.eq(name, value));
    }
    return filter;
  }

  /** Adds an {@code enabled} filter when the query has one; a value that is not a boolean is a 400. */
  static ListFilter enabled(ApiRequest request, ListFilter filter) {
    request
        .query("enabled")
        .ifPresent(value -> filter.eq("enabled", parseBoolean("enabled", value)));
    return filter;
  }

  static boolean parseBoolean(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on", "" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw ApiError.badRequest(
              "Invalid value for query parameter '" + name + "': '" + value + "' is not a boolean.");
    };
  }
}
