package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** {@code filter: [values, list]}: the list without those values. */
public final class Filter implements Function {
  public static final Filter INSTANCE = new Filter();

  @Override
  public String description() {
    return "A list without the given values.";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> -1;
    };
    if (size == -1) {
      throw TemplateError.invalid("Argument to \"" + name + "\" must be a list");
    }
    if (size != 2) {
      throw TemplateError.invalid("\"" + name
          + "\" expected 2 arguments of the form [values, sequence] but got " + size
          + " arguments instead");
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    JsonNode sequence = args.get(1);
    if (Values.isNull(sequence) || (sequence.isContainerNode() || sequence.isTextual()) && isEmpty(sequence)) {
      return sequence;
    }
    if (!sequence.isArray()) {
      throw TemplateError.invalid("\"" + name + "\" only works with lists");
    }
    JsonNode values = args.get(0);
    if (Values.isNull(values) || (values.isContainerNode() || values.isTextual()) && isEmpty(values)) {
      return sequence;
    }
    if (!values.isArray()) {
      throw TemplateError.invalid("\"" + name + "\" filters a list of values");
    }
    List<JsonNode> drop = Values.items(values);
    ArrayNode out = Values.array();
    for (JsonNode item : sequence) {
      if (!Values.pyContains(drop, item)) {
        out.add(item);
      }
    }
    return out;
  }

  private static boolean isEmpty(JsonNode n) {
    return n.isTextual() ? n.textValue().isEmpty() : n.isEmpty();
  }
}
