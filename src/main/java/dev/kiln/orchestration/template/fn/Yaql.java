package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code yaql: {expression, data}}; the expression language is Kiln's subset (see yaql package). */
public final class Yaql implements Function {
  public static final Yaql INSTANCE = new Yaql();

  @Override
  public String description() {
    return "Evaluates a YAQL expression over the given data (Kiln implements a subset of YAQL).";
  }

  private static String syntax(String name) {
    return "\"" + name + "\" syntax should be " + name + ":\n              expression: $.data.var1.sum()\n"
        + "              data:\n                var1: [3, 2, 1]";
  }

  @Override
  public void check(String name, Node args) {
    switch (args) {
      case Node.Literal l -> {
        if (!l.value().isObject()) {
          throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map.");
        }
        checkKeys(name, l.value().has("expression"), iter(l.value()));
        JsonNode e = l.value().get("expression");
        if (!e.isTextual()) {
          throw TemplateError.invalid("The \"expression\" argument to " + name + " must contain a string.");
        }
        parse(e.textValue());
      }
      case Node.MapNode m -> {
        checkKeys(name, m.entries().containsKey("expression"), m.entries().keySet());
        if (m.entries().get("expression") instanceof Node.Literal e) {
          if (!e.value().isTextual()) {
            throw TemplateError.invalid("The \"expression\" argument to " + name + " must contain a string.");
          }
          parse(e.value().textValue());
        }
      }
      default -> throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map.");
    }
  }

  private static Iterable<String> iter(JsonNode o) {
    return () -> o.fieldNames();
  }

  private static void checkKeys(String name, boolean hasExpression, Iterable<String> keys) {
    boolean extra = false;
    for (String k : keys) {
      extra |= !k.equals("expression") && !k.equals("data");
    }
    if (!hasExpression || extra) {
      throw TemplateError.invalid(syntax(name));
    }
  }

  private static dev.kiln.orchestration.template.yaql.YaqlExpression parse(String expression) {
    try {
      return dev.kiln.orchestration.template.yaql.YaqlExpression.parse(expression);
    } catch (IllegalArgumentException e) {
      throw TemplateError.invalid("Bad expression " + e.getMessage() + ".");
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isObject()) {
      throw TemplateError.invalid("Arguments to \"" + name + "\" must be a map.");
    }
    checkKeys(name, args.has("expression"), iter(args));
    JsonNode e = args.get("expression");
    if (!e.isTextual()) {
      throw TemplateError.invalid("The \"expression\" argument to " + name + " must contain a string.");
    }
    JsonNode data = args.has("data") ? args.get("data") : Values.object();
    try {
      return parse(e.textValue()).evaluate(data);
    } catch (IllegalArgumentException ex) {
      throw TemplateError.invalid(ex.getMessage());
    }
  }
}
