package dev.kiln.network.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.JsonInput;
import java.util.List;
import java.util.Optional;

/** Small readers for what every Neutron request body may carry. */
final class NeutronInput {
  /** Neutron's limit on names and descriptions ({@code NAME_FIELD_SIZE}, {@code DESCRIPTION_FIELD_SIZE}). */
  static final int TEXT_MAX = 255;

  private NeutronInput() {}

  /** The owner asked for: {@code project_id}, or its older name {@code tenant_id}. */
  static String projectId(JsonInput in) {
    Optional<String> project = in.optionalString("project_id");
    Optional<String> tenant = in.optionalString("tenant_id");
    if (project.isPresent() && tenant.isPresent() && !project.get().equals(tenant.get())) {
      // Neutron's own words, which clients (and Tempest) match.
      throw ApiError.badRequest("'project_id' and 'tenant_id' do not match");
    }
    project.or(() -> tenant).ifPresent(p -> {
      if (p.length() > TEXT_MAX) {
        throw tooLong("project_id", p);
      }
    });
    return project.or(() -> tenant).orElse(null);
  }

  /**
   * An optional name or description: a string of at most 255 characters, refused as Neutron's 400
   * names the field (the column is that wide, so a longer one must never reach the store).
   */
  static String text(JsonInput in, String field) {
    String value = in.optionalString(field).orElse(null);
    if (value != null && value.length() > TEXT_MAX) {
      throw tooLong(field, value);
    }
    return value;
  }

  private static ApiError tooLong(String field, String value) {
    return ApiError.badRequest(
        "HTTPBadRequest",
        "Invalid input for " + field + ". Reason: '" + value + "' exceeds maximum length of " + TEXT_MAX + ".");
  }

  /** Neutron attributes Kiln accepts only with their empty default, e.g. {@code extra_dhcp_opts: []}. */
  static void onlyEmpty(JsonInput in, String... fields) {
    for (String field : fields) {
      if (in.has(field) && !in.isNull(field)) {
        var value = in.raw(field);
        if (!(value.isArray() && value.isEmpty())) {
          throw in.invalid(field, "Kiln supports only an empty list here");
        }
      }
    }
  }

  /** A prefix length, as a number or a numeric string (Neutron converts; the CLI sends strings). */
  static Integer prefixlen(JsonInput in, String field) {
    if (!in.has(field) || in.isNull(field)) {
      return null;
    }
    var value = in.raw(field);
    if (value.isTextual() && value.textValue().matches("\\d{1,3}")) {
      return Integer.parseInt(value.textValue());
    }
    return in.optionalInt(field).orElse(null);
  }

  /** Tags given on create (the {@code tag-creation} extension), checked by the tags service. */
  static List<String> tags(JsonInput in) {
    return in.optionalStringList("tags").orElse(List.of());
  }

  /**
   * The revision an {@code If-Match: revision_number=N} header requires, or null without one
   * (standard-attr-revisions); anything else there is a 400.
   */
  static Long ifMatchRevision(ApiRequest request) {
    Optional<String> header = request.header("If-Match");
    if (header.isEmpty()) {
      return null;
    }
    Long revision = null;
    for (String part : header.get().split(",")) {
      String condition = part.strip();
      if (condition.equals("*")) {
        continue;
      }
      if (!condition.startsWith("revision_number=")) {
        throw ApiError.badRequest(
            "HTTPBadRequest", "If-Match must be 'revision_number=<number>', not '" + condition + "'.");
      }
      try {
        revision = Long.parseLong(condition.substring("revision_number=".length()));
      } catch (NumberFormatException e) {
        throw ApiError.badRequest(
            "HTTPBadRequest", "If-Match must be 'revision_number=<number>', not '" + condition + "'.");
      }
    }
    return revision;
  }
}
