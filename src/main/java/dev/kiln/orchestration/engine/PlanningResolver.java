package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.Resolver;
import java.util.List;

/**
 * Resolves against the stack as it is: a resource the update adds and has no row yet is
 * referred to by its name and has no attributes, as Heat's preview sees it.
 */
final class PlanningResolver implements Resolver {
  private final LiveStack live;
  private final StackResolver rows;

  PlanningResolver(StackRunner runner, LiveStack live) {
    requireNonNull(runner, "runner is null");
    this.live = requireNonNull(live, "live is null");
    this.rows = new StackResolver(
        live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), null, java.time.Instant.MAX));
  }

  @Override
  public String resourceId(String resourceName) {
    return live.has(resourceName) ? rows.resourceId(resourceName) : resourceName;
  }

  @Override
  public JsonNode attribute(String resourceName, String attributeName) {
    return live.has(resourceName) ? rows.attribute(resourceName, attributeName) : NullNode.instance;
  }

  @Override
  public JsonNode allAttributes(String resourceName) {
    return live.has(resourceName) ? rows.allAttributes(resourceName) : dev.kiln.orchestration.store.JsonColumns.object();
  }

  @Override
  public List<String> availabilityZones() {
    return rows.availabilityZones();
  }
}
