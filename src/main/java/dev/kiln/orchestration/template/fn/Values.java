package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Helpers that make JSON values behave as Heat's Python values do: equality where {@code 1 ==
 * 1.0}, Python's {@code str()} and {@code repr()} for messages, and {@code json.dumps} as Heat
 * calls it.
 */
public final class Values {
  /** Heat's Ellipsis: a value that makes its enclosing entry disappear. */
  public static final JsonNode MISSING = MissingNode.getInstance();

  public static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

  private Values() {}

  public static ObjectNode object() {
    return JSON.objectNode();
  }

  public static ArrayNode array() {
    return JSON.arrayNode();
  }

  public static JsonNode text(String s) {
    return JSON.textNode(s);
  }

  /** An integer as the smallest JSON node that holds it (as Jackson reads JSON numbers). */
  public static JsonNode integer(java.math.BigInteger i) {
    if (i.bitLength() < 32) {
      return JSON.numberNode(i.intValue());
    }
    if (i.bitLength() < 64) {
      return JSON.numberNode(i.longValue());
    }
    return JSON.numberNode(i);
  }

  public static JsonNode integer(long i) {
    return i == (int) i ? JSON.numberNode((int) i) : JSON.numberNode(i);
  }

  public static boolean isMissing(JsonNode n) {
    return n == null || n.isMissingNode();
  }

  public static boolean isNull(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode();
  }

  /** A list's items, or null when {@code n} is not a list. */
  public static List<JsonNode> items(JsonNode n) {
    if (n == null || !n.isArray()) {
      return null;
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  /** Python's {@code ==}: numbers compare by value (booleans are not numbers here). */
  public static boolean pyEquals(JsonNode a, JsonNode b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return isNull(a) && isNull(b);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!pyEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!b.has(e.getKey()) || !pyEquals(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * Whether Python would call the value true, as Heat and YAQL do: null, false, zero, the empty
   * string, list and map are false; anything else is true. A missing node is false too.
   */
  public static boolean pyTruth(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.doubleValue() != 0;
    }
    if (n.isTextual()) {
      return !n.textValue().isEmpty();
    }
    return !n.isEmpty();
  }

  /** Python's {@code in} over a list. */
  public static boolean pyContains(List<JsonNode> list, JsonNode value) {
    for (JsonNode item : list) {
      if (pyEquals(item, value)) {
        return true;
      }
    }
    return false;
  }

  /** Python's {@code str(value)}. */
  public static String str(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "None";
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    return repr(n);
  }

  /** Python's {@code repr(value)}. */
  public static String repr(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "None";
    }
    if (n.isTextual()) {
      String s = n.textValue();
      char q = s.contains("'") && !s.contains("\"") ? '"' : '\'';
      StringBuilder b = new StringBuilder().append(q);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c == q) {
              b.append('\\');
            }
            b.append(c);
          }
        }
      }
      return b.append(q).toString();
    }
    if (n.isBoolean()) {
      return n.booleanValue() ? "True" : "False";
    }
    if (n.isNumber()) {
      return number(n);
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(repr(n.get(i)));
      }
      return b.append(']').toString();
    }
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(repr(text(e.getKey()))).append(": ").append(repr(e.getValue()));
    }
    return b.append('}').toString();
  }

  /** A number as Python prints it: integers plainly, floats with a decimal point. */
  public static String number(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    double d = n.doubleValue();
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return new BigDecimal(d).toBigInteger() + ".0";
    }
    return Double.toString(d).replace("E", "e");
  }

  /** {@code json.dumps(value, sort_keys=sortKeys)} with Python's separators and ASCII escapes. */
  public static String dumps(JsonNode n, boolean sortKeys) {
    StringBuilder b = new StringBuilder();
    dump(n, sortKeys, b);
    return b.toString();
  }

  private static void dump(JsonNode n, boolean sortKeys, StringBuilder b) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      b.append("null");
    } else if (n.isTextual()) {
      quote(n.textValue(), b);
    } else if (n.isBoolean()) {
      b.append(n.booleanValue() ? "true" : "false");
    } else if (n.isNumber()) {
      String s = number(n);
      b.append(s.equals("inf") ? "Infinity" : s.equals("-inf") ? "-Infinity" : s.equals("nan") ? "NaN" : s);
    } else if (n.isArray()) {
      b.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        dump(n.get(i), sortKeys, b);
      }
      b.append(']');
    } else {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      if (sortKeys) {
        keys.sort(null);
      }
      b.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        quote(keys.get(i), b);
        b.append(": ");
        dump(n.get(keys.get(i)), sortKeys, b);
      }
      b.append('}');
    }
  }

  private static void quote(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Python's {@code str()} of a scalar as str_replace substitutes it. */
  public static String scalarText(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue() ? "True" : "False";
    }
    return number(n);
  }

  public static boolean isScalar(JsonNode n) {
    return n.isTextual() || n.isNumber() || n.isBoolean();
  }
}
