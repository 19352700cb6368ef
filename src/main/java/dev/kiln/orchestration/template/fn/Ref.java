package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * CFN's {@code Ref: name}: a parameter's value when a parameter has that name, else a resource's
 * physical id. In conditions ({@link #PARAMETERS_ONLY}) only parameters may be named.
 */
public final class Ref implements Function {
  public static final Ref INSTANCE = new Ref(false);
  public static final Ref PARAMETERS_ONLY = new Ref(true);

  private final boolean parametersOnly;

  private Ref(boolean parametersOnly) {
    this.parametersOnly = parametersOnly;
  }

  @Override
  public String description() {
    return parametersOnly
        ? "The value of a parameter."
        : "The value of a parameter, or the physical id of a resource.";
  }

  @Override
  public String resourceReference(Node args, Predicate<String> isParameter) {
    if (!parametersOnly && args instanceof Node.Literal l && l.value().isTextual()
        && !isParameter.test(l.value().textValue())) {
      return l.value().textValue();
    }
    return null;
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    String target = Values.str(args);
    if (scope.isParameter(target)) {
      return scope.parameter(target);
    }
    if (parametersOnly || !scope.hasResource(target)) {
      throw new TemplateError("InvalidTemplateReference",
          "The specified reference \"" + target + "\" (in unknown) is incorrect.", true);
    }
    return Values.text(scope.live().resourceId(target));
  }
}
