package dev.kiln.image.metadef;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.image.store.MetadefStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What a namespace holds: object, property and tag definitions. Reads need a namespace the caller
 * may read; changes are for admins and run under the namespace's row lock; deletes are refused
 * while the namespace is protected. Renames (an update with a new name) refuse a name in use.
 */
public final class MetadefContents {
  private final Database db;
  private final Clock clock;

  public MetadefContents(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  // Objects

  public List<MetadefObject> objects(Actor actor, String namespace) {
    MetadefStore store = new MetadefStore(db.sql());
    return store.listObjects(MetadefAccess.readable(actor, store, namespace, false).id());
  }

  public MetadefObject object(Actor actor, String namespace, String name) {
    MetadefStore store = new MetadefStore(db.sql());
    MetadefNamespace n = MetadefAccess.readable(actor, store, namespace, false);
    return store.findObject(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("object", name, namespace));
  }

  public MetadefObject createObject(Actor actor, String namespace, MetadefObject input) {
    return change(actor, namespace, (store, n) -> {
      if (store.findObject(n.id(), input.name()).isPresent()) {
        throw MetadefAccess.duplicate("object", input.name(), namespace);
      }
      Instant now = now();
      MetadefObject o = new MetadefObject(input.name(), input.description(), input.required(), input.properties(), now, now);
      MetadefAccess.insertOnce(
          () -> store.insertObject(n.id(), o), () -> MetadefAccess.duplicate("object", o.name(), namespace));
      return o;
    });
  }

  /** Replaces an object's definition, its name too. */
  public MetadefObject updateObject(Actor actor, String namespace, String name, MetadefObject input) {
    return change(actor, namespace, (store, n) -> {
      MetadefObject old =
          store.findObject(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("object", name, namespace));
      if (!input.name().equals(name) && store.findObject(n.id(), input.name()).isPresent()) {
        throw MetadefAccess.duplicate("object", input.name(), namespace);
      }
      MetadefObject o =
          new MetadefObject(input.name(), input.description(), input.required(), input.properties(), old.createdAt(), now());
      store.updateObject(n.id(), name, o);
      return o;
    });
  }

  public void deleteObject(Actor actor, String namespace, String name) {
    change(actor, namespace, (store, n) -> {
      store.findObject(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("object", name, namespace));
      MetadefAccess.requireUnprotected(n, "its objects");
      return store.deleteObject(n.id(), name);
    });
  }

  public void deleteObjects(Actor actor, String namespace) {
    change(actor, namespace, (store, n) -> {
      MetadefAccess.requireUnprotected(n, "its objects");
      store.deleteObjects(n.id());
      return null;
    });
  }

  // Properties

  public List<MetadefProperty> properties(Actor actor, String namespace) {
    MetadefStore store = new MetadefStore(db.sql());
    return store.listProperties(MetadefAccess.readable(actor, store, namespace, false).id());
  }

  public MetadefProperty property(Actor actor, String namespace, String name) {
    MetadefStore store = new MetadefStore(db.sql());
    MetadefNamespace n = MetadefAccess.readable(actor, store, namespace, false);
    return store.findProperty(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("property", name, namespace));
  }

  public MetadefProperty createProperty(Actor actor, String namespace, MetadefProperty input) {
    return change(actor, namespace, (store, n) -> {
      if (store.findProperty(n.id(), input.name()).isPresent()) {
        throw MetadefAccess.duplicate("property", input.name(), namespace);
      }
      MetadefAccess.insertOnce(
          () -> store.insertProperty(n.id(), input, now()),
          () -> MetadefAccess.duplicate("property", input.name(), namespace));
      return input;
    });
  }

  /** Replaces a property's definition, its name too. */
  public MetadefProperty updateProperty(Actor actor, String namespace, String name, MetadefProperty input) {
    return change(actor, namespace, (store, n) -> {
      store.findProperty(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("property", name, namespace));
      if (!input.name().equals(name) && store.findProperty(n.id(), input.name()).isPresent()) {
        throw MetadefAccess.duplicate("property", input.name(), namespace);
      }
      store.updateProperty(n.id(), name, input, now());
      return input;
    });
  }

  public void deleteProperty(Actor actor, String namespace, String name) {
    change(actor, namespace, (store, n) -> {
      store.findProperty(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("property", name, namespace));
      MetadefAccess.requireUnprotected(n, "its properties");
      return store.deleteProperty(n.id(), name);
    });
  }

  public void deleteProperties(Actor actor, String namespace) {
    change(actor, namespace, (store, n) -> {
      MetadefAccess.requireUnprotected(n, "its properties");
      store.deleteProperties(n.id());
      return null;
    });
  }

  // Tags

  public List<MetadefTag> tags(Actor actor, String namespace) {
    MetadefStore store = new MetadefStore(db.sql());
    return store.listTags(MetadefAccess.readable(actor, store, namespace, false).id());
  }

  public MetadefTag tag(Actor actor, String namespace, String name) {
    MetadefStore store = new MetadefStore(db.sql());
    MetadefNamespace n = MetadefAccess.readable(actor, store, namespace, false);
    return store.findTag(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("tag", name, namespace));
  }

  public MetadefTag createTag(Actor actor, String namespace, String name) {
    return change(actor, namespace, (store, n) -> {
      if (store.findTag(n.id(), name).isPresent()) {
        throw MetadefAccess.duplicate("tag", name, namespace);
      }
      Instant now = now();
      MetadefTag t = new MetadefTag(name, now, now);
      MetadefAccess.insertOnce(() -> store.insertTag(n.id(), t), () -> MetadefAccess.duplicate("tag", name, namespace));
      return t;
    });
  }

  /**
   * Creates several tags at once: they replace the namespace's tags, or join them when {@code
   * append}. A name given twice, or (appending) one the namespace has, is a 409 and nothing changes.
   */
  public List<MetadefTag> createTags(Actor actor, String namespace, List<String> names, boolean append) {
    return change(actor, namespace, (store, n) -> {
      LinkedHashSet<String> unique = new LinkedHashSet<>();
      for (String name : names) {
        if (!unique.add(name)) {
          throw MetadefAccess.duplicate("tag", name, namespace);
        }
      }
      if (!append) {
        store.deleteTags(n.id());
      }
      Instant now = now();
      List<MetadefTag> made = unique.stream().map(name -> new MetadefTag(name, now, now)).toList();
      for (MetadefTag t : made) {
        if (append && store.findTag(n.id(), t.name()).isPresent()) {
          throw MetadefAccess.duplicate("tag", t.name(), namespace);
        }
        MetadefAccess.insertOnce(
            () -> store.insertTag(n.id(), t), () -> MetadefAccess.duplicate("tag", t.name(), namespace));
      }
      return made;
    });
  }

  public MetadefTag renameTag(Actor actor, String namespace, String name, String newName) {
    return change(actor, namespace, (store, n) -> {
      MetadefTag old = store.findTag(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("tag", name, namespace));
      if (!newName.equals(name) && store.findTag(n.id(), newName).isPresent()) {
        throw MetadefAccess.duplicate("tag", newName, namespace);
      }
      Instant now = now();
      store.renameTag(n.id(), name, newName, now);
      return new MetadefTag(newName, old.createdAt(), now);
    });
  }

  public void deleteTag(Actor actor, String namespace, String name) {
    change(actor, namespace, (store, n) -> {
      store.findTag(n.id(), name).orElseThrow(() -> MetadefAccess.notFound("tag", name, namespace));
      MetadefAccess.requireUnprotected(n, "its tags");
      return store.deleteTag(n.id(), name);
    });
  }

  public void deleteTags(Actor actor, String namespace) {
    change(actor, namespace, (store, n) -> {
      MetadefAccess.requireUnprotected(n, "its tags");
      store.deleteTags(n.id());
      return null;
    });
  }

  /** Runs a change in a transaction, under the lock of a namespace the actor may change. */
  private <T> T change(Actor actor, String namespace, BiFunction<MetadefStore, MetadefNamespace, T> work) {
    return db.inTransaction(
        sql -> {
          MetadefStore store = new MetadefStore(sql);
          return work.apply(store, MetadefAccess.writable(actor, store, namespace));
        });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
