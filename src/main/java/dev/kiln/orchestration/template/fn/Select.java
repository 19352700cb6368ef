package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code Fn::Select: [index, list or map]}: the item, or an empty string when there is none. */
public final class Select implements Function {
  public static final Select INSTANCE = new Select();

  @Override
  public String description() {
    return "The item at an index of a list (or key of a map); empty when there is none.";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> 2;
    };
    if (size != 2) {
      throw TemplateError.invalid("Arguments to \"" + name + "\" must be of the form [index, collection]");
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 2) {
      throw TemplateError.invalid("Arguments to \"" + name + "\" must be of the form [index, collection]");
    }
    JsonNode index = args.get(0);
    JsonNode strings = args.get(1);
    if (strings.isTextual()) {
      if (strings.textValue().isEmpty()) {
        return Values.text("");
      }
      try {
        strings = TemplateJson.read(strings.textValue());
      } catch (IllegalArgumentException e) {
        throw TemplateError.invalid("\"" + name + "\": " + e.getMessage());
      }
    }
    if (strings.isObject()) {
      if (!index.isTextual()) {
        throw TemplateError.invalid("Index to \"" + name + "\" must be a string");
      }
      JsonNode v = strings.get(index.textValue());
      return v == null ? Values.text("") : v;
    }
    if (strings.isArray()) {
      Integer i = null;
      if (index.isIntegralNumber()) {
        i = index.intValue();
      } else if (index.isTextual()) {
        try {
          i = Integer.parseInt(index.textValue().strip());
        } catch (NumberFormatException e) {
          i = null;
        }
      } else if (index.isNumber()) {
        i = (int) index.doubleValue();
      }
      if (i == null) {
        throw TemplateError.invalid("Index to \"" + name + "\" must be an integer");
      }
      if (i >= strings.size() || i < -strings.size()) {
        return Values.text("");
      }
      return strings.get(i < 0 ? strings.size() + i : i);
    }
    if (Values.isNull(strings)) {
      return Values.text("");
    }
    throw TemplateError.invalid("Arguments to " + name + " not fully resolved");
  }
}
