package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A provider template: a resource whose type is a template (a file sent with the stack, or a type
 * the resource_registry maps to one). It runs as a nested stack whose parameters are the
 * resource's properties; its attributes are the nested stack's outputs (and {@code OS::stack_id}).
 */
public final class ProviderTemplateResource implements ResourceType {
  private static final ResourceSchema SCHEMA =
      new ResourceSchema("provider template", "A nested stack made from a template.", SupportStatus.SUPPORTED,
          Map.of(), Map.of());

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  /** The nested template checks its own parameters. */
  @Override
  public boolean checksProperties() {
    return false;
  }

  @Override
  public boolean nestedStack() {
    return true;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    context.physicalId(context.nested().create(provider(context).source(), parameters(context), null));
  }

  /**
   * The child stack is updated to the template as it is now (the file may have changed) with the
   * new properties as its parameters; every property of a provider template updates in place, as
   * Heat's parameters-as-properties are all {@code update_allowed}.
   */
  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    context.nested().update(context.physicalId(), provider(context).source(), parameters(context), null);
  }

  private static ResolvedType.ProviderTemplate provider(ResourceContext context) {
    if (!(context.implementation() instanceof ResolvedType.ProviderTemplate provider)) {
      throw new IllegalStateException("a provider template resource needs its template");
    }
    return provider;
  }

  private static Map<String, JsonNode> parameters(ResourceContext context) {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    context.properties().fields().forEachRemaining(e -> {
      if (!e.getValue().isNull()) {
        parameters.put(e.getKey(), e.getValue());
      }
    });
    return parameters;
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    context.nested().delete(context.physicalId());
  }

  @Override
  public void suspend(ResourceContext context) throws Exception {
    context.nested().suspend(context.physicalId());
  }

  @Override
  public void resume(ResourceContext context) throws Exception {
    context.nested().resume(context.physicalId());
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    context.nested().check(context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    if (name.equals("OS::stack_id")) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(resource.physicalId());
    }
    JsonNode value;
    try {
      value = nested.output(resource.physicalId(), name);
    } catch (IllegalStateException unresolved) {
      // Heat's TemplateOutputError: the nested output's error, named after this resource.
      throw new IllegalStateException(
          "Error in " + resource.name() + " output " + name + ": " + unresolved.getMessage(), unresolved);
    }
    return value == null ? NullNode.instance : value;
  }
}
