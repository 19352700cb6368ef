package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A create preview: the stack as it would be, and each resource it would make, in INIT; a
 * resource that would run a nested stack (a provider template, a group, OS::Heat::Stack) is shown
 * as the list of that stack's resources, recursively, as Heat's preview shows it.
 */
public record StackPreview(Stack stack, List<Item> items) {
  public StackPreview {
    items = List.copyOf(items);
  }

  /** A preview of plain resources, none nested. */
  public static StackPreview flat(Stack stack, List<StackResource> resources) {
    return new StackPreview(stack, resources.stream().map(r -> (Item) new Resource(r, null)).toList());
  }

  /** One entry of a preview's resources. */
  public sealed interface Item permits Resource, Nested {}

  /**
   * @param properties every property of the type, resolved as far as it can be with nothing made
   *     (a reference to another resource is its name, an attribute null), or null when unknown
   */
  public record Resource(StackResource resource, JsonNode properties) implements Item {}

  /**
   * The resources of the nested stack a resource would make, in its place.
   *
   * @param stack the nested stack as it would be (named {@code <parent>-<resource>}, no id)
   */
  public record Nested(Stack stack, List<Item> items) implements Item {
    public Nested {
      items = List.copyOf(items);
    }
  }
}
