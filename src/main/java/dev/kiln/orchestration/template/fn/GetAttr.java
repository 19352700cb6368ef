package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.Resolver;
import java.util.function.Predicate;

/**
 * {@code get_attr: [resource, attribute, key or index, …]}; from HOT 2015-10-15 on also {@code
 * get_attr: [resource]} for every attribute at once. A path that does not fit the value gives null,
 * as in Heat.
 */
public final class GetAttr implements Function {
  public static final GetAttr WITH_PATH = new GetAttr(false);
  public static final GetAttr ALL_ATTRIBUTES = new GetAttr(true);

  private final boolean allowWhole;

  private GetAttr(boolean allowWhole) {
    this.allowWhole = allowWhole;
  }

  @Override
  public String description() {
    return allowWhole
        ? "An attribute of another resource, optionally followed by keys and indexes into it; with"
            + " only a resource name, all of its attributes as a map."
        : "An attribute of another resource, optionally followed by keys and indexes into it.";
  }

  @Override
  public void check(String name, Node args) {
    int size;
    if (args instanceof Node.Literal l) {
      if (!l.value().isArray()) {
        throw TemplateError.invalid(
            allowWhole && (l.value().isNull() || l.value().isTextual() && l.value().textValue().isEmpty())
                ? shapeMessage(name)
                : "Argument to \"" + name + "\" must be a list");
      }
      size = l.value().size();
    } else if (args instanceof Node.ListNode list) {
      size = list.items().size();
    } else {
      return;
    }
    if (allowWhole ? size < 1 : size < 2) {
      throw TemplateError.invalid(shapeMessage(name));
    }
  }

  private String shapeMessage(String name) {
    return allowWhole
        ? "Arguments to \"" + name + "\" can be of the next forms: [resource_name] or"
            + " [resource_name, attribute, (path), ...]"
        : "Arguments to \"" + name + "\" must be of the form [resource_name, attribute, (path), ...]";
  }

  @Override
  public String resourceReference(Node args, Predicate<String> isParameter) {
    if (args instanceof Node.Literal l && l.value().isArray() && !l.value().isEmpty()) {
      JsonNode first = l.value().get(0);
      return first.isTextual() ? first.textValue() : null;
    }
    if (args instanceof Node.ListNode list
        && !list.items().isEmpty()
        && list.items().get(0) instanceof Node.Literal first
        && first.value().isTextual()) {
      return first.value().textValue();
    }
    return null;
  }

  /** The attribute named by literal arguments, or null (whole-resource form, or not literal). */
  public static String attributeName(Node args) {
    if (args instanceof Node.Literal l && l.value().isArray() && l.value().size() > 1) {
      JsonNode a = l.value().get(1);
      return a.isTextual() ? a.textValue() : null;
    }
    if (args instanceof Node.ListNode list
        && list.items().size() > 1
        && list.items().get(1) instanceof Node.Literal a
        && a.value().isTextual()) {
      return a.value().textValue();
    }
    return null;
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() < (allowWhole ? 1 : 2)) {
      throw TemplateError.invalid(shapeMessage(name));
    }
    if (!args.get(0).isTextual()) {
      throw TemplateError.invalid("Argument to \"" + name + "\" must be a list");
    }
    Resolver live = scope.live();
    String resource = args.get(0).textValue();
    if (args.size() == 1) {
      return orNull(live.allAttributes(resource));
    }
    JsonNode value = orNull(live.attribute(resource, Values.str(args.get(1))));
    for (int i = 2; i < args.size() && !value.isNull(); i++) {
      value = select(value, args.get(i));
    }
    return value;
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null || n.isMissingNode() ? Values.JSON.nullNode() : n;
  }

  /** One step of Heat's select_from_attribute: anything that does not fit gives null. */
  static JsonNode select(JsonNode value, JsonNode key) {
    if (value.isArray() && key.isIntegralNumber()) {
      int i = key.intValue();
      int size = value.size();
      if (i >= size || i < -size) {
        return Values.JSON.nullNode();
      }
      return value.get(i < 0 ? size + i : i);
    }
    if (value.isObject() && key.isTextual() && value.has(key.textValue())) {
      return value.get(key.textValue());
    }
    return Values.JSON.nullNode();
  }
}
