package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A resource's properties as far as they are known before anything runs: the values that need no
 * other resource, and the names of those that do ({@code pending}: given, value not known yet).
 * What a type's own checks look at when a stack is created, previewed, updated or validated.
 *
 * @param known the known values, by property name (a JSON object)
 * @param pending the names given a value that needs another resource
 */
public record KnownProperties(ObjectNode known, Set<String> pending) {
  public KnownProperties {
    pending = Set.copyOf(pending);
  }

  /** Whether the template gives the property a value (known or not), JSON null counting as none. */
  public boolean given(String name) {
    if (pending.contains(name)) {
      return true;
    }
    JsonNode v = known.get(name);
    return v != null && !v.isNull() && !v.isMissingNode();
  }

  /** The property's known value, or null when it is not given or not known yet. */
  public JsonNode value(String name) {
    JsonNode v = known.get(name);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }
}
