package dev.kiln.image.metadef;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A metadata definition namespace: a named, owned set of property, object and tag definitions.
 *
 * @param id internal; the API names a namespace by {@code namespace}, which may change
 * @param publicNamespace whether every project sees it (else only its owner and admins)
 * @param protectedNamespace whether it, and everything in it, is safe from deletion
 */
public record MetadefNamespace(
    String id,
    String namespace,
    String displayName,
    String description,
    String owner,
    boolean publicNamespace,
    boolean protectedNamespace,
    Instant createdAt,
    Instant updatedAt) {
  public MetadefNamespace {
    requireNonNull(id, "id is null");
    requireNonNull(namespace, "namespace is null");
  }

  public String visibility() {
    return publicNamespace ? "public" : "private";
  }
}
