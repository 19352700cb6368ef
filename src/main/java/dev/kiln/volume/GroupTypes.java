package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.volume.store.GroupStore;
import dev.kiln.volume.store.GroupTypeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cinder's group types and group specs (3.11): admins create, change and delete them and see
 * their specs; everyone lists and shows the public ones. A type groups use is not deleted. Spec changes run under the type's row lock.
 */
public final class GroupTypes {
  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;

  public GroupTypes(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  public GroupType create(Actor actor, String name, String description, boolean isPublic, Map<String, String> specs) {
    authorize(actor, "group:group_types:create");
    GroupType made = new GroupType(ids.uuid(), name, description, isPublic, new TreeMap<>(specs));
    try {
      Instant now = now();
      db.inTransaction(
          sql -> {
            new GroupTypeStore(sql).insert(made, now);
            return null;
          });
    } catch (StoreException e) {
      throw e.kind() == StoreException.Kind.DUPLICATE ? exists(name) : e;
    }
    return made;
  }

  /** Admins choose public ({@code true}), private ({@code false}) or all ({@code null}); others get public ones. */
  public List<GroupType> list(Actor actor, Boolean isPublic, List<VolumeTypeSort> sorts) {
    return new GroupTypeStore(db.sql()).list(actor.admin() ? isPublic : Boolean.TRUE, sorts);
  }

  /** A group type; a private one only to admins. */
  public GroupType show(Actor actor, String id) {
    return new GroupTypeStore(db.sql()).find(id).filter(t -> t.isPublic() || actor.admin()).orElseThrow(() -> notFound(id));
  }

  /** Changes name, description or visibility (null leaves one as it is). */
  public GroupType update(Actor actor, String id, String name, String description, Boolean isPublic) {
    authorize(actor, "group:group_types:update");
    try {
      return db.inTransaction(
          sql -> {
            GroupTypeStore store = new GroupTypeStore(sql);
            if (!store.lock(id)) {
              throw notFound(id);
            }
            GroupType old = store.find(id).orElseThrow(() -> notFound(id));
            String newName = name != null ? name : old.name();
            String newDescription = description != null ? description : old.description();
            boolean newPublic = isPublic != null ? isPublic : old.isPublic();
            store.update(id, newName, newDescription, newPublic, now());
            return new GroupType(id, newName, newDescription, newPublic, old.groupSpecs());
          });
    } catch (StoreException e) {
      throw e.kind() == StoreException.Kind.DUPLICATE ? exists(name) : e;
    }
  }

  public void delete(Actor actor, String id) {
    authorize(actor, "group:group_types:delete");
    db.inTransaction(
        sql -> {
          GroupTypeStore store = new GroupTypeStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          if (new GroupStore(sql).groupTypeInUse(id)) {
            throw ServiceException.invalid("GroupTypeInUse", "Group type " + id + " is used by groups and cannot be deleted.");
          }
          store.delete(id);
          return null;
        });
  }

  // Group specs (admins)

  public Map<String, String> specs(Actor actor, String id) {
    authorize(actor, "group:group_types_specs:get_all");
    GroupTypeStore store = new GroupTypeStore(db.sql());
    store.find(id).orElseThrow(() -> notFound(id));
    return store.specs(id);
  }

  public String spec(Actor actor, String id, String key) {
    authorize(actor, "group:group_types_specs:get");
    String value = new GroupTypeStore(db.sql()).find(id).orElseThrow(() -> notFound(id)).groupSpecs().get(key);
    if (value == null) {
      throw ServiceException.notFound(
          "GroupTypeSpecsNotFound", "Group Type " + id + " has no extra spec with key " + key + ".");
    }
    return value;
  }

  /** Sets specs, keeping the others. */
  public void setSpecs(Actor actor, String id, Map<String, String> specs) {
    authorize(actor, "group:group_types_specs:update");
    db.inTransaction(
        sql -> {
          GroupTypeStore store = new GroupTypeStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          specs.forEach((key, value) -> store.putSpec(id, key, value));
          return null;
        });
  }

  public void deleteSpec(Actor actor, String id, String key) {
    authorize(actor, "group:group_types_specs:delete");
    db.inTransaction(
        sql -> {
          GroupTypeStore store = new GroupTypeStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          if (store.deleteSpec(id, key) == 0) {
            throw ServiceException.notFound(
                "GroupTypeSpecsNotFound", "Group Type " + id + " has no specs with key " + key + ".");
          }
          return null;
        });
  }

  private static void authorize(Actor actor, String rule) {
    if (!actor.admin()) {
      throw VolumeTypes.policy(rule);
    }
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("GroupTypeNotFound", "Group type " + id + " could not be found.");
  }

  private static ServiceException exists(String name) {
    return ServiceException.conflict("GroupTypeExists", "Group Type " + name + " already exists.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
