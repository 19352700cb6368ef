package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.Constraint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a template's {@code parameters} (HOT) or {@code Parameters} (CFN) section into
 * definitions, refusing what Heat's parameter schemas refuse, with Heat's messages
 * (InvalidSchemaError).
 */
final class ParameterSchemas {
  private static final Set<String> HOT_KEYS =
      Set.of("type", "description", "default", "constraints", "hidden", "label", "immutable");
  private static final Set<String> CFN_KEYS =
      Set.of("Type", "Default", "NoEcho", "AllowedValues", "AllowedPattern", "MaxLength",
          "MinLength", "MaxValue", "MinValue", "Description", "ConstraintDescription", "Label");
  private static final Set<String> CONSTRAINT_KEYS =
      Set.of("description", "length", "range", "modulo", "allowed_values", "allowed_pattern",
          "custom_constraint");

  private ParameterSchemas() {}

  static List<ParameterDefinition> read(TemplateFormat format, JsonNode section) {
    List<ParameterDefinition> out = new ArrayList<>();
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      throw Errors.schema("Invalid parameters, expected a mapping");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(format.isHot() ? hot(format, e.getKey(), e.getValue()) : cfn(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static void checkDict(JsonNode dict, Set<String> allowed, String entity) {
    if (dict == null || !dict.isObject()) {
      throw Errors.schema("Invalid " + entity + ", expected a mapping");
    }
    for (Iterator<String> it = dict.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw Errors.schema("Invalid key '" + key + "' for " + entity);
      }
    }
  }

  private static ParameterDefinition hot(TemplateFormat format, String name, JsonNode schema) {
    Set<String> keys = HOT_KEYS;
    if (format.hasParameterTags()) {
      keys = new java.util.HashSet<>(HOT_KEYS);
      keys.add("tags");
    }
    checkDict(schema, keys, "parameter (" + name + ")");
    if (!schema.has("type")) {
      throw Errors.schema("Missing parameter type for parameter: " + name);
    }
    if (schema.has("tags") && !schema.get("tags").isArray()) {
      throw Errors.schema("Tags property should be a list for parameter: " + name);
    }
    String type = Values.str(schema.get("type"));
    if (ParamType.of(type, false) == null) {
      throw Errors.schema("Invalid type (" + type + ")");
    }
    List<Constraint> constraints = new ArrayList<>();
    JsonNode cs = schema.get("constraints");
    if (cs != null && !cs.isNull()) {
      if (!cs.isArray()) {
        throw Errors.schema(
            "Invalid parameter constraints for parameter " + name + ", expected a list");
      }
      for (JsonNode c : cs) {
        checkDict(c, CONSTRAINT_KEYS, "parameter constraints");
        constraints.add(constraint(format, c));
      }
    }
    return new ParameterDefinition(
        name,
        type,
        text(schema.get("label")),
        text(schema.get("description")),
        nullToNull(schema.get("default")),
        Values.pyTruth(schema.get("hidden")),
        Values.pyTruth(schema.get("immutable")),
        constraints);
  }

  private static Constraint constraint(TemplateFormat format, JsonNode c) {
    String desc = text(c.get("description"));
    if (c.has("range")) {
      JsonNode r = c.get("range");
      checkDict(r, Set.of("min", "max"), "range constraint");
      Double min = num(r.get("min"));
      Double max = num(r.get("max"));
      if (min == null && max == null) {
        throw Errors.schema("A range constraint must have a min value and/or a max value specified.");
      }
      return new Constraint.Range(min, max, desc);
    }
    if (c.has("length")) {
      JsonNode r = c.get("length");
      checkDict(r, Set.of("min", "max"), "length constraint");
      return length(r.get("min"), r.get("max"), desc);
    }
    if (c.has("modulo") && format.hasModuloConstraint()) {
      JsonNode m = c.get("modulo");
      checkDict(m, Set.of("step", "offset"), "modulo constraint");
      return modulo(num(m.get("step")), num(m.get("offset")), desc);
    }
    if (c.has("allowed_values")) {
      return allowedValues(c.get("allowed_values"), desc);
    }
    if (c.has("allowed_pattern")) {
      return allowedPattern(c.get("allowed_pattern"), desc);
    }
    if (c.has("custom_constraint")) {
      return new Constraint.Custom(Values.str(c.get("custom_constraint")), desc);
    }
    throw Errors.schema("No constraint expressed");
  }

  static Constraint.Length length(JsonNode minNode, JsonNode maxNode, String desc) {
    Double min = num(minNode);
    Double max = num(maxNode);
    if (min == null && max == null) {
      throw Errors.schema("A length constraint must have a min value and/or a max value specified.");
    }
    if (min != null && min != Math.rint(min) || max != null && max != Math.rint(max)
        || minNode != null && minNode.isFloatingPointNumber()
        || maxNode != null && maxNode.isFloatingPointNumber()) {
      throw Errors.schema("min/max length must be integral");
    }
    return new Constraint.Length(
        min == null ? null : min.intValue(), max == null ? null : max.intValue(), desc);
  }

  static Constraint.Modulo modulo(Double step, Double offset, String desc) {
    if (step == null || offset == null) {
      throw Errors.schema("A modulo constraint must have a step value and an offset value specified.");
    }
    if (step != Math.rint(step) || offset != Math.rint(offset)) {
      throw Errors.schema("step/offset must be integer");
    }
    long s = step.longValue();
    long o = offset.longValue();
    if (s == 0) {
      throw Errors.schema("step cannot be 0.");
    }
    if (Math.abs(o) >= Math.abs(s)) {
      throw Errors.schema("offset must be smaller (by absolute value) than step.");
    }
    if (s * o < 0) {
      throw Errors.schema("step and offset must be both positive or both negative.");
    }
    return new Constraint.Modulo(s, o, desc);
  }

  static Constraint.AllowedValues allowedValues(JsonNode values, String desc) {
    if (values == null || !values.isArray()) {
      throw Errors.schema("AllowedValues must be a list");
    }
    return new Constraint.AllowedValues(Values.items(values), desc);
  }

  static Constraint.AllowedPattern allowedPattern(JsonNode pattern, String desc) {
    if (pattern == null || !pattern.isTextual()) {
      throw Errors.schema("AllowedPattern must be a string");
    }
    try {
      java.util.regex.Pattern.compile(pattern.textValue());
    } catch (java.util.regex.PatternSyntaxException e) {
      throw Errors.schema("Invalid allowed_pattern " + pattern.textValue() + ": " + e.getDescription());
    }
    return new Constraint.AllowedPattern(pattern.textValue(), desc);
  }

  private static ParameterDefinition cfn(String name, JsonNode schema) {
    checkDict(schema, CFN_KEYS, "parameter (" + name + ")");
    if (!schema.has("Type")) {
      throw Errors.schema("Missing parameter type for parameter: " + name);
    }
    String type = Values.str(schema.get("Type"));
    if (ParamType.of(type, true) == null) {
      throw Errors.schema("Invalid type (" + type + ")");
    }
    String desc = text(schema.get("ConstraintDescription"));
    List<Constraint> constraints = new ArrayList<>();
    if (schema.has("MinValue") || schema.has("MaxValue")) {
      constraints.add(new Constraint.Range(num(schema.get("MinValue")), num(schema.get("MaxValue")), desc));
    }
    if (schema.has("MinLength") || schema.has("MaxLength")) {
      constraints.add(length(schema.get("MinLength"), schema.get("MaxLength"), desc));
    }
    if (schema.has("AllowedValues")) {
      constraints.add(allowedValues(schema.get("AllowedValues"), desc));
    }
    if (schema.has("AllowedPattern")) {
      constraints.add(allowedPattern(schema.get("AllowedPattern"), desc));
    }
    JsonNode noEcho = schema.get("NoEcho");
    return new ParameterDefinition(
        name,
        type,
        text(schema.get("Label")),
        text(schema.get("Description")),
        nullToNull(schema.get("Default")),
        noEcho != null && Values.str(noEcho).equalsIgnoreCase("true"),
        false,
        constraints);
  }

  private static JsonNode nullToNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : Values.str(n);
  }

  /** Heat's {@code str_to_num}: a number, or a string that parses as int, then float. */
  static Double num(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    BigNumber parsed = BigNumber.parse(Values.str(n));
    if (parsed == null) {
      throw Errors.schema("could not convert string to float: " + Values.repr(n));
    }
    return parsed.value().doubleValue();
  }
}
