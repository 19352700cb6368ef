package dev.kiln.orchestration.template.yaql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.template.fn.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The methods and functions of Kiln's YAQL subset. A method call {@code x.f(a)} is {@code f(x,
 * a)}; the lambda arguments of select, where, orderBy, … are evaluated per item with {@code $}
 * bound to it.
 */
final class YaqlMethods {
  private final YaqlEvaluator ev;

  YaqlMethods(YaqlEvaluator ev) {
    this.ev = ev;
  }

  JsonNode invoke(YaqlNode.Invoke inv, JsonNode current, Map<String, JsonNode> vars) {
    List<YaqlNode> args = inv.args();
    JsonNode receiver;
    List<YaqlNode> rest;
    if (inv.receiver() != null) {
      receiver = ev.eval(inv.receiver(), current, vars);
      rest = args;
    } else if (isLambdaMethod(inv.name()) && !args.isEmpty()) {
      receiver = ev.eval(args.get(0), current, vars);
      rest = args.subList(1, args.size());
    } else {
      return function(inv.name(), evalAll(args, current, vars));
    }
    return method(inv.name(), receiver, rest, current, vars);
  }

  private static boolean isLambdaMethod(String name) {
    return List.of("select", "where", "filter", "selectMany", "orderBy", "orderByDescending", "any",
        "all", "toDict", "first", "last", "distinct", "sum", "flatten", "skip", "take", "limit",
        "keys", "values", "items", "toUpper", "toLower", "split", "replace", "startsWith",
        "endsWith", "trim", "substring", "indexOf", "toList", "reverse", "contains", "get", "count")
        .contains(name);
  }

  private List<JsonNode> evalAll(List<YaqlNode> args, JsonNode current, Map<String, JsonNode> vars) {
    List<JsonNode> out = new ArrayList<>();
    args.forEach(a -> out.add(ev.eval(a, current, vars)));
    return out;
  }

  private JsonNode lambda(YaqlNode body, JsonNode item, Map<String, JsonNode> vars) {
    return ev.eval(body, item, vars);
  }

  private JsonNode method(String name, JsonNode r, List<YaqlNode> args, JsonNode current,
      Map<String, JsonNode> vars) {
    switch (name) {
      case "select" -> {
        ArrayNode out = Values.array();
        YaqlEvaluator.items(r, name).forEach(i -> out.add(lambda(args.get(0), i, vars)));
        return out;
      }
      case "where", "filter" -> {
        ArrayNode out = Values.array();
        YaqlEvaluator.items(r, name).forEach(i -> {
          if (Values.pyTruth(lambda(args.get(0), i, vars))) {
            out.add(i);
          }
        });
        return out;
      }
      case "selectMany" -> {
        ArrayNode out = Values.array();
        YaqlEvaluator.items(r, name).forEach(i -> YaqlEvaluator.items(lambda(args.get(0), i, vars), name).forEach(out::add));
        return out;
      }
      case "orderBy", "orderByDescending" -> {
        List<JsonNode> items = new ArrayList<>(YaqlEvaluator.items(r, name));
        items.sort((a, b) -> YaqlEvaluator.compare(lambda(args.get(0), a, vars), lambda(args.get(0), b, vars)));
        if (name.equals("orderByDescending")) {
          Collections.reverse(items);
        }
        return YaqlExpression.list(items);
      }
      case "any" -> {
        for (JsonNode i : YaqlEvaluator.items(r, name)) {
          if (args.isEmpty() || Values.pyTruth(lambda(args.get(0), i, vars))) {
            return Values.JSON.booleanNode(true);
          }
        }
        return Values.JSON.booleanNode(false);
      }
      case "all" -> {
        for (JsonNode i : YaqlEvaluator.items(r, name)) {
          if (!Values.pyTruth(args.isEmpty() ? i : lambda(args.get(0), i, vars))) {
            return Values.JSON.booleanNode(false);
          }
        }
        return Values.JSON.booleanNode(true);
      }
      case "toDict" -> {
        ObjectNode out = Values.object();
        for (JsonNode i : YaqlEvaluator.items(r, name)) {
          JsonNode v = args.size() > 1 ? lambda(args.get(1), i, vars) : i;
          out.set(Values.str(lambda(args.get(0), i, vars)), v);
        }
        return out;
      }
      default -> {
        List<JsonNode> values = new ArrayList<>();
        values.add(r);
        values.addAll(evalAll(args, current, vars));
        return function(name, values);
      }
    }
  }

