package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the engine gives a type for one step of one resource. Not thread-safe; one step uses it.
 */
public interface ResourceContext {
  /** The resource row's uuid: stable across retries and restarts, the idempotency key. */
  String id();

  String name();

  String stackId();

  String stackName();

  /** Heat's physical resource name: {@code <stack>-<resource>-<short id>}, stable per row. */
  String physicalName();

  /** The stack owner, as whom the resource acts on the cloud. */
  Actor owner();

  /** The resolved, checked properties (defaults filled in). */
  JsonNode properties();

  /**
   * The resource's {@code update_policy} (HOT; CFN's {@code UpdatePolicy}) as the template being
   * applied resolves it (the new template's, in an update); JSON null when it has none.
   */
  default JsonNode updatePolicy() {
    return com.fasterxml.jackson.databind.node.NullNode.instance;
  }

  /** The physical id recorded so far, or null. */
  String physicalId();

  void physicalId(String physicalId);

  /** The type's recorded data; changes are persisted with the step's outcome. */
  ObjectNode data();

  /** Randomness seeded per resource row: the same sequence on every attempt of a create. */
  RandomGenerator random();

  Clock clock();

  /** When the stack's operation times out; a step should not outlive it. */
  Instant deadline();

  /** Nested stacks of this resource (OS::Heat::Stack, groups, provider templates). */
  NestedStacks nested();

  /**
   * What the template's resource_registry made of this resource's type (a provider template's
   * source for one); null for steps that run from the row alone (delete, suspend, …).
   */
  dev.kiln.orchestration.template.ResolvedType implementation();

  /** A template to run as a nested stack, with this stack's files and environment. */
  dev.kiln.orchestration.template.TemplateSource nestedSource(JsonNode template);

  /** When this resource's current action started (survives a restart). */
  Instant startedAt();

  /** The URL to POST a signal to this resource ({@code …/stacks/<name>/<id>/resources/<name>/signal}). */
  String signalUrl();

  /** Another resource of the stack whose reference (get_resource) is {@code reference}, if any. */
  java.util.Optional<ResourceState> siblingByReference(String reference);

  /** The state of another resource of the same stack, as it is now (wait conditions read handles). */
  ResourceState sibling(String name);

  /**
   * Blocks until this resource or {@code watched} is signalled, or {@code until} passes, whichever
   * comes first; returns at once if a signal came since the last call. A signal may also wake it
   * spuriously: re-check after waking.
   *
   * @return false when {@code until} passed
   */
  boolean awaitSignal(List<String> watched, Instant until) throws InterruptedException;

  /**
   * Sleeps between looks at a service. Use this rather than {@link Thread#sleep}: the engine stops
   * a step (a timeout, a cancel, a delete that takes the stack over) by waking it here, with an
   * {@link InterruptedException}, and never interrupts a step's thread elsewhere, where it may be
   * in the middle of a store write.
   */
  default void pause(java.time.Duration duration) throws InterruptedException {
    Thread.sleep(duration);
  }

  /**
   * Watches the thing with id {@code key} in another service (a server's or a volume's id) while
   * the step waits for it: open the watch before the first look, so that a change between a look
   * and the wait that follows it is not missed, and wait with {@link ChangeWatch#await} where a
   * poll would {@link #pause}. Without an engine to wake it, the watch only pauses.
   */
  default ChangeWatch watch(String key) {
    return new ChangeWatch() {
      @Override
      public void await(java.time.Duration atMost) throws InterruptedException {
        pause(atMost);
      }

      @Override
      public void close() {}
    };
  }
}
