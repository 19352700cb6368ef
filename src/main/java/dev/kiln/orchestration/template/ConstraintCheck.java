package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Values;
import dev.kiln.orchestration.template.schema.Constraint;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one value against one constraint and words the refusal as Heat's constraints do (the
 * constraint's own {@code description} replaces the message when it has one).
 */
final class ConstraintCheck {
  private ConstraintCheck() {}

  /**
   * @param toSchemaType Heat's {@code to_schema_type}, applied to both sides of allowed_values
   * @return the refusal, or null when the value passes
   */
  static String violation(
      Constraint c, JsonNode value, UnaryOperator<JsonNode> toSchemaType, ConstraintChecker checker) {
    String problem = switch (c) {
      case Constraint.Range r -> range(r, value);
      case Constraint.Length l -> length(l, value);
      case Constraint.Modulo m -> modulo(m, value);
      case Constraint.AllowedValues a -> allowed(a, value, toSchemaType);
      case Constraint.AllowedPattern p -> pattern(p, value);
      case Constraint.Custom cu -> custom(cu, value, checker);
    };
    if (problem == null) {
      return null;
    }
    return c.description() != null && !c.description().isEmpty() ? c.description() : problem;
  }

  private static String bound(Number n) {
    if (n == null) {
      return "None";
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String range(Constraint.Range r, JsonNode value) {
    double v = number(value);
    if (r.min() != null && v < r.min() || r.max() != null && v > r.max()) {
      return Values.str(value) + " is out of range (min: " + bound(r.min()) + ", max: " + bound(r.max()) + ")";
    }
    return null;
  }

  private static String length(Constraint.Length l, JsonNode value) {
    int len = value.isTextual() ? value.textValue().codePointCount(0, value.textValue().length()) : value.size();
    if (l.min() != null && len < l.min() || l.max() != null && len > l.max()) {
      return "length (" + len + ") is out of range (min: " + bound(l.min()) + ", max: " + bound(l.max()) + ")";
    }
    return null;
  }

  private static String modulo(Constraint.Modulo m, JsonNode value) {
    double v = number(value);
    double rem = v - m.step() * Math.floor(v / m.step()); // Python's % follows the divisor's sign
    if (rem != m.offset()) {
      return Values.str(value) + " is not a multiple of " + m.step() + " with an offset of " + m.offset();
    }
    return null;
  }

  private static String allowed(Constraint.AllowedValues a, JsonNode value, UnaryOperator<JsonNode> toType) {
    boolean ok;
    if (value.isArray()) {
      ok = true;
      for (JsonNode item : value) {
        ok &= Values.pyContains(a.values(), item);
      }
    } else {
      JsonNode v = convert(toType, value);
      ok = false;
      for (JsonNode candidate : a.values()) {
        ok |= v != null && Values.pyEquals(convert(toType, candidate), v);
      }
    }
    if (ok) {
      return null;
    }
    StringBuilder allowed = new StringBuilder("[");
    List<JsonNode> values = a.values();
    for (int i = 0; i < values.size(); i++) {
      allowed.append(i > 0 ? ", " : "").append(Values.dumps(values.get(i), false));
    }
    return Values.dumps(value, false) + " is not an allowed value " + allowed.append(']');
  }

  private static JsonNode convert(UnaryOperator<JsonNode> toType, JsonNode v) {
    try {
      return toType.apply(v);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String pattern(Constraint.AllowedPattern p, JsonNode value) {
    String s = Values.str(value);
    // Python's re.match from the start, then the match must reach the end (not Java's matches()).
    Matcher m = Pattern.compile(p.pattern()).matcher(s);
    if (m.lookingAt() && m.end() == s.length()) {
      return null;
    }
    return "\"" + s + "\" does not match pattern \"" + p.pattern() + "\"";
  }

  private static String custom(Constraint.Custom c, JsonNode value, ConstraintChecker checker) {
    Optional<String> problem = checker.check(c.name(), value);
    return problem.orElse(null);
  }

  /** A value as a number for range and modulo (it was checked to be numeric before). */
  static double number(JsonNode value) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    BigNumber n = BigNumber.parse(Values.str(value));
    if (n == null) {
      throw new NumberFormatException("could not convert string to float: " + Values.repr(value));
    }
    return n.value() instanceof java.math.BigInteger i ? new BigDecimal(i).doubleValue() : n.value().doubleValue();
  }
}
