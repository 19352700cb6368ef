package dev.kiln.orchestration.resources;

import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Map;

/**
 * {@code OS::Heat::None}: does nothing, takes any properties, answers every attribute with null.
 * Used to stub out a type through the resource registry. Its physical id is the resource's uuid,
 * so a repeated create gives the same one.
 */
public final class NoneResource implements ResourceType {
  public static final String TYPE = "OS::Heat::None";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Enables easily disabling certain resources via the resource_registry. It does nothing, but can"
              + " effectively stub out any other resource because it will accept any properties and return any"
              + " attribute (as None).",
          "5.0.0",
          Map.of(),
          Map.of());

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public boolean checksProperties() {
    return false;
  }

  @Override
  public void create(ResourceContext context) {
    context.physicalId(context.id());
  }
}
