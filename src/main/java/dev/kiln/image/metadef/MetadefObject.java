package dev.kiln.image.metadef;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A metadata definition object: a named group of property definitions.
 *
 * @param properties each property's definition by name, as plain JSON values
 */
public record MetadefObject(
    String name,
    String description,
    List<String> required,
    Map<String, Object> properties,
    Instant createdAt,
    Instant updatedAt) {
  public MetadefObject {
    required = List.copyOf(required);
    properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
  }
}
