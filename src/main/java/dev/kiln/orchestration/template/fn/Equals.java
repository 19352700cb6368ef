package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code equals: [a, b]} (and {@code Fn::Equals}). */
public final class Equals implements Function {
  public static final Equals INSTANCE = new Equals();

  @Override
  public String description() {
    return "Whether two values are equal.";
  }

  private static String usage(String name) {
    return "Arguments to \"" + name + "\" must be of the form: [value_1, value_2]";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> -1;
    };
    if (size != 2) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 2) {
      throw TemplateError.invalid(usage(name));
    }
    return Values.JSON.booleanNode(Values.pyEquals(args.get(0), args.get(1)));
  }
}
