package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** CFN's {@code Fn::GetAtt: [resource, attribute]}. */
public final class CfnGetAtt implements Function {
  public static final CfnGetAtt INSTANCE = new CfnGetAtt();

  @Override
  public String description() {
    return "An attribute of a resource.";
  }

  private static String usage(String name) {
    return "Arguments to \"" + name + "\" must be of the form [resource_name, attribute]";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      default -> 2;
    };
    if (size != 2) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public String resourceReference(Node args, Predicate<String> isParameter) {
    return GetAttr.WITH_PATH.resourceReference(args, isParameter);
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 2) {
      throw TemplateError.invalid(usage(name));
    }
    JsonNode v = scope.live().attribute(Values.str(args.get(0)), Values.str(args.get(1)));
    return v == null || v.isMissingNode() ? Values.JSON.nullNode() : v;
  }
}
