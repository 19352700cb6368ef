package dev.kiln.compute.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import java.util.List;

/**
 * Nova's {@code common.limited}, which its older lists (the proxies among them) page with: {@code
 * offset} items skipped, then at most {@code limit} (no limit, or 0, means Nova's max_limit of
 * 1000); both non-negative integers, else a 400 from the query schema.
 */
final class OffsetPaging {
  static final int MAX_LIMIT = 1000;

  private OffsetPaging() {}

  static <T> List<T> limited(ApiRequest request, List<T> items) {
    int offset = nonNegative(request, "offset");
    int limit = nonNegative(request, "limit");
    limit = limit == 0 ? MAX_LIMIT : Math.min(limit, MAX_LIMIT);
    if (offset >= items.size()) {
      return List.of();
    }
    return items.subList(offset, (int) Math.min(items.size(), (long) offset + limit));
  }

  private static int nonNegative(ApiRequest request, String name) {
    List<String> values = request.queryAll(name);
    int value = 0;
    for (String raw : values) {
      if (!raw.matches("[0-9]+")) {
        throw ApiError.badRequest(
            "Invalid input for query parameters " + name + ". Value: " + raw + ". '" + raw
                + "' does not match '^[0-9]*$'");
      }
      // Nova's schema takes every value and its paging reads the last one.
      value = raw.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(raw);
    }
    return value;
  }
}
