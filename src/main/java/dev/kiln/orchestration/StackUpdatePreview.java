package dev.kiln.orchestration;

import java.util.List;

/**
 * What an update would do, as Heat's {@code PUT …/preview} answers it: each resource of the stack
 * or of the new template in exactly one list (with {@code show_nested}, nested stacks' resources
 * too).
 */
public record StackUpdatePreview(
    List<StackResource> added,
    List<StackResource> deleted,
    List<StackResource> replaced,
    List<StackResource> updated,
    List<StackResource> unchanged) {

  public StackUpdatePreview {
    added = List.copyOf(added);
    deleted = List.copyOf(deleted);
    replaced = List.copyOf(replaced);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
  }
}
