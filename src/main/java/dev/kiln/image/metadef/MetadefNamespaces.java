package dev.kiln.image.metadef;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.MetadefStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metadata definition namespaces and the resource types they apply to: who sees which (see {@link
 * MetadefAccess}), create with contents in one transaction, full-replace update, and deletes that a
 * protected namespace refuses.
 */
public final class MetadefNamespaces {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;

  public MetadefNamespaces(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  /** A namespace with what it holds, as a show answers it. */
  public record Detail(
      MetadefNamespace namespace,
      List<ResourceTypeAssociation> associations,
      List<MetadefObject> objects,
      List<MetadefProperty> properties,
      List<MetadefTag> tags) {}

  /** A namespace in a list, with its resource type associations. */
  public record Listed(MetadefNamespace namespace, List<ResourceTypeAssociation> associations) {}

  /** What a namespace list asks for. */
  public record Query(
      Boolean publicOnly, Set<String> resourceTypes, String sortKey, boolean ascending, String marker, int limit) {}

  /** One page of namespaces and, when the page is full, the namespace to continue after. */
  public record Page(List<Listed> namespaces, String next) {}

  /** Creates a namespace and everything the request puts in it, all or nothing. Admins only. */
  public Detail create(Actor actor, NamespaceInput input) {
    MetadefAccess.requireAdmin(actor);
    Instant now = now();
    MetadefNamespace n =
        new MetadefNamespace(
            ids.uuid(), input.namespace(), input.displayName(), input.description(),
            input.owner() == null ? actor.projectId() : input.owner(), input.publicNamespace(),
            input.protectedNamespace(), now, now);
    return db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          if (store.findNamespace(n.namespace()).isPresent()) {
            throw duplicateNamespace(n.namespace());
          }
          MetadefAccess.insertOnce(() -> store.insertNamespace(n), () -> duplicateNamespace(n.namespace()));
          List<ResourceTypeAssociation> associations = new ArrayList<>();
          for (ResourceTypeAssociation a : input.associations()) {
            associations.add(associate(store, n, a.name(), a.prefix(), a.propertiesTarget(), now));
          }
          List<MetadefObject> objects = new ArrayList<>();
          for (MetadefObject o : input.objects()) {
            MetadefObject stamped = new MetadefObject(o.name(), o.description(), o.required(), o.properties(), now, now);
            MetadefAccess.insertOnce(
                () -> store.insertObject(n.id(), stamped), () -> MetadefAccess.duplicate("object", o.name(), n.namespace()));
            objects.add(stamped);
          }
          for (MetadefProperty p : input.properties()) {
            MetadefAccess.insertOnce(
                () -> store.insertProperty(n.id(), p, now),
                () -> MetadefAccess.duplicate("property", p.name(), n.namespace()));
          }
          List<MetadefTag> tags = new ArrayList<>();
          for (String name : input.tags()) {
            MetadefTag t = new MetadefTag(name, now, now);
            MetadefAccess.insertOnce(
                () -> store.insertTag(n.id(), t), () -> MetadefAccess.duplicate("tag", name, n.namespace()));
            tags.add(t);
          }
          return new Detail(n, associations, objects, input.properties(), tags);
        });
  }

  /** The namespaces the actor may read, filtered, ordered and paged. */
  public Page list(Actor actor, Query query) {
    MetadefStore store = new MetadefStore(db.sql());
    Map<String, List<ResourceTypeAssociation>> associations = store.allAssociations();
    Comparator<MetadefNamespace> order =
        switch (query.sortKey()) {
          case "namespace" -> Comparator.comparing(MetadefNamespace::namespace);
          case "updated_at" -> Comparator.comparing(MetadefNamespace::updatedAt);
          default -> Comparator.comparing(MetadefNamespace::createdAt);
        };
    order = order.thenComparing(MetadefNamespace::namespace);
    if (!query.ascending()) {
      order = order.reversed();
    }
    List<MetadefNamespace> selected =
        store.listNamespaces().stream()
            .filter(n -> MetadefAccess.canRead(actor, n))
            .filter(n -> query.publicOnly() == null || n.publicNamespace() == query.publicOnly())
            .filter(n -> query.resourceTypes().isEmpty()
                || associations.getOrDefault(n.id(), List.of()).stream()
                    .anyMatch(a -> query.resourceTypes().contains(a.name())))
            .sorted(order)
            .toList();
    int start = 0;
    if (query.marker() != null) {
      MetadefNamespace marker =
          selected.stream().filter(n -> n.namespace().equals(query.marker())).findFirst()
              .orElseThrow(() -> MetadefAccess.namespaceNotFound(query.marker()));
      start = selected.indexOf(marker) + 1;
    }
    List<MetadefNamespace> page = selected.subList(start, Math.min(selected.size(), start + query.limit()));
    String next = !page.isEmpty() && page.size() == query.limit() ? page.getLast().namespace() : null;
    return new Page(page.stream().map(n -> new Listed(n, associations.getOrDefault(n.id(), List.of()))).toList(), next);
  }

  public Detail show(Actor actor, String namespace) {
    return show(actor, namespace, null);
  }

  /**
   * The namespace as it applies to {@code resourceType}: when the namespace's association with that
   * type has a prefix, its property names (in objects and their required lists too) carry it, as
   * they would on such a resource. Null, or a type without a prefix, shows the names as defined.
   */
  public Detail show(Actor actor, String namespace, String resourceType) {
    MetadefStore store = new MetadefStore(db.sql());
    MetadefNamespace n = MetadefAccess.readable(actor, store, namespace, false);
    List<ResourceTypeAssociation> associations = store.listAssociations(n.id());
    List<MetadefObject> objects = store.listObjects(n.id());
    List<MetadefProperty> properties = store.listProperties(n.id());
    String prefix =
        associations.stream().filter(a -> a.name().equals(resourceType)).map(ResourceTypeAssociation::prefix)
            .filter(p -> p != null && !p.isEmpty()).findFirst().orElse(null);
    if (prefix != null) {
      properties = properties.stream().map(p -> new MetadefProperty(prefix + p.name(), p.definition())).toList();
      objects = objects.stream().map(o -> prefixed(o, prefix)).toList();
    }
    return new Detail(n, associations, objects, properties, store.listTags(n.id()));
  }

  private static MetadefObject prefixed(MetadefObject o, String prefix) {
    Map<String, Object> properties = new java.util.LinkedHashMap<>();
    o.properties().forEach((name, definition) -> properties.put(prefix + name, definition));
    return new MetadefObject(
        o.name(), o.description(), o.required().stream().map(r -> prefix + r).toList(), properties, o.createdAt(),
        o.updatedAt());
  }

  /**
   * Replaces the namespace's attributes (its name too); what a request leaves out goes back to the
   * create defaults (private, unprotected, the caller's project), as in Glance. Admins only.
   */
  public MetadefNamespace update(Actor actor, String namespace, NamespaceInput input) {
    return db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          MetadefNamespace old = MetadefAccess.writable(actor, store, namespace);
          if (!input.namespace().equals(old.namespace()) && store.findNamespace(input.namespace()).isPresent()) {
            throw duplicateNamespace(input.namespace());
          }
          MetadefNamespace updated =
              new MetadefNamespace(
                  old.id(), input.namespace(), input.displayName(), input.description(),
                  input.owner() == null ? actor.projectId() : input.owner(), input.publicNamespace(),
                  input.protectedNamespace(), old.createdAt(), now());
          MetadefAccess.insertOnce(() -> store.updateNamespace(updated), () -> duplicateNamespace(input.namespace()));
          return updated;
        });
  }

  /** Deletes a namespace and everything in it; 403 while it is protected. Admins only. */
  public void delete(Actor actor, String namespace) {
    db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          MetadefNamespace n = MetadefAccess.writable(actor, store, namespace);
          if (n.protectedNamespace()) {
            throw ServiceException.forbidden(
                "Forbidden", "Namespace " + namespace + " is protected and cannot be deleted.");
          }
          store.deleteNamespace(n.id());
          return null;
        });
  }

  // Resource types

  public List<ResourceType> resourceTypes() {
    return new MetadefStore(db.sql()).listResourceTypes();
  }

  public List<ResourceTypeAssociation> associations(Actor actor, String namespace) {
    MetadefStore store = new MetadefStore(db.sql());
    return store.listAssociations(MetadefAccess.readable(actor, store, namespace, false).id());
  }

  /** Applies the namespace to a resource type, creating the type when it is new. Admins only. */
  public ResourceTypeAssociation associate(
      Actor actor, String namespace, String resourceType, String prefix, String propertiesTarget) {
    return db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          MetadefNamespace n = MetadefAccess.writable(actor, store, namespace);
          return associate(store, n, resourceType, prefix, propertiesTarget, now());
        });
  }

  private static ResourceTypeAssociation associate(
      MetadefStore store, MetadefNamespace n, String resourceType, String prefix, String target, Instant now) {
    if (store.listAssociations(n.id()).stream().anyMatch(a -> a.name().equals(resourceType))) {
      throw ServiceException.conflict(
          "Duplicate", "Namespace " + n.namespace() + " is already associated with resource type " + resourceType + ".");
    }
    MetadefAccess.insertOnce(
        () -> store.ensureResourceType(resourceType, now),
        () -> ServiceException.conflict(
            "Conflict", "Resource type " + resourceType + " was created at the same time; retry."));
    ResourceTypeAssociation a = new ResourceTypeAssociation(resourceType, prefix, target, now, now);
    store.insertAssociation(n.id(), a);
    return a;
  }

  /** Stops applying the namespace to a resource type; 403 while the namespace is protected. Admins only. */
  public void dissociate(Actor actor, String namespace, String resourceType) {
    db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          MetadefNamespace n = MetadefAccess.writable(actor, store, namespace);
          if (store.listAssociations(n.id()).stream().noneMatch(a -> a.name().equals(resourceType))) {
            throw MetadefAccess.notFound("resource type association", resourceType, namespace);
          }
          MetadefAccess.requireUnprotected(n, "its resource type associations");
          store.deleteAssociation(n.id(), resourceType);
          return null;
        });
  }

  private static ServiceException duplicateNamespace(String namespace) {
    return ServiceException.conflict("Duplicate", "A metadata definition namespace named " + namespace + " already exists.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
