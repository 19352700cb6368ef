package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.template.Resolver;
import java.util.List;
import java.util.function.Function;

/** Answers get_resource / get_attr for a live stack from its resources' current rows. */
final class StackResolver implements Resolver {
  private final LiveStack stack;
  private final Function<String, NestedStacks> nested;

  /** @param nested the nested-stack access for a resource (by name), for group and stack attributes */
  StackResolver(LiveStack stack, Function<String, NestedStacks> nested) {
    this.stack = requireNonNull(stack, "stack is null");
    this.nested = requireNonNull(nested, "nested is null");
  }

  @Override
  public String resourceId(String resourceName) {
    LiveStack.Slot slot = stack.slot(resourceName);
    return slot.type.referenceId(stack.state(resourceName));
  }

  @Override
  public JsonNode attribute(String resourceName, String attributeName) {
    LiveStack.Slot slot = stack.slot(resourceName);
    ResourceState state = stack.state(resourceName);
    try {
      JsonNode value = slot.type.attribute(state, attributeName, nested.apply(resourceName));
      return value == null ? NullNode.instance : value;
    } catch (ServiceException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resolving " + resourceName + "." + attributeName, e);
    } catch (Exception e) {
      throw ServiceException.invalid("InvalidTemplateAttribute", Failures.message(e));
    }
  }

  @Override
  public JsonNode allAttributes(String resourceName) {
    ObjectNode all = JsonColumns.object();
    for (String name : stack.slot(resourceName).type.schema().attributes().keySet()) {
      if (!name.equals("show")) {
        all.set(name, attribute(resourceName, name));
      }
    }
    return all;
  }

  @Override
  public List<String> availabilityZones() {
    return List.of("nova");
  }
}
