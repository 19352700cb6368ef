package dev.kiln.orchestration.resources;

import java.util.List;

/** The resource types Kiln implements in Java. */
public final class BuiltinTypes {
  private BuiltinTypes() {}

  public static List<ResourceType> all() {
    return List.of(
        new NoneResource(),
        new TestResource(),
        new RandomStringResource(),
        new ValueResource(),
        new StackResourceType(),
        new ResourceGroup(),
        new ResourceChain(),
        new WaitCondition(),
        WaitConditionHandle.plain(),
        WaitConditionHandle.updating());
  }

  /** The type of resources whose type is a template. */
  public static ResourceType providerTemplate() {
    return new ProviderTemplateResource();
  }
}
