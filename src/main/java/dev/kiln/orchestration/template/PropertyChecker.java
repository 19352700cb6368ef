package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Call;
import dev.kiln.orchestration.template.fn.Macro;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Checks resource properties against a type's schema as Heat's {@code Properties.validate} does,
 * converting values the way Heat's {@code Property.get_value} does (an integer property accepts
 * "12", a string property accepts 12 and true) and filling in defaults. Refusals read {@code
 * Property error: resources.<name>.properties[.<key>…]: <message>}.
 */
final class PropertyChecker {
  private PropertyChecker() {}

  /** A refusal at a path below the resource's properties. */
  private static final class Refusal extends RuntimeException {
    final String path;

    Refusal(String path, String message) {
      super(message, null, false, false);
      this.path = path;
    }
  }

  private static String base(String resourceName, boolean cfn) {
    return cfn ? "Resources." + resourceName + ".Properties" : "resources." + resourceName + ".properties";
  }

  /** Before binding: unknown property names and required ones that are not there at all. */
  static void checkNames(String resourceName, ResourceSchema schema, Node properties, boolean cfn) {
    if (schema == null) {
      return;
    }
    Map<String, ?> given;
    if (properties instanceof Node.MapNode m) {
      given = m.entries();
    } else if (properties instanceof Node.Literal l && (l.value().isObject() || l.value().isNull())) {
      given = Environments.asMap(l.value());
    } else {
      return;
    }
    for (String key : given.keySet()) {
      if (!schema.properties().containsKey(key)) {
        throw Errors.validation("Property error", base(resourceName, cfn), "Unknown Property " + key);
      }
    }
    for (Map.Entry<String, String> t : schema.translations().entrySet()) {
      if (given.get(t.getKey()) != null && given.get(t.getValue()) != null) {
        throw conflict(resourceName, cfn, t.getValue(), t.getKey());
      }
    }
    for (Map.Entry<String, PropertySchema> e : schema.properties().entrySet()) {
      PropertySchema p = e.getValue();
      Object v = given.get(e.getKey());
      if (v == null) {
        for (Map.Entry<String, String> t : schema.translations().entrySet()) {
          if (t.getValue().equals(e.getKey()) && given.get(t.getKey()) != null) {
            v = given.get(t.getKey()); // the deprecated name stands in for it
          }
        }
      }
      boolean mayVanish = v instanceof Call c && c.function() instanceof Macro;
      if (p.required() && p.defaultValue() == null && v == null && !mayVanish) {
        throw Errors.validation("Property error", base(resourceName, cfn),
            "Property " + e.getKey() + " not assigned");
      }
    }
  }

  /** Every property, checked and converted, in schema order; unset ones null. */
  static JsonNode check(String resourceName, ResourceSchema schema, JsonNode resolved,
      ConstraintChecker checker, boolean cfn) {
    JsonNode data = resolved == null || resolved.isNull() || resolved.isMissingNode() ? Values.object() : resolved;
    if (!data.isObject()) {
      throw Errors.validation("Property error", base(resourceName, cfn),
          "\"" + Values.str(data) + "\" is not a map");
    }
    boolean convert = Registry.isTemplateName(schema.type());
    data = translated(resourceName, schema, data, cfn);
    try {
      return properties(schema.properties(), data, checker, convert);
    } catch (Refusal r) {
      String path = base(resourceName, cfn) + r.path;
      throw Errors.validation("Property error", path, r.getMessage());
    }
  }

  /**
   * Heat's REPLACE translations: a deprecated property's value moves to its successor (which then
   * satisfies {@code required}); giving both is a conflict.
   */
  private static JsonNode translated(String resourceName, ResourceSchema schema, JsonNode data, boolean cfn) {
    if (schema.translations().isEmpty()) {
      return data;
    }
    ObjectNode out = null;
    for (Map.Entry<String, String> t : schema.translations().entrySet()) {
      JsonNode old = data.get(t.getKey());
      if (old == null || old.isNull()) {
        continue;
      }
      JsonNode successor = data.get(t.getValue());
      if (successor != null && !successor.isNull()) {
        throw conflict(resourceName, cfn, t.getValue(), t.getKey());
      }
      if (out == null) {
        out = ((ObjectNode) data).deepCopy();
      }
      out.set(t.getValue(), old);
      out.remove(t.getKey());
    }
    return out == null ? data : out;
  }

  private static RuntimeException conflict(String resourceName, boolean cfn, String successor, String deprecated) {
    return Errors.validation("Property error", base(resourceName, cfn),
        "Cannot define the following properties at the same time: " + successor + ", " + deprecated + ".");
  }

  /** One property's value, checked (for the binder, which checks literal values one by one). */
  static void checkOne(String resourceName, ResourceSchema schema, String key, JsonNode value,
      ConstraintChecker checker, boolean cfn) {
    PropertySchema p = schema.properties().get(key);
    if (p == null) {
      return;
    }
    try {
      value(p, value, "." + key, checker, Registry.isTemplateName(schema.type()));
    } catch (Refusal r) {
      throw Errors.validation("Property error", base(resourceName, cfn) + r.path, r.getMessage());
    }
  }

