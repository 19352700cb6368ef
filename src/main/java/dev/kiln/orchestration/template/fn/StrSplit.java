package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** {@code str_split: [delimiter, string, (index)]}: the parts, or the one at {@code index}. */
public final class StrSplit implements Function {
  public static final StrSplit INSTANCE = new StrSplit();

  @Override
  public String description() {
    return "Splits a string on a delimiter into a list, or answers the part at an index.";
  }

  private static String usage(String name) {
    return "Incorrect arguments to \"" + name + "\" should be: \"" + name
        + "\" : [ \",\", \"apples,pears\", <index>]";
  }

  @Override
  public void check(String name, Node args) {
    if (args instanceof Node.Literal l && (l.value().isTextual() || l.value().isObject())
        || args instanceof Node.MapNode) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() < 2) {
      throw TemplateError.invalid(usage(name));
    }
    JsonNode delim = args.get(0);
    JsonNode str = args.get(1);
    if (Values.isNull(str)) {
      return Values.JSON.nullNode();
    }
    if (!str.isTextual() || !delim.isTextual()) {
      throw TemplateError.invalid(usage(name));
    }
    if (delim.textValue().isEmpty()) {
      throw TemplateError.invalid("empty separator");
    }
    ArrayNode parts = Values.array();
    String s = str.textValue();
    String d = delim.textValue();
    int from = 0;
    for (int at; (at = s.indexOf(d, from)) >= 0; from = at + d.length()) {
      parts.add(s.substring(from, at));
    }
    parts.add(s.substring(from));
    if (args.size() < 3) {
      return parts;
    }
    int index;
    try {
      index = args.get(2).isIntegralNumber() ? args.get(2).intValue() : Integer.parseInt(Values.str(args.get(2)).strip());
    } catch (NumberFormatException e) {
      throw TemplateError.invalid("Incorrect index to \"" + name + "\" should be: \"" + name
          + "\" : [ \",\", \"apples,pears\", <index>]");
    }
    if (index >= parts.size() || index < -parts.size()) {
      throw TemplateError.invalid("Incorrect index to \"" + name + "\" should be between 0 and "
          + (parts.size() - 1));
    }
    return parts.get(index < 0 ? parts.size() + index : index);
  }
}
