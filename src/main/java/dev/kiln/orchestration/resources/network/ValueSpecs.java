package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Heat's {@code value_specs}: extra attributes merged into the Neutron request. Heat refuses keys
 * that a property or {@code shared}/{@code tenant_id} already cover; Networking refuses attributes
 * it does not know, as Kiln's API does for the same request.
 */
final class ValueSpecs {
  private ValueSpecs() {}

  static ObjectNode of(JsonNode props) {
    JsonNode specs = Read.node(props, "value_specs");
    return specs instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
  }

  /** Heat's validation: no key of the schema, nor shared or tenant_id. */
  static void check(JsonNode props, Set<String> propertyNames) throws ResourceError {
    ObjectNode specs = of(props);
    Set<String> found = new TreeSet<>();
    specs.fieldNames().forEachRemaining(key -> {
      if (key.equals("shared") || key.equals("tenant_id") || propertyNames.contains(key)) {
        found.add(key);
      }
    });
    if (!found.isEmpty()) {
      throw NeutronErrors.heat("StackValidationFailed", String.join(", ", found) + " not allowed in value_specs");
    }
  }

  /** Refuses keys Networking does not take in this request. */
  static void allowOnly(ObjectNode specs, Set<String> allowed) throws ResourceError {
    Iterator<String> keys = specs.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!allowed.contains(key)) {
        throw unknownField(key, allowed);
      }
    }
  }

  static ResourceError unknownField(String field, Set<String> allowed) {
    return NeutronErrors.heat(
        "BadRequest",
        "Invalid input for field '" + field + "': unknown field."
            + (allowed.isEmpty() ? "" : " Allowed fields here: " + String.join(", ", new TreeSet<>(allowed)) + "."));
  }

  /**
   * The keys an update sends, as Heat merges them: those of the new specs whose values differ from
   * the old specs' (a key dropped from the template is left as it is).
   */
  static ObjectNode changed(JsonNode previous, JsonNode next) {
    ObjectNode before = of(previous);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = of(next).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  static String text(ObjectNode specs, String key) {
    JsonNode v = specs.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Boolean bool(ObjectNode specs, String key) {
    JsonNode v = specs.get(key);
    return v == null || v.isNull() ? null : v.isBoolean() ? v.booleanValue() : Boolean.valueOf(v.asText());
  }

  static Integer integer(ObjectNode specs, String key) {
    JsonNode v = specs.get(key);
    return v == null || v.isNull() ? null : v.isNumber() ? v.intValue() : Integer.valueOf(v.asText());
  }
}