  /** Functions over evaluated arguments (the receiver, if any, first). */
  private JsonNode function(String name, List<JsonNode> a) {
    JsonNode r = a.isEmpty() ? Values.JSON.nullNode() : a.get(0);
    return switch (name) {
      case "len", "count" -> Values.integer(r.isTextual() ? r.textValue().length() : YaqlEvaluator.items(r, name).size());
      case "sum" -> {
        JsonNode total = Values.integer(0);
        for (JsonNode i : YaqlEvaluator.items(r, name)) {
          total = i.isIntegralNumber() && total.isIntegralNumber()
              ? Values.integer(total.bigIntegerValue().add(i.bigIntegerValue()))
              : Values.JSON.numberNode(total.decimalValue().add(number(i).decimalValue()).doubleValue());
        }
        yield total;
      }
      case "max", "min" -> {
        List<JsonNode> items = a.size() == 1 ? YaqlEvaluator.items(r, name) : a;
        if (items.isEmpty()) {
          throw new IllegalArgumentException(name + "() arg is an empty sequence");
        }
        yield name.equals("max") ? Collections.max(items, YaqlEvaluator.ORDER) : Collections.min(items, YaqlEvaluator.ORDER);
      }
      case "first", "last" -> {
        List<JsonNode> items = YaqlEvaluator.items(r, name);
        if (items.isEmpty()) {
          if (a.size() > 1) {
            yield a.get(1);
          }
          throw new IllegalArgumentException("Collection is empty");
        }
        yield items.get(name.equals("first") ? 0 : items.size() - 1);
      }
      case "distinct" -> {
        List<JsonNode> out = new ArrayList<>();
        YaqlEvaluator.items(r, name).forEach(i -> {
          if (!Values.pyContains(out, i)) {
            out.add(i);
          }
        });
        yield YaqlExpression.list(out);
      }
      case "skip" -> {
        List<JsonNode> items = YaqlEvaluator.items(r, name);
        yield YaqlExpression.list(items.subList(Math.min(items.size(), a.get(1).intValue()), items.size()));
      }
      case "take", "limit" -> {
        List<JsonNode> items = YaqlEvaluator.items(r, name);
        yield YaqlExpression.list(items.subList(0, Math.min(items.size(), a.get(1).intValue())));
      }
      case "join" -> {
        // join(collection, sep) as a method; join(sep, collection) as YAQL's function also works.
        JsonNode list = r.isArray() ? r : a.get(1);
        JsonNode sep = r.isArray() ? a.get(1) : r;
        StringBuilder b = new StringBuilder();
        List<JsonNode> items = YaqlEvaluator.items(list, name);
        for (int i = 0; i < items.size(); i++) {
          b.append(i > 0 ? Values.str(sep) : "").append(Values.str(items.get(i)));
        }
        yield Values.text(b.toString());
      }
      case "contains" -> Values.JSON.booleanNode(r.isTextual()
          ? r.textValue().contains(Values.str(a.get(1)))
          : r.isObject() ? r.has(Values.str(a.get(1))) : Values.pyContains(YaqlEvaluator.items(r, name), a.get(1)));
      case "flatten" -> {
        ArrayNode out = Values.array();
        flatten(r, out);
        yield out;
      }
      case "reverse" -> {
        if (r.isTextual()) {
          yield Values.text(new StringBuilder(r.textValue()).reverse().toString());
        }
        List<JsonNode> items = new ArrayList<>(YaqlEvaluator.items(r, name));
        Collections.reverse(items);
        yield YaqlExpression.list(items);
      }
      case "indexOf" -> Values.integer(r.isTextual()
          ? r.textValue().indexOf(Values.str(a.get(1)))
          : indexOf(YaqlEvaluator.items(r, name), a.get(1)));
      case "concat" -> {
        if (r.isTextual()) {
          StringBuilder b = new StringBuilder();
          a.forEach(x -> b.append(Values.str(x)));
          yield Values.text(b.toString());
        }
        ArrayNode out = Values.array();
        a.forEach(x -> YaqlEvaluator.items(x, name).forEach(out::add));
        yield out;
      }
      case "toList", "list" -> name.equals("list") && a.size() != 1
          ? YaqlExpression.list(a)
          : YaqlExpression.list(YaqlEvaluator.items(r, name));
      case "keys" -> YaqlExpression.list(YaqlEvaluator.items(object(r, name), name));
      case "values" -> {
        ArrayNode out = Values.array();
        object(r, name).forEach(out::add);
        yield out;
      }
      case "items" -> {
        ArrayNode out = Values.array();
        object(r, name).fields().forEachRemaining(e -> out.add(Values.array().add(e.getKey()).add(e.getValue())));
        yield out;
      }
      case "get" -> {
        JsonNode v = object(r, name).get(Values.str(a.get(1)));
        yield v != null ? v : a.size() > 2 ? a.get(2) : Values.JSON.nullNode();
      }
      case "toUpper" -> Values.text(text(r, name).toUpperCase(Locale.ROOT));
      case "toLower" -> Values.text(text(r, name).toLowerCase(Locale.ROOT));
      case "trim" -> Values.text(text(r, name).strip());
      case "startsWith" -> Values.JSON.booleanNode(text(r, name).startsWith(Values.str(a.get(1))));
      case "endsWith" -> Values.JSON.booleanNode(text(r, name).endsWith(Values.str(a.get(1))));
      case "replace" -> Values.text(text(r, name).replace(Values.str(a.get(1)), Values.str(a.get(2))));
      case "split" -> {
        ArrayNode out = Values.array();
        String s = text(r, name);
        if (a.size() < 2) {
          for (String part : s.strip().split("\\s+")) {
            if (!part.isEmpty()) {
              out.add(part);
            }
          }
        } else {
          String sep = Values.str(a.get(1));
          int from = 0;
          for (int at; (at = s.indexOf(sep, from)) >= 0 && !sep.isEmpty(); from = at + sep.length()) {
            out.add(s.substring(from, at));
          }
          out.add(s.substring(from));
        }
        yield out;
      }
      case "substring" -> {
        String s = text(r, name);
        int start = Math.max(0, Math.min(s.length(), a.get(1).intValue()));
        int end = a.size() > 2 ? Math.min(s.length(), start + a.get(2).intValue()) : s.length();
        yield Values.text(s.substring(start, Math.max(start, end)));
      }
      case "str" -> Values.text(r.isBoolean() ? (r.booleanValue() ? "true" : "false") : r.isNull() ? "null" : Values.str(r));
      case "int" -> Values.integer(number(r).decimalValue().toBigInteger());
      case "float" -> Values.JSON.numberNode(number(r).doubleValue());
      case "bool" -> Values.JSON.booleanNode(Values.pyTruth(r));
      case "range" -> {
        long from = a.size() > 1 ? r.longValue() : 0;
        long to = a.size() > 1 ? a.get(1).longValue() : r.longValue();
        if (to - from > 10_000) {
          throw new IllegalArgumentException("range() is limited to 10000 items here");
        }
        ArrayNode out = Values.array();
        for (long i = from; i < to; i++) {
          out.add(Values.integer(i));
        }
        yield out;
      }
      case "coalesce" -> {
        for (JsonNode x : a) {
          if (!x.isNull()) {
            yield x;
          }
        }
        yield Values.JSON.nullNode();
      }
      default -> throw new IllegalArgumentException("Unknown function \"" + name + "\"");
    };
  }

  private static void flatten(JsonNode v, ArrayNode out) {
    if (v.isArray()) {
      v.forEach(i -> flatten(i, out));
    } else {
      out.add(v);
    }
  }

  private static int indexOf(List<JsonNode> items, JsonNode x) {
    for (int i = 0; i < items.size(); i++) {
      if (Values.pyEquals(items.get(i), x)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode object(JsonNode r, String method) {
    if (!r.isObject()) {
      throw new IllegalArgumentException("No method \"" + method + "\" for receiver " + Values.repr(r));
    }
    return r;
  }

  private static String text(JsonNode r, String method) {
    if (!r.isTextual()) {
      throw new IllegalArgumentException("No method \"" + method + "\" for receiver " + Values.repr(r));
    }
    return r.textValue();
  }

  private static JsonNode number(JsonNode v) {
    if (v.isNumber()) {
      return v;
    }
    try {
      return Values.JSON.numberNode(new BigDecimal(Values.str(v).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cannot convert " + Values.repr(v) + " to a number");
    }
  }
}
