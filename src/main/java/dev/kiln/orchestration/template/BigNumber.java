package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.fn.Values;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Python's {@code int(s)} then {@code float(s)} on a string, as Heat's {@code str_to_num} does. */
record BigNumber(Number value, boolean integral) {

  /** The number, or null when Python would raise ValueError. */
  static BigNumber parse(String text) {
    String s = text.strip();
    String digits = s.replace("_", "");
    if (s.matches("[-+]?[0-9](_?[0-9])*")) {
      return new BigNumber(new BigInteger(digits), true);
    }
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return new BigNumber(lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, false);
    }
    if (unsigned.equals("nan")) {
      return new BigNumber(Double.NaN, false);
    }
    if (s.matches("[-+]?(\\d(_?\\d)*)?(\\.(\\d(_?\\d)*)?)?([eE][-+]?\\d(_?\\d)*)?") && s.matches(".*\\d.*")) {
      return new BigNumber(new BigDecimal(digits.endsWith(".") ? digits + "0" : digits.startsWith(".") || digits.startsWith("-.") || digits.startsWith("+.") ? digits.replace(".", "0.") : digits).doubleValue(), false);
    }
    return null;
  }

  /** A JSON number node for the value. */
  JsonNode node() {
    if (integral) {
      return Values.integer((BigInteger) value);
    }
    return Values.JSON.numberNode(value.doubleValue());
  }

  /** A JSON number to a BigNumber (no parsing). */
  static BigNumber of(JsonNode n) {
    return n.isIntegralNumber()
        ? new BigNumber(n.bigIntegerValue(), true)
        : new BigNumber(n.doubleValue(), false);
  }
}
