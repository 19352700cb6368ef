package dev.kiln.orchestration.engine;

import dev.kiln.orchestration.StackAction;

/**
 * Kiln's built-in lifecycle plugin: refuses to create a stack with more resources than the limit,
 * as Heat's {@code max_resources_per_stack} does. The limit is the system property {@code
 * kiln.heat.max_resources_per_stack}, else the environment variable {@code
 * KILN_HEAT_MAX_RESOURCES_PER_STACK}, else Heat's default of 1000; -1 means no limit.
 */
public final class ResourceLimitPlugin implements StackLifecyclePlugin {
  static final int DEFAULT_LIMIT = 1000;

  private final int limit;

  /** The limit from the configuration (see the class comment). */
  public ResourceLimitPlugin() {
    this(configuredLimit());
  }

  public ResourceLimitPlugin(int limit) {
    this.limit = limit;
  }

  static int configuredLimit() {
    String value = System.getProperty("kiln.heat.max_resources_per_stack");
    if (value == null) {
      value = System.getenv("KILN_HEAT_MAX_RESOURCES_PER_STACK");
    }
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("max_resources_per_stack must be a number, got '" + value + "'", e);
    }
  }

  @Override
  public int ordinal() {
    return 10;
  }

  @Override
  public void before(Operation operation) {
    if (operation.action() == StackAction.CREATE && limit >= 0 && operation.resourceCount() > limit) {
      throw new IllegalStateException(
          "Maximum resources per stack exceeded: the stack has " + operation.resourceCount()
              + " resources, the limit is " + limit + ".");
    }
  }
}
