package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code contains: [value, sequence]}. */
public final class Contains implements Function {
  public static final Contains INSTANCE = new Contains();

  @Override
  public String description() {
    return "Whether a value is an item of a list (or a substring of a string).";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() && !l.value().isEmpty() ? l.value().size() : -1;
      default -> -1;
    };
    if (size == -1) {
      throw TemplateError.invalid("Incorrect arguments to \"" + name + "\" should be: \"" + name
          + "\" : [ \"value1\", [ \"value1\", \"value2\"]]");
    }
    if (size != 2) {
      throw TemplateError.invalid(
          "Arguments to \"" + name + "\" must be of the form: [value1, [value1, value2]]");
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    JsonNode value = args.get(0);
    JsonNode seq = args.get(1);
    if (seq.isTextual()) {
      if (!value.isTextual()) {
        throw TemplateError.invalid(
            "'in <string>' requires string as left operand, not " + PyTypes.name(value));
      }
      return Values.JSON.booleanNode(seq.textValue().contains(value.textValue()));
    }
    if (!seq.isArray()) {
      throw TemplateError.invalid("Second argument to \"" + name + "\" should be a sequence.");
    }
    return Values.JSON.booleanNode(Values.pyContains(Values.items(seq), value));
  }
}
