package dev.kiln.orchestration.template.yaql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Evaluates YAQL syntax trees over JSON values; the methods live in {@link YaqlMethods}. */
final class YaqlEvaluator {

  JsonNode eval(YaqlNode node, JsonNode current, Map<String, JsonNode> vars) {
    return switch (node) {
      case YaqlNode.Const c -> constant(c.value());
      case YaqlNode.Var v -> {
        if (v.name().isEmpty()) {
          yield current;
        }
        JsonNode value = vars.get(v.name());
        if (value == null) {
          JsonNode fromContext = current.isObject() ? current.get(v.name()) : null;
          yield fromContext == null ? Values.JSON.nullNode() : fromContext;
        }
        yield value;
      }
      case YaqlNode.Attr a -> attr(eval(a.target(), current, vars), a.name());
      case YaqlNode.Index i -> index(eval(i.target(), current, vars), eval(i.index(), current, vars));
      case YaqlNode.Invoke inv -> new YaqlMethods(this).invoke(inv, current, vars);
      case YaqlNode.Unary u -> {
        JsonNode v = eval(u.operand(), current, vars);
        yield u.op().equals("not") ? Values.JSON.booleanNode(!Values.pyTruth(v)) : negate(v);
      }
      case YaqlNode.Binary b -> binary(b, current, vars);
      case YaqlNode.ListOf l -> {
        ArrayNode out = Values.array();
        l.items().forEach(i -> out.add(eval(i, current, vars)));
        yield out;
      }
      case YaqlNode.MapOf m -> {
        ObjectNode out = Values.object();
        for (int i = 0; i < m.keys().size(); i++) {
          out.set(Values.str(eval(m.keys().get(i), current, vars)), eval(m.values().get(i), current, vars));
        }
        yield out;
      }
    };
  }

  private static JsonNode constant(Object v) {
    if (v == null) {
      return Values.JSON.nullNode();
    }
    if (v instanceof Boolean b) {
      return Values.JSON.booleanNode(b);
    }
    if (v instanceof Long l) {
      return Values.integer(l);
    }
    if (v instanceof Double d) {
      return Values.JSON.numberNode(d);
    }
    return Values.text((String) v);
  }

  static JsonNode attr(JsonNode target, String name) {
    if (target.isObject()) {
      JsonNode v = target.get(name);
      return v == null ? Values.JSON.nullNode() : v;
    }
    if (target.isArray()) {
      ArrayNode out = Values.array();
      target.forEach(item -> out.add(attr(item, name)));
      return out;
    }
    if (target.isNull()) {
      return target;
    }
    throw new IllegalArgumentException("No attribute \"" + name + "\" on " + Values.repr(target));
  }

  static JsonNode index(JsonNode target, JsonNode index) {
    if (target.isArray() && index.isIntegralNumber()) {
      int i = index.intValue();
      int size = target.size();
      if (i >= size || i < -size) {
        throw new IllegalArgumentException("list index out of range");
      }
      return target.get(i < 0 ? size + i : i);
    }
    if (target.isObject()) {
      JsonNode v = target.get(Values.str(index));
      return v == null ? Values.JSON.nullNode() : v;
    }
    if (target.isTextual() && index.isIntegralNumber()) {
      String s = target.textValue();
      int i = index.intValue() < 0 ? s.length() + index.intValue() : index.intValue();
      if (i < 0 || i >= s.length()) {
        throw new IllegalArgumentException("string index out of range");
      }
      return Values.text(s.substring(i, i + 1));
    }
    throw new IllegalArgumentException("Cannot index " + Values.repr(target) + " with " + Values.repr(index));
  }

  private static JsonNode negate(JsonNode v) {
    if (v.isIntegralNumber()) {
      return Values.integer(v.bigIntegerValue().negate());
    }
    if (v.isNumber()) {
      return Values.JSON.numberNode(-v.doubleValue());
    }
    throw new IllegalArgumentException("Cannot negate " + Values.repr(v));
  }

