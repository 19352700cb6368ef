package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** {@code get_resource: name}: the resource's physical id. */
public final class GetResource implements Function {
  public static final GetResource INSTANCE = new GetResource();

  @Override
  public String description() {
    return "The physical id of another resource of the stack.";
  }

  @Override
  public String resourceReference(Node args, Predicate<String> isParameter) {
    return args instanceof Node.Literal l && l.value().isTextual() ? l.value().textValue() : null;
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isTextual()) {
      throw TemplateError.invalid("Argument to \"" + name + "\" must be a string");
    }
    return Values.text(scope.live().resourceId(args.textValue()));
  }
}
