package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code list_join: [delimiter, list, …]}. Before HOT 2015-10-15 exactly one list of strings;
 * from then on one or more lists, whose maps and lists are joined as JSON.
 */
public final class ListJoin implements Function {
  public static final ListJoin SINGLE = new ListJoin(false);
  public static final ListJoin MULTIPLE = new ListJoin(true);

  private final boolean multiple;

  private ListJoin(boolean multiple) {
    this.multiple = multiple;
  }

  @Override
  public String description() {
    return multiple
        ? "Joins one or more lists of strings with a delimiter; maps and lists in them are joined"
            + " as JSON."
        : "Joins a list of strings with a delimiter.";
  }

  private String usage(String name) {
    String example =
        multiple
            ? "\"" + name + "\" : [ \" \", [ \"str1\", \"str2\"] ...]"
            : "\"" + name + "\" : [ \" \", [ \"str1\", \"str2\"]]";
    return "Incorrect arguments to \"" + name + "\" should be: " + example;
  }

  @Override
  public void check(String name, Node args) {
    int size;
    if (args instanceof Node.Literal l) {
      if (!l.value().isArray()) {
        throw TemplateError.invalid(usage(name));
      }
      size = l.value().size();
    } else if (args instanceof Node.ListNode list) {
      size = list.items().size();
    } else {
      throw TemplateError.invalid(usage(name));
    }
    if (multiple ? size < 2 : size != 2) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || (multiple ? args.size() < 2 : args.size() != 2)) {
      throw TemplateError.invalid(usage(name));
    }
    List<JsonNode> strings = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      JsonNode list = args.get(i);
      if (Values.isNull(list) || (multiple && list.isContainerNode() && list.isEmpty())) {
        continue;
      }
      if (!list.isArray()) {
        throw TemplateError.invalid("\"" + name + "\" must operate on a list");
      }
      list.forEach(strings::add);
    }
    JsonNode delim = args.get(0);
    if (!delim.isTextual()) {
      throw TemplateError.invalid("\"" + name + "\" delimiter must be a string");
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < strings.size(); i++) {
      if (i > 0) {
        out.append(delim.textValue());
      }
      out.append(item(strings.get(i)));
    }
    return Values.text(out.toString());
  }

  private String item(JsonNode s) {
    if (Values.isNull(s)) {
      return "";
    }
    if (s.isTextual()) {
      return s.textValue();
    }
    if (multiple && s.isContainerNode()) {
      return Values.dumps(s, true);
    }
    String shown = Values.repr(s);
    shown = shown.length() > 200 ? shown.substring(0, 200) : shown;
    throw TemplateError.invalid(
        multiple
            ? "Items to join must be string, map or list not " + shown
            : "Items to join must be strings not " + shown);
  }
}
