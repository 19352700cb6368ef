package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ResourceDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stack while an operation runs over it: its row, its current resource rows (each kept up to
 * date in memory as steps change it) and, for operations that need them, the bound template's
 * definitions. Read concurrently by the steps; each slot's row is replaced atomically.
 */
final class LiveStack {
  /** One resource: its latest row, its definition (null when the operation needs none), its type. */
  static final class Slot {
    private volatile ResourceRow row;
    final ResourceDefinition definition;
    volatile ResourceType type;

    Slot(ResourceRow row, ResourceDefinition definition, ResourceType type) {
      this.row = row;
      this.definition = definition;
      this.type = type;
    }

    ResourceRow row() {
      return row;
    }

    void row(ResourceRow row) {
      this.row = row;
    }

    /** A replacement took this name over: its row and type are the slot's now. */
    void replace(ResourceRow row, ResourceType type) {
      this.type = type;
      this.row = row;
    }
  }

  private volatile StackRow stack;
  private final Map<String, Slot> slots;
  private final BoundStack bound;
  private final Map<String, ResourceDefinition> definitions;

  private LiveStack(StackRow stack, Map<String, Slot> slots, BoundStack bound, Map<String, ResourceDefinition> definitions) {
    this.stack = stack;
    this.slots = slots;
    this.bound = bound;
    this.definitions = definitions;
  }

  /**
   * @param bound the bound template, or null for operations that work from the rows alone
   *     (delete, suspend, resume, check)
   */
  static LiveStack of(StackRow stack, List<ResourceRow> rows, BoundStack bound, ResourceTypes types) {
    requireNonNull(stack, "stack is null");
    Map<String, ResourceDefinition> definitions = new LinkedHashMap<>();
    if (bound != null) {
      bound.resources().forEach(d -> definitions.put(d.name(), d));
    }
    Map<String, Slot> slots = new LinkedHashMap<>();
    for (ResourceRow row : rows) {
      ResourceDefinition definition = definitions.get(row.name());
      ResourceType type =
          types.forImplementation(row.data().path(ResourceTypes.IMPL_KEY).asText(row.type()));
      slots.put(row.name(), new Slot(row, definition, type));
    }
    return new LiveStack(stack, slots, bound, definitions);
  }

  /** The bound template's definition of a resource (which may have no row yet), or null. */
  ResourceDefinition definition(String name) {
    return definitions.get(name);
  }

  StackRow stack() {
    return stack;
  }

  void stack(StackRow stack) {
    this.stack = stack;
  }

  BoundStack bound() {
    return bound;
  }

  Slot slot(String name) {
    Slot slot = slots.get(name);
    if (slot == null) {
      throw new IllegalArgumentException("The Resource (" + name + ") could not be found in Stack " + stack.name() + ".");
    }
    return slot;
  }

  boolean has(String name) {
    return slots.containsKey(name);
  }

  Collection<Slot> slots() {
    return slots.values();
  }

  Collection<String> names() {
    return slots.keySet();
  }

  ResourceState state(String name) {
    return state(stack, slot(name).row(), List.of());
  }

  static ResourceState state(StackRow stack, ResourceRow row, List<com.fasterxml.jackson.databind.JsonNode> signals) {
    return new ResourceState(
        row.id(), stack.id(), stack.name(), row.name(), row.type(), row.action(), row.status(), row.physicalId(),
        row.properties(), row.data(), row.nestedStackId(), signals);
  }
}
