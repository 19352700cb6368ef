package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** {@code Fn::Split: [delimiter, string]}. */
public final class CfnSplit implements Function {
  public static final CfnSplit INSTANCE = new CfnSplit();

  @Override
  public String description() {
    return "Splits a string on a delimiter into a list.";
  }

  private static String usage(String name) {
    return "Incorrect arguments to \"" + name + "\" should be: \"" + name + "\" : [ \",\", \"str1,str2\"]]";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      case Node.MapNode m -> -1;
      default -> 2;
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
    if (!args.get(0).isTextual()) {
      throw TemplateError.invalid("Delimiter for " + name + " must be string");
    }
    if (!args.get(1).isTextual()) {
      throw TemplateError.invalid(
          "String to split must be string; got " + PyTypes.typeRepr(args.get(1)));
    }
    String s = args.get(1).textValue();
    String d = args.get(0).textValue();
    ArrayNode parts = Values.array();
    int from = 0;
    if (!d.isEmpty()) {
      for (int at; (at = s.indexOf(d, from)) >= 0; from = at + d.length()) {
        parts.add(s.substring(from, at));
      }
    }
    parts.add(s.substring(from));
    return parts;
  }
}
