package dev.kiln.orchestration;

import java.util.List;

/** A create preview: the stack as it would be, and each resource it would make, in INIT. */
public record StackPreview(Stack stack, List<StackResource> resources) {
  public StackPreview {
    resources = List.copyOf(resources);
  }
}
