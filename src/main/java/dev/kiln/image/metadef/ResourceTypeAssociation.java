package dev.kiln.image.metadef;

import java.time.Instant;

/**
 * A namespace applying to a resource type ({@code OS::Nova::Flavor}, ...).
 *
 * @param prefix what to put before the namespace's property names on that resource, or null
 * @param propertiesTarget which part of the resource the properties go to, or null
 */
public record ResourceTypeAssociation(
    String name, String prefix, String propertiesTarget, Instant createdAt, Instant updatedAt) {}
