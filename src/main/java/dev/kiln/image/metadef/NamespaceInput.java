package dev.kiln.image.metadef;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a namespace create or update asks for, already checked against the namespace schema.
 *
 * @param owner the owning project, or null for the caller's
 * @param associations, objects, properties, tags what a create puts in the namespace at once
 *     (an update ignores them, as Glance does)
 */
public record NamespaceInput(
    String namespace,
    String displayName,
    String description,
    boolean publicNamespace,
    boolean protectedNamespace,
    String owner,
    List<ResourceTypeAssociation> associations,
    List<MetadefObject> objects,
    List<MetadefProperty> properties,
    List<String> tags) {
  public NamespaceInput {
    requireNonNull(namespace, "namespace is null");
    associations = List.copyOf(associations);
    objects = List.copyOf(objects);
    properties = List.copyOf(properties);
    tags = List.copyOf(tags);
  }
}
