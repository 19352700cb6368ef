package dev.kiln.orchestration.template;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * One resource of a bound template.
 *
 * @param name the resource's name in the template
 * @param type the type as the template writes it
 * @param implementation what the environment's resource_registry makes of {@code type}
 * @param properties unresolved; the engine resolves them when the resource's dependencies are done
 * @param metadata unresolved {@code metadata}
 * @param dependsOn every resource this one needs first: explicit {@code depends_on} and implicit
 *     (get_resource, get_attr, Ref, Fn::GetAtt in properties, metadata and update policy)
 * @param updatePolicy unresolved {@code update_policy} (HOT) / {@code UpdatePolicy} (CFN)
 * @param externalId {@code external_id}, or null
 * @param hooks breakpoints the environment sets on this resource
 * @param description the resource's description, or empty
 */
public record ResourceDefinition(
    String name,
    String type,
    ResolvedType implementation,
    Expression properties,
    Expression metadata,
    Set<String> dependsOn,
    DeletionPolicy deletionPolicy,
    Expression updatePolicy,
    String externalId,
    Set<Hook> hooks,
    String description) {

  public ResourceDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(implementation, "implementation is null");
    requireNonNull(properties, "properties is null");
    requireNonNull(metadata, "metadata is null");
    dependsOn = Set.copyOf(dependsOn);
    requireNonNull(deletionPolicy, "deletionPolicy is null");
    requireNonNull(updatePolicy, "updatePolicy is null");
    hooks = Set.copyOf(hooks);
    requireNonNull(description, "description is null");
  }

  /** Heat's deletion policies ({@code Delete}, {@code Retain}, {@code Snapshot}). */
  public enum DeletionPolicy {
    DELETE,
    RETAIN,
    SNAPSHOT
  }

  /** Heat's breakpoint hooks, named as environments write them. */
  public enum Hook {
    PRE_CREATE("pre-create"),
    PRE_UPDATE("pre-update"),
    PRE_DELETE("pre-delete"),
    POST_CREATE("post-create"),
    POST_UPDATE("post-update"),
    POST_DELETE("post-delete");

    private final String heatName;

    Hook(String heatName) {
      this.heatName = heatName;
    }

    public String heatName() {
      return heatName;
    }
  }
}
