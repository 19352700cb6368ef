package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code get_param: name} or {@code get_param: [name, key or index, …]}. */
public final class GetParam implements Function {
  public static final GetParam INSTANCE = new GetParam();

  @Override
  public String description() {
    return "The value of a template parameter, optionally followed by keys and indexes into it.";
  }

  @Override
  public void check(String name, Node args) {
    if (args instanceof Node.Literal l) {
      JsonNode a = l.value();
      if (a.isNull() || (a.isContainerNode() && a.isEmpty()) || (a.isTextual() && a.textValue().isEmpty())) {
        throw TemplateError.invalid("Function \"" + name + "\" must have arguments");
      }
    }
  }

  /** The parameter named by literal arguments, or null when the name is not literal. */
  public static String parameterName(Node args) {
    if (args instanceof Node.Literal l) {
      JsonNode a = l.value();
      if (a.isTextual()) {
        return a.textValue();
      }
      if (a.isArray() && !a.isEmpty() && a.get(0).isTextual()) {
        return a.get(0).textValue();
      }
    }
    if (args instanceof Node.ListNode list
        && !list.items().isEmpty()
        && list.items().get(0) instanceof Node.Literal first
        && first.value().isTextual()) {
      return first.value().textValue();
    }
    return null;
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (Values.isNull(args) || (args.isContainerNode() && args.isEmpty()) || (args.isTextual() && args.textValue().isEmpty())) {
      throw TemplateError.invalid("Function \"" + name + "\" must have arguments");
    }
    String param;
    List<JsonNode> path;
    if (args.isTextual()) {
      param = args.textValue();
      path = List.of();
    } else if (args.isArray()) {
      if (!args.get(0).isTextual()) {
        throw TemplateError.invalid("Parameter name in \"" + name + "\" must be string");
      }
      param = args.get(0).textValue();
      path = Values.items(args).subList(1, args.size());
    } else {
      throw TemplateError.invalid("Argument to \"" + name + "\" must be string or list");
    }
    JsonNode value = scope.parameter(param);
    for (JsonNode key : path) {
      if (!value.isContainerNode()) {
        if (value.isTextual()) {
          // Python can index a string: Heat answers the character, or '' when out of range.
          value = indexString(value.textValue(), key, name);
          continue;
        }
        return Values.text("");
      }
      if (!key.isTextual() && !key.isIntegralNumber()) {
        throw TemplateError.invalid("Path components in \"" + name + "\" must be strings");
      }
      if (value.isArray()) {
        Integer i = index(key, name);
        if (i == null || i >= value.size() || i < -value.size()) {
          return Values.text("");
        }
        value = value.get(i < 0 ? value.size() + i : i);
      } else {
        if (!key.isTextual() || !value.has(key.textValue())) {
          return Values.text("");
        }
        value = value.get(key.textValue());
      }
    }
    return value;
  }

  private static JsonNode indexString(String s, JsonNode key, String name) {
    Integer i = index(key, name);
    if (i == null || i >= s.length() || i < -s.length()) {
      return Values.text("");
    }
    int at = i < 0 ? s.length() + i : i;
    return Values.text(s.substring(at, at + 1));
  }

  private static Integer index(JsonNode key, String name) {
    if (key.isIntegralNumber()) {
      return key.intValue();
    }
    try {
      return Integer.parseInt(key.textValue().strip());
    } catch (NumberFormatException e) {
      throw TemplateError.invalid(
          "Path components in '" + name + "' must be a string that can be parsed into an integer.");
    }
  }
}
