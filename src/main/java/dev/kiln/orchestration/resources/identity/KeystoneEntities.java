package dev.kiln.orchestration.resources.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What OS::Keystone::Project and OS::Keystone::User do alike when they update, check and delete:
 * the name Heat gives when none is set, which properties an update changed, Keystone's refusal to
 * move an entity to another domain, Heat's EntityNotFound, and a delete that finds the entity gone.
 */
final class KeystoneEntities {
  private KeystoneEntities() {}

  /** A delete of a Keystone entity by id. */
  interface Deletion {
    void delete(String id);
  }

  /** The {@code name} property, or Heat's physical name when it is not given (or empty). */
  static String name(ResourceContext context, JsonNode props) {
    return props.hasNonNull("name") && !props.get("name").asText().isEmpty()
        ? props.get("name").asText()
        : context.physicalName();
  }

  /** Whether an update changes property {@code name} (a create has no previous properties). */
  static boolean changed(JsonNode previous, JsonNode next, String name) {
    return !Objects.equals(previous == null ? null : previous.get(name), next.get(name));
  }

  /** Keystone refuses to move a project or a user to another domain (400, its words). */
  static void requireSameDomain(String asked, String current) {
    if (!asked.equals(current)) {
      throw ServiceException.invalid("ValidationError", "Update of `domain_id` is not allowed.");
    }
  }

  /** Heat's error for an entity the resource made that Keystone no longer has. */
  static ResourceError notFound(String kind, String id) {
    return new ResourceError("EntityNotFound", "The " + kind + " (" + id + ") could not be found.");
  }

  /** The id a delete acts on: the physical id, or the one an unfinished create would have given. */
  static String idToDelete(ResourceContext context) {
    return context.physicalId() != null ? context.physicalId() : KeystoneAccess.stableId(context);
  }

  /** Deletes the entity; one already gone (a repeated or a racing delete) counts as deleted. */
  static void deleteIgnoringGone(String id, Deletion deletion) {
    try {
      deletion.delete(id);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** A stack check: the entity the resource made must still be there. */
  static void requireExists(ResourceContext context, String kind, Function<String, Optional<?>> lookup)
      throws ResourceError {
    if (lookup.apply(context.physicalId()).isEmpty()) {
      throw notFound(kind, context.physicalId());
    }
  }

  /** The entity behind a resource's attributes; empty before it is made or once it is gone. */
  static <T> Optional<T> of(ResourceState resource, Function<String, Optional<T>> lookup) {
    return resource.physicalId() == null ? Optional.empty() : lookup.apply(resource.physicalId());
  }
}
