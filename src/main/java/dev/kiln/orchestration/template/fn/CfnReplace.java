package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code Fn::Replace: [{key: value}, string]}: str_replace with CFN's argument order. */
public final class CfnReplace implements Function {
  public static final CfnReplace INSTANCE = new CfnReplace();

  @Override
  public String description() {
    return "Substitutes the values (strings or numbers) of a map for its keys in a string.";
  }

  private static String usage(String name) {
    return "Incorrect arguments to \"" + name + "\" should be: {\"" + name
        + "\": [ {\"$var1\": \"foo\", \"%var2%\": \"bar\"}, \"$var1 is %var2%\"]}";
  }

  @Override
  public void check(String name, Node args) {
    int size = switch (args) {
      case Node.ListNode l -> l.items().size();
      case Node.Literal l -> l.value().isArray() ? l.value().size() : -1;
      case Node.MapNode m -> -1;
      default -> 2;
    };
    if (size != 2) {
      throw TemplateError.invalid(usage(name));
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    if (!args.isArray() || args.size() != 2) {
      throw TemplateError.invalid(usage(name));
    }
    if (!args.get(0).isObject()) {
      throw TemplateError.invalid("\"" + name + "\" parameters must be a mapping");
    }
    ObjectNode asHot = Values.object();
    asHot.set("template", args.get(1));
    asHot.set("params", args.get(0));
    return StrReplace.SCALARS.apply(name, asHot, scope);
  }
}
