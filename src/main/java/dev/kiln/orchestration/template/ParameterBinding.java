package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.TemplateJson;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.Constraint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Gives every template parameter its value (the user's, else the environment's parameter_defaults,
 * else the template's default), checks it against its type and constraints, and converts it to
 * its type, as Heat's {@code Parameters.validate} and {@code Parameter.value()} do.
 */
final class ParameterBinding {
  private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
  private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

  private ParameterBinding() {}

  /**
   * @param given the user's values (request parameters over the environment's {@code parameters})
   * @param defaults the environment's {@code parameter_defaults}
   * @param validateValues false for {@code /validate} without parameters: only the schemas and
   *     defaults are checked and missing values are allowed
   * @return each parameter's typed value (absent ones left out when not validating values)
   */
  static Map<String, JsonNode> bind(
      boolean cfn,
      List<ParameterDefinition> params,
      Map<String, JsonNode> given,
      Map<String, JsonNode> defaults,
      ConstraintChecker checker,
      boolean validateValues) {
    for (String name : given.keySet()) {
      if (params.stream().noneMatch(p -> p.name().equals(name))) {
        throw Errors.invalid(
            "UnknownUserParameter", "The Parameter (" + name + ") was not defined in template.");
      }
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (ParameterDefinition p : params) {
      ParamType type = ParamType.of(p.type(), cfn);
      JsonNode def = defaults.containsKey(p.name()) && !Values.isNull(defaults.get(p.name()))
          ? defaults.get(p.name())
          : p.defaultValue();
      checkSchema(p, type, def);
      JsonNode user = given.get(p.name());
      JsonNode value = Values.isNull(user) ? def : user;
      if (value == null || value.isNull()) {
        if (!validateValues) {
          continue;
        }
        throw Errors.invalid("UserParameterMissing", "The Parameter (" + p.name() + ") was not provided.");
      }
      if (validateValues) {
        String problem = check(p, type, value, checker, false);
        if (problem != null) {
          throw Errors.validation("Parameter '" + p.name() + "' is invalid: " + problem);
        }
      }
      out.put(p.name(), typed(type, value));
    }
    return out;
  }

  /** Heat's {@code Schema.validate}: constraints fit the type, the default fits the constraints. */
  private static void checkSchema(ParameterDefinition p, ParamType type, JsonNode def) {
    for (Constraint c : p.constraints()) {
      if (!type.allows(c.getClass())) {
        throw Errors.schema("Parameter '" + p.name() + "' is invalid: " + constraintName(c)
            + " constraint invalid for " + p.type());
      }
    }
    if (def != null && !def.isNull()) {
      String problem = check(p, type, def, ConstraintChecker.NONE, true);
      if (problem != null) {
        throw Errors.schema("Parameter '" + p.name() + "' is invalid: Invalid default "
            + Values.str(def) + " (" + problem + ")");
      }
    }
  }

  private static String constraintName(Constraint c) {
    return c instanceof Constraint.Custom ? "CustomConstraint" : c.getClass().getSimpleName();
  }

  /** The refusal of {@code value} for this parameter, or null. */
  private static String check(
      ParameterDefinition p, ParamType type, JsonNode value, ConstraintChecker checker, boolean isDefault) {
    JsonNode checked;
    try {
      checked = switch (type) {
        case STRING -> value;
        case NUMBER -> {
          number(value);
          yield value;
        }
        case BOOLEAN -> {
          bool(value);
          yield value;
        }
        case LIST -> list(value);
        case JSON -> json(value);
      };
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    UnaryOperator<JsonNode> toType = v -> typed(type == ParamType.LIST ? ParamType.STRING : type, v);
    for (Constraint c : p.constraints()) {
      if (isDefault && c instanceof Constraint.Custom) {
        continue;
      }
      String problem = ConstraintCheck.violation(c, checked, toType, checker);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** The value in the parameter's type, as get_param answers it. */
  static JsonNode typed(ParamType type, JsonNode value) {
    return switch (type) {
      case STRING -> value.isTextual() ? value : Values.text(Values.str(value));
      case NUMBER -> number(value);
      case BOOLEAN -> Values.JSON.booleanNode(bool(value));
      case LIST -> list(value);
      case JSON -> json(value);
    };
  }

  static JsonNode number(JsonNode value) {
    if (value.isNumber()) {
      return value;
    }
    if (value.isBoolean()) {
      return Values.JSON.numberNode(value.booleanValue() ? 1 : 0);
    }
    BigNumber n = value.isTextual() ? BigNumber.parse(value.textValue()) : null;
    if (n == null) {
      throw new IllegalArgumentException(value.isTextual()
          ? "could not convert string to float: " + Values.repr(value)
          : "float() argument must be a string or a real number, not '" + pyType(value) + "'");
    }
    return n.node();
  }

  static boolean bool(JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    String s = Values.str(value).strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(s)) {
      return true;
    }
    if (FALSE.contains(s)) {
      return false;
    }
    throw new IllegalArgumentException("Unrecognized value '" + Values.str(value)
        + "', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true',"
        + " 'y', 'yes'");
  }

  static JsonNode list(JsonNode value) {
    ArrayNode out = Values.array();
    if (value.isArray()) {
      value.forEach(v -> out.add(Values.str(v)));
      return out;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("Value must be a comma-delimited list string: '"
          + pyType(value) + "' object has no attribute 'split'");
    }
    String s = value.textValue();
    if (s.isEmpty()) {
      return out;
    }
    for (String part : s.split(",", -1)) {
      out.add(part);
    }
    return out;
  }

  static JsonNode json(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    if (value.textValue().isEmpty()) {
      return value;
    }
    try {
      return TemplateJson.read(value.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Value must be valid JSON: " + e.getMessage());
    }
  }

  private static String pyType(JsonNode v) {
    return dev.kiln.orchestration.template.fn.PyTypes.name(v);
  }

  /** Kept for callers that want a ServiceException for a single value. */
  static ServiceException invalid(String name, String problem) {
    return Errors.validation("Parameter '" + name + "' is invalid: " + problem);
  }
}
