package dev.kiln.orchestration.template.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resource type's schema, as {@code GET /resource_types/{type}} shows it and as the template
 * layer checks properties against it.
 *
 * @param translations Heat's translation rules of the REPLACE kind: a deprecated property (the
 *     key) whose value stands for its successor (the value) when the successor is not given, as
 *     {@code network_id} stands for a port's {@code network}; the successor may then be required.
 */
public record ResourceSchema(
    String type,
    String description,
    SupportStatus supportStatus,
    Map<String, PropertySchema> properties,
    Map<String, AttributeSchema> attributes,
    Map<String, String> translations) {

  public ResourceSchema {
    properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    translations = Map.copyOf(translations);
  }

  public ResourceSchema(
      String type, String description, SupportStatus supportStatus, Map<String, PropertySchema> properties,
      Map<String, AttributeSchema> attributes) {
    this(type, description, supportStatus, properties, attributes, Map.of());
  }

  /** This schema with {@code deprecated} standing for {@code successor} (see {@link #translations}). */
  public ResourceSchema translating(String deprecated, String successor) {
    Map<String, String> more = new LinkedHashMap<>(translations);
    more.put(deprecated, successor);
    return new ResourceSchema(type, description, supportStatus, properties, attributes, more);
  }
}