  private JsonNode binary(YaqlNode.Binary b, JsonNode current, Map<String, JsonNode> vars) {
    if (b.op().equals("and")) {
      JsonNode l = eval(b.left(), current, vars);
      return Values.pyTruth(l) ? eval(b.right(), current, vars) : l;
    }
    if (b.op().equals("or")) {
      JsonNode l = eval(b.left(), current, vars);
      return Values.pyTruth(l) ? l : eval(b.right(), current, vars);
    }
    JsonNode l = eval(b.left(), current, vars);
    JsonNode r = eval(b.right(), current, vars);
    return switch (b.op()) {
      case "=" -> Values.JSON.booleanNode(Values.pyEquals(l, r));
      case "!=" -> Values.JSON.booleanNode(!Values.pyEquals(l, r));
      case "<" -> Values.JSON.booleanNode(compare(l, r) < 0);
      case ">" -> Values.JSON.booleanNode(compare(l, r) > 0);
      case "<=" -> Values.JSON.booleanNode(compare(l, r) <= 0);
      case ">=" -> Values.JSON.booleanNode(compare(l, r) >= 0);
      case "in" -> Values.JSON.booleanNode(r.isArray() ? Values.pyContains(Values.items(r), l)
          : r.isObject() ? r.has(Values.str(l)) : r.isTextual() && r.textValue().contains(Values.str(l)));
      case "+" -> plus(l, r);
      default -> arithmetic(b.op(), l, r);
    };
  }

  private static JsonNode plus(JsonNode l, JsonNode r) {
    if (l.isTextual() && r.isTextual()) {
      return Values.text(l.textValue() + r.textValue());
    }
    if (l.isArray() && r.isArray()) {
      ArrayNode out = ((ArrayNode) l).deepCopy();
      out.addAll((ArrayNode) r);
      return out;
    }
    if (l.isObject() && r.isObject()) {
      ObjectNode out = ((ObjectNode) l).deepCopy();
      out.setAll((ObjectNode) r);
      return out;
    }
    return arithmetic("+", l, r);
  }

  private static JsonNode arithmetic(String op, JsonNode l, JsonNode r) {
    if (!l.isNumber() || !r.isNumber()) {
      throw new IllegalArgumentException("Unsupported operand types for " + op + ": "
          + Values.repr(l) + " and " + Values.repr(r));
    }
    if (l.isIntegralNumber() && r.isIntegralNumber() && !op.equals("/")) {
      var a = l.bigIntegerValue();
      var c = r.bigIntegerValue();
      return Values.integer(switch (op) {
        case "+" -> a.add(c);
        case "-" -> a.subtract(c);
        case "*" -> a.multiply(c);
        default -> {
          if (c.signum() == 0) {
            throw new IllegalArgumentException("integer division or modulo by zero");
          }
          yield a.mod(c.abs());
        }
      });
    }
    if (op.equals("/") && l.isIntegralNumber() && r.isIntegralNumber()) {
      if (r.bigIntegerValue().signum() == 0) {
        throw new IllegalArgumentException("division by zero");
      }
      // YAQL divides integers as integers.
      return Values.integer(new BigDecimal(l.bigIntegerValue())
          .divide(new BigDecimal(r.bigIntegerValue()), java.math.RoundingMode.FLOOR).toBigInteger());
    }
    double a = l.doubleValue();
    double c = r.doubleValue();
    return Values.JSON.numberNode(switch (op) {
      case "+" -> a + c;
      case "-" -> a - c;
      case "*" -> a * c;
      case "/" -> a / c;
      default -> a - c * Math.floor(a / c);
    });
  }

  static int compare(JsonNode l, JsonNode r) {
    if (l.isNumber() && r.isNumber()) {
      return l.decimalValue().compareTo(r.decimalValue());
    }
    if (l.isTextual() && r.isTextual()) {
      return l.textValue().compareTo(r.textValue());
    }
    if (l.isBoolean() && r.isBoolean()) {
      return Boolean.compare(l.booleanValue(), r.booleanValue());
    }
    if (l.isNull() && r.isNull()) {
      return 0;
    }
    throw new IllegalArgumentException("Cannot compare " + Values.repr(l) + " and " + Values.repr(r));
  }

  static final Comparator<JsonNode> ORDER = YaqlEvaluator::compare;

  static List<JsonNode> items(JsonNode v, String method) {
    if (v.isArray()) {
      return Values.items(v);
    }
    if (v.isObject()) {
      List<JsonNode> keys = new ArrayList<>();
      v.fieldNames().forEachRemaining(k -> keys.add(Values.text(k)));
      return keys;
    }
    throw new IllegalArgumentException("No method \"" + method + "\" for receiver " + Values.repr(v));
  }
}
