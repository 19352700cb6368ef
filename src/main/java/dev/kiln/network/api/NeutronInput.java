package dev.kiln.network.api;

import dev.kiln.http.JsonInput;
import java.util.Optional;

/** Small readers for what every Neutron request body may carry. */
final class NeutronInput {
  private NeutronInput() {}

  /** The owner asked for: {@code project_id}, or its older name {@code tenant_id}. */
  static String projectId(JsonInput in) {
    Optional<String> project = in.optionalString("project_id");
    Optional<String> tenant = in.optionalString("tenant_id");
    if (project.isPresent() && tenant.isPresent() && !project.get().equals(tenant.get())) {
      throw in.invalid("tenant_id", "project_id and tenant_id differ; send one of them");
    }
    return project.or(() -> tenant).orElse(null);
  }

  /** Neutron attributes Kiln accepts only with their empty default, e.g. {@code tags: []}. */
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
}
