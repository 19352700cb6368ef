package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.ResourceDefinition.Hook;
import dev.kiln.orchestration.template.fn.Node;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;
import java.util.Set;

/**
 * A resource as parsed, before parameters are bound.
 *
 * @param schema the schema properties are checked against (a built-in type's, or one made from a
 *     provider template's parameters), or null
 * @param condition the parsed {@code condition}, or null when it has none
 */
record ResourceSpec(
    String name,
    String type,
    ResolvedType implementation,
    ResourceSchema schema,
    Node properties,
    Node metadata,
    List<String> dependsOn,
    Node deletionPolicy,
    Node updatePolicy,
    Node externalId,
    Node condition,
    String description,
    Set<Hook> hooks,
    JsonNode raw,
    Set<String> implicitDependsOn) {

  /** This resource with the implicit dependencies its type found. */
  ResourceSpec withImplicit(Set<String> implicit) {
    return new ResourceSpec(name, type, implementation, schema, properties, metadata, dependsOn, deletionPolicy,
        updatePolicy, externalId, condition, description, hooks, raw, Set.copyOf(implicit));
  }
}
