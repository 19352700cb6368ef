package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;

/**
 * One resource type (a Java implementation of {@code OS::Heat::RandomString}, {@code
 * OS::Nova::Server}, …): its schema and what it does at each step of a resource's life. Heat's
 * {@code handle_create} + {@code check_create_complete} pair is one blocking {@link #create} here:
 * types run on virtual threads, so waiting is cheap and needs no polling protocol.
 *
 * <p><b>Idempotency is the contract that makes stacks crash-safe.</b> A step may run again after
 * the node running it died (before or after it finished, its outcome persisted or not). So:
 *
 * <ul>
 *   <li>{@link #create} must find what an earlier attempt made for this resource and adopt it,
 *       never make a second one. The key is {@link ResourceContext#id()}, the resource row's
 *       uuid, which never changes (record it on what you make: a tag, a name, a metadata key).
 *       Anything random must come from {@link ResourceContext#random()}, which is seeded per row,
 *       so a repeated create makes the same value.
 *   <li>{@link #delete} must succeed when the thing is already gone.
 * </ul>
 *
 * <p>Every step may block and should give up promptly when interrupted (a stack timeout or
 * cancel). A step refuses by throwing; the message becomes the resource's status reason.
 */
public interface ResourceType {
  ResourceSchema schema();

  /**
   * The type's own checks of its properties beyond the schema (Heat's {@code Resource.validate}:
   * "give the subnet or the port, not both"), run before anything is stored or made, at create,
   * preview, update and validate, on what is known then, and again on the resolved properties
   * when the resource is made. Refuse with a {@link dev.kiln.common.ServiceException} INVALID
   * carrying Heat's type and message; it answers 400. Properties that need another resource are
   * {@linkplain dev.kiln.orchestration.template.KnownProperties#pending pending}: given, value unknown.
   */
  default void validate(dev.kiln.orchestration.template.KnownProperties properties) {}

  /**
   * The type's checks of its {@code update_policy} section, what is known of it before anything
   * runs (a group's {@code rolling_update} and {@code batch_create}); by default any is taken.
   * Refuse as {@link #validate} does.
   */
  default void validateUpdatePolicy(dev.kiln.orchestration.template.KnownProperties policy) {}

  /**
   * Heat's {@code add_dependencies}: the other resources of the template this one must wait for
   * although it does not refer to them (a port waits for the subnets of its network, a floating
   * IP for the router that reaches its network). Compared as written, before anything is
   * evaluated. Deletes run in the reverse order.
   */
  default java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return java.util.Set.of();
  }

  /** Whether the engine checks properties against {@link #schema()} (OS::Heat::None takes any). */
  default boolean checksProperties() {
    return true;
  }

  /** Makes the resource (or adopts what an earlier attempt made); sets its physical id. */
  void create(ResourceContext context) throws Exception;

  /** Removes what the resource made; succeeds when it is already gone. */
  default void delete(ResourceContext context) throws Exception {}

  /**
   * Updates the resource in place: {@code context.properties()} are the new properties, {@code
   * previous} the ones it was made (or last updated) with. Called only when the schema allows an
   * update of every changed property and {@link #needsReplacement} says no; otherwise the engine
   * replaces the resource. Like {@link #create} it may run again after a crash, finding the change
   * partly or wholly applied, so it must converge rather than repeat.
   */
  default void update(ResourceContext context, JsonNode previous) throws Exception {
    throw new UnsupportedOperationException(schema().type() + " cannot be updated in place");
  }

  /**
   * Whether a change the schema allows in place must still replace the resource (a server whose
   * {@code flavor_update_policy} is {@code REPLACE}). Both arguments are resolved properties.
   */
  default boolean needsReplacement(JsonNode previous, JsonNode next) {
    return false;
  }

  /**
   * Whether every stack update replaces the resource, changed or not (a port whose {@code
   * replacement_policy} is {@code REPLACE_ALWAYS}). {@code properties} are the new, resolved ones.
   */
  default boolean replacesAlways(JsonNode properties) {
    return false;
  }

  /**
   * Whether the resource is a nested stack (Heat's {@code StackResource}: OS::Heat::Stack, groups,
   * provider templates). Such a resource is updated on every stack update, changed or not, because
   * its child stack decides resource by resource what changes (a provider template's file may
   * have changed, a member may have failed); and one that failed is updated, not replaced, as long
   * as its child exists (only a failed check replaces it).
   */
  default boolean nestedStack() {
    return false;
  }

  /**
   * What this resource holds exclusively with these properties, as opaque keys (a server's ports
   * and volumes, an attachment's volume: {@code "port:<id>"}, {@code "volume:<id>"}). Within one
   * stack update, a step that releases a key runs before a step that takes it, so a port moved
   * from one server to another is detached before it is attached. Unresolvable values are skipped.
   */
  default java.util.Set<String> claims(JsonNode properties) {
    return java.util.Set.of();
  }

  default void suspend(ResourceContext context) throws Exception {}

  default void resume(ResourceContext context) throws Exception {}

  /** Checks that what the resource made still exists and is well; throws when it is not. */
  default void check(ResourceContext context) throws Exception {
    if (context.physicalId() == null) {
      throw new IllegalStateException("Resource not created");
    }
  }

  /**
   * One attribute (get_attr), from what the resource recorded; JSON null when it has none.
   * Unknown attributes are refused by the template layer before this is called.
   */
  default JsonNode attribute(ResourceState resource, String name, NestedStacks nested) throws Exception {
    return NullNode.instance;
  }

  /** The value of get_resource / Ref: the physical id, or the name before there is one. */
  default String referenceId(ResourceState resource) {
    return resource.physicalId() != null ? resource.physicalId() : resource.name();
  }

  /**
   * Handles a signal that is not a hook's (wait condition handles take theirs here). The signal is
   * already stored; return a short description for the SIGNAL event, or throw to refuse it.
   */
  default String signal(ResourceState resource, JsonNode details) throws Exception {
    throw new UnsupportedOperationException("Signal resource during " + resource.action() + " is not supported.");
  }

  /** Whether this type takes signals other than hook clears. */
  default boolean signalable() {
    return false;
  }
}
