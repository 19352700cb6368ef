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
          "Does nothing and accepts any properties, answering every attribute with null; map another type to it in the resource_registry to leave that resource out.",
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
