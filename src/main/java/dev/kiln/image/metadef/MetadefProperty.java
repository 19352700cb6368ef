package dev.kiln.image.metadef;

import java.util.Map;

/**
 * A property definition: a JSON schema fragment ({@code title}, {@code type}, {@code enum}, ...)
 * under a name, as plain JSON values.
 */
public record MetadefProperty(String name, Map<String, Object> definition) {
  public MetadefProperty {
    definition = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(definition));
  }
}