  private static ObjectNode properties(Map<String, PropertySchema> schema, JsonNode data,
      ConstraintChecker checker, boolean convert) {
    for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!schema.containsKey(key)) {
        throw new Refusal("", "Unknown Property " + key);
      }
    }
    ObjectNode out = Values.object();
    for (Map.Entry<String, PropertySchema> e : schema.entrySet()) {
      String key = e.getKey();
      PropertySchema p = e.getValue();
      JsonNode v = data.get(key);
      if (v != null && !v.isMissingNode()) {
        out.set(key, value(p, v, "." + key, checker, convert));
      } else if (p.defaultValue() != null && !p.defaultValue().isNull()) {
        out.set(key, value(p, Values.JSON.nullNode(), "." + key, checker, convert));
      } else if (p.required()) {
        throw new Refusal("", "Property " + key + " not assigned");
      } else {
        out.set(key, Values.JSON.nullNode());
      }
    }
    return out;
  }

  private static JsonNode value(PropertySchema p, JsonNode raw, String path, ConstraintChecker checker,
      boolean convert) {
    JsonNode v = raw;
    if (v.isNull() && p.defaultValue() != null) {
      v = p.defaultValue();
    }
    JsonNode out;
    try {
      out = switch (p.type()) {
        case STRING -> string(v);
        case INTEGER -> integer(v);
        case NUMBER -> v.isNull() ? Values.JSON.numberNode(0) : ParameterBinding.number(v);
        case BOOLEAN -> bool(v);
        case MAP -> map(p, v, path, checker, convert);
        case LIST -> list(p, v, path, checker, convert);
      };
    } catch (IllegalArgumentException e) {
      throw new Refusal(path, e.getMessage());
    }
    UnaryOperator<JsonNode> toType = x -> switch (p.type()) {
      case STRING -> string(x);
      case INTEGER -> integer(x);
      case NUMBER -> ParameterBinding.number(x);
      case BOOLEAN -> bool(x);
      default -> x;
    };
    for (Constraint c : p.constraints()) {
      String problem;
      try {
        problem = ConstraintCheck.violation(c, out, toType, checker);
      } catch (RuntimeException e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        throw new Refusal(path, problem);
      }
    }
    return out;
  }

  private static JsonNode string(JsonNode v) {
    if (v.isNull()) {
      return Values.text("");
    }
    if (v.isTextual()) {
      return v;
    }
    if (v.isBoolean() || v.isIntegralNumber()) {
      return Values.text(Values.str(v));
    }
    throw new IllegalArgumentException("Value must be a string; got " + Values.repr(v));
  }

  private static JsonNode integer(JsonNode v) {
    if (v.isNull()) {
      return Values.JSON.numberNode(0);
    }
    if (v.isIntegralNumber()) {
      return Values.integer(v.bigIntegerValue());
    }
    if (v.isBoolean()) {
      return Values.integer(v.booleanValue() ? 1 : 0);
    }
    if (v.isNumber()) {
      return Values.integer(BigInteger.valueOf((long) v.doubleValue()));
    }
    if (v.isTextual() && v.textValue().strip().matches("[-+]?[0-9](_?[0-9])*")) {
      return Values.integer(new BigInteger(v.textValue().strip().replace("_", "")));
    }
    throw new IllegalArgumentException("Value '" + Values.str(v) + "' is not an integer");
  }

  private static JsonNode bool(JsonNode v) {
    if (v.isNull()) {
      return Values.JSON.booleanNode(false);
    }
    if (v.isBoolean()) {
      return v;
    }
    if (v.isTextual()) {
      String s = v.textValue().toLowerCase(Locale.ROOT);
      if (!s.equals("true") && !s.equals("false")) {
        throw new IllegalArgumentException("\"" + s + "\" is not a valid boolean");
      }
      return Values.JSON.booleanNode(s.equals("true"));
    }
    throw new IllegalArgumentException("\"" + Values.str(v) + "\" is not a valid boolean");
  }

  private static JsonNode map(PropertySchema p, JsonNode v, String path, ConstraintChecker checker,
      boolean convert) {
    if (v.isNull()) {
      v = Values.object();
    }
    if (!v.isObject()) {
      if (convert && v.isTextual()) {
        return v;
      }
      if (convert && v.isArray()) {
        return Values.text(Values.dumps(v, false));
      }
      throw new IllegalArgumentException("\"" + Values.str(v) + "\" is not a map");
    }
    if (p.mapSchema().isEmpty()) {
      return v;
    }
    try {
      return properties(p.mapSchema(), v, checker, convert);
    } catch (Refusal r) {
      throw new Refusal(path + r.path, r.getMessage());
    }
  }

  private static JsonNode list(PropertySchema p, JsonNode v, String path, ConstraintChecker checker,
      boolean convert) {
    if (v.isNull()) {
      v = Values.array();
    }
    if (convert && v.isTextual()) {
      v = ParameterBinding.list(v);
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("\"" + Values.repr(v) + "\" is not a list");
    }
    if (p.listItem() == null) {
      return v;
    }
    ArrayNode out = Values.array();
    List<JsonNode> items = Values.items(v);
    for (int i = 0; i < items.size(); i++) {
      out.add(value(p.listItem(), items.get(i), path + "[" + i + "]", checker, convert));
    }
    return out;
  }

  static PropertyType typeOf(PropertySchema p) {
    return p.type();
  }
}
