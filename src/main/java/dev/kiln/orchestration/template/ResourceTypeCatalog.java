package dev.kiln.orchestration.template;

import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Optional;

/** The resource types the engine implements, as the template layer needs to check templates. */
public interface ResourceTypeCatalog {
  /** The schema of a built-in type, or empty when Kiln has no such type. */
  Optional<ResourceSchema> schema(String type);

  /**
   * Whether a built-in type's properties are checked against its schema; OS::Heat::None takes any
   * (it stands in for whatever type the resource_registry maps to it).
   */
  default boolean checksProperties(String type) {
    return true;
  }

  /**
   * Whether no resource's properties are checked at all (built-in or provider template): a nested
   * template read for validate's {@code show_nested} or a create preview, which Heat parses
   * without validating.
   */
  default boolean lenient() {
    return false;
  }

  /**
   * Heat's implicit dependencies ({@code add_dependencies}): the names of other resources of the
   * template that {@code resource} must wait for although it does not refer to them (a port waits
   * for the subnets of its network). {@code all} is every resource of the template.
   */
  default java.util.Set<String> implicitDependencies(
      TemplateResource resource, java.util.List<TemplateResource> all) {
    return java.util.Set.of();
  }
}
