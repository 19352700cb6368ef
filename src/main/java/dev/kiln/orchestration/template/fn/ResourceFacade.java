package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code resource_facade: metadata|deletion_policy|update_policy} (CFN: {@code
 * Fn::ResourceFacade: Metadata|DeletionPolicy|UpdatePolicy}): in a provider template, that part
 * of the resource in the parent stack that the template implements, as the engine binds it
 * ({@link Scope#facade()}); outside a nested stack the function fails.
 */
public final class ResourceFacade implements Function {
  public static final ResourceFacade HOT =
      new ResourceFacade(List.of("metadata", "deletion_policy", "update_policy"));
  public static final ResourceFacade CFN =
      new ResourceFacade(List.of("Metadata", "DeletionPolicy", "UpdatePolicy"));

  private final List<String> allowed;

  private ResourceFacade(List<String> allowed) {
    this.allowed = allowed;
  }

  @Override
  public String description() {
    return "In a provider template, the metadata, deletion policy or update policy of the"
        + " resource it implements.";
  }

  @Override
  public void check(String name, Node args) {
    if (args instanceof Node.Literal l && !(l.value().isTextual() && allowed.contains(l.value().textValue()))) {
      throw TemplateError.invalid("Incorrect arguments to \"" + name + "\" should be one of: "
          + String.join(", ", allowed));
    }
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    check(name, new Node.Literal(args));
    JsonNode facade = scope.facade();
    if (facade == null) {
      throw TemplateError.invalid(
          "\"" + name + "\" is only available in a template used as a resource of another stack");
    }
    int i = allowed.indexOf(args.textValue());
    JsonNode v = facade.get(List.of("metadata", "deletion_policy", "update_policy").get(i));
    return v == null ? Values.JSON.nullNode() : v;
  }
}
