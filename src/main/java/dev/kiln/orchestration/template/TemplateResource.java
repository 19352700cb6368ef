package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One resource of a template as written, for a type's implicit dependencies (Heat's {@code
 * add_dependencies}): its name, the built-in type it resolves to (null for a provider template),
 * and its properties unevaluated ({@code {"get_resource": "net"}} stays as it is, so two resources
 * naming the same network compare equal).
 */
public record TemplateResource(String name, String type, JsonNode properties) {
  /** A property as written, or null when it is absent or JSON null. */
  public JsonNode property(String key) {
    JsonNode v = properties == null ? null : properties.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** The first of these properties that is given (a property, then its deprecated name). */
  public JsonNode property(String key, String deprecated) {
    JsonNode v = property(key);
    return v != null ? v : property(deprecated);
  }
}
