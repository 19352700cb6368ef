package dev.kiln.image.metadef;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.MetadefStore;
import dev.kiln.store.StoreException;
import java.util.function.Supplier;

/**
 * Glance's default metadef policies: anyone reads public namespaces and the namespaces their
 * project owns (admins read all); only admins write. A namespace the caller may not read does not
 * exist for it (404), so names do not leak.
 */
final class MetadefAccess {
  private MetadefAccess() {}

  static boolean canRead(Actor actor, MetadefNamespace n) {
    return actor.admin() || n.publicNamespace() || (actor.projectId() != null && actor.projectId().equals(n.owner()));
  }

  /** The namespace the actor may read, locked for change when {@code lock}; 404 otherwise. */
  static MetadefNamespace readable(Actor actor, MetadefStore store, String namespace, boolean lock) {
    MetadefNamespace n =
        (lock ? store.lockNamespace(namespace) : store.findNamespace(namespace))
            .orElseThrow(() -> namespaceNotFound(namespace));
    if (!canRead(actor, n)) {
      throw namespaceNotFound(namespace);
    }
    return n;
  }

  /** A namespace the actor may change: readable, and the actor an admin (403 otherwise). */
  static MetadefNamespace writable(Actor actor, MetadefStore store, String namespace) {
    MetadefNamespace n = readable(actor, store, namespace, true);
    requireAdmin(actor);
    return n;
  }

  static void requireAdmin(Actor actor) {
    if (!actor.admin()) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Only administrators may change metadata definitions.");
    }
  }

  /** 403 for deleting something a protected namespace holds. */
  static void requireUnprotected(MetadefNamespace n, String what) {
    if (n.protectedNamespace()) {
      throw ServiceException.forbidden(
          "Forbidden", "Namespace " + n.namespace() + " is protected: " + what + " cannot be deleted.");
    }
  }

  static ServiceException namespaceNotFound(String namespace) {
    return ServiceException.notFound("NotFound", "Metadata definition namespace " + namespace + " not found.");
  }

  static ServiceException notFound(String kind, String name, String namespace) {
    return ServiceException.notFound(
        "NotFound", "Metadata definition " + kind + " " + name + " not found in namespace " + namespace + ".");
  }

  static ServiceException duplicate(String kind, String name, String namespace) {
    return ServiceException.conflict(
        "Duplicate", "Namespace " + namespace + " already has a " + kind + " named " + name + ".");
  }

  /** Runs an insert, turning a primary-key clash into the 409 {@code duplicate} gives. */
  static void insertOnce(Runnable insert, Supplier<ServiceException> duplicate) {
    try {
      insert.run();
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw duplicate.get();
      }
      throw e;
    }
  }
}
