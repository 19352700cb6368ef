package dev.kiln.orchestration.template.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One property of a resource type (or a member of a map/list property).
 *
 * @param defaultValue the default, or null
 * @param updateAllowed whether a change is applied in place; otherwise it replaces the resource
 * @param immutable whether a change is refused outright
 * @param mapSchema the known keys of a map property, or empty
 * @param listItem the schema of each item of a list property, or null
 */
public record PropertySchema(
    PropertyType type,
    String description,
    boolean required,
    JsonNode defaultValue,
    boolean updateAllowed,
    boolean immutable,
    List<Constraint> constraints,
    Map<String, PropertySchema> mapSchema,
    PropertySchema listItem,
    SupportStatus supportStatus) {

  public PropertySchema {
    constraints = List.copyOf(constraints);
    mapSchema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapSchema));
  }
}
