package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code Fn::FindInMap: [mapping, key, value]}: a value of the template's Mappings. */
public final class FindInMap implements Function {
  public static final FindInMap INSTANCE = new FindInMap();

  @Override
  public String description() {
    return "A value from the template's Mappings section.";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> 3;
    };
    if (size != 3) {
      String got = size < 0 ? "not a list" : size < 3 ? "not enough values to unpack (expected 3, got " + size + ")"
          : "too many values to unpack (expected 3)";
      throw TemplateError.invalid(got);
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    check(name, new Node.Literal(args));
    JsonNode v = scope.mappings();
    for (JsonNode key : args) {
      String k = Values.str(key);
      if (!v.isObject() || !v.has(k)) {
        throw TemplateError.invalid("'" + k + "'");
      }
      v = v.get(k);
    }
    return v;
  }
}
