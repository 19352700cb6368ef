package dev.kiln.orchestration.template.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resource type's schema, as {@code GET /resource_types/{type}} shows it and as the template
 * layer checks properties against it.
 */
public record ResourceSchema(
    String type,
    String description,
    SupportStatus supportStatus,
    Map<String, PropertySchema> properties,
    Map<String, AttributeSchema> attributes) {

  public ResourceSchema {
    properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }
}
