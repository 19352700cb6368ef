package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.CommittedCache;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.volume.store.VolumeQuotaStore;
import dev.kiln.volume.store.VolumeTypeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Cinder volume types and their extra specs: everyone lists and shows public types, only admins
 * see private ones, see every extra spec, and change anything. The default type ({@value
 * VolumeType#DEFAULT_NAME}) always exists and cannot be deleted, and no type can be deleted, or
 * have its extra specs changed, while a volume uses it.
 */
public final class VolumeTypes {
  /** The default type's id, fixed by the migration that creates it. */
  public static final String DEFAULT_TYPE_ID = "4fe60bf1-31d7-4ef7-9cbf-45c7bc657976";

  /** The per-type quota resources Cinder keeps for each type, as {@code <part>_<type name>}. */
  static final List<String> PER_TYPE_QUOTAS = List.of("volumes", "gigabytes", "snapshots");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Predicate<String> typeInUse;
  /** Types by id, kept while their tables are unchanged: a volume create reads its type each time. */
  private final CommittedCache<String, VolumeType> byId;

  /** How many types are kept at most (a deployment has a handful). */
  private static final int CACHED_TYPES = 256;

  /**
   * @param typeInUse whether any volume has the type with this id; the volume service answers it
   *     from its own tables
   */
  public VolumeTypes(Database db, Clock clock, IdGenerator ids, Predicate<String> typeInUse) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.typeInUse = requireNonNull(typeInUse, "typeInUse is null");
    this.byId = db.cacheOf(Set.of("volume_type", "volume_type_extra_spec"), CACHED_TYPES);
  }

  /** Volume types for a deployment where no volume uses any type (tests of types alone). */
  public VolumeTypes(Database db, Clock clock, IdGenerator ids) {
    this(db, clock, ids, typeId -> false);
  }

  /** The types' encryption (Cinder's {@code /types/{id}/encryption}), under the same in-use rule. */
  public VolumeTypeEncryptions encryption() {
    return new VolumeTypeEncryptions(db, clock, ids, this, typeInUse);
  }

  /** What a create request asks for; null description means none. */
  public record Spec(String name, String description, boolean isPublic, Map<String, String> extraSpecs) {
    public Spec {
      requireNonNull(name, "name is null");
      extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }
  }

  /** What an update request changes; null leaves an attribute as it is. */
  public record Changes(String name, String description, Boolean isPublic) {}

  // For the volume service

  /** The type volumes get when they name none: Cinder's {@value VolumeType#DEFAULT_NAME}. */
  public VolumeType defaultType() {
    return find(DEFAULT_TYPE_ID)
        .orElseThrow(
            () ->
                new ServiceException(
                    ServiceException.Kind.NOT_FOUND,
                    "VolumeTypeNotFound",
                    "Default volume type can not be found."));
  }

  /** The type with this id, if there is one. */
  public Optional<VolumeType> find(String id) {
    requireNonNull(id, "id is null");
    return byId.get(id, key -> store().find(key));
  }

  /** The type with this id, or else with this name; 404 when neither exists. */
  public VolumeType resolve(String nameOrId) {
    requireNonNull(nameOrId, "nameOrId is null");
    return find(nameOrId).or(() -> store().findByName(nameOrId)).orElseThrow(() -> notFoundByNameOrId(nameOrId));
  }

  /** Like {@link #resolve(String)}, but a private type exists only for admins. */
  public VolumeType resolve(Actor actor, String nameOrId) {
    VolumeType type = resolve(nameOrId);
    if (!canSee(actor, type)) {
      throw notFoundByNameOrId(nameOrId);
    }
    return type;
  }

  // For the API

  /**
   * The types the actor may see, with the extra specs it may see. Admins choose public ({@code
   * true}), private ({@code false}) or all ({@code null}); everyone else gets the public ones.
   */
  public List<VolumeType> list(Actor actor, Boolean isPublic, List<VolumeTypeSort> sorts) {
    if (actor.admin()) {
      return store().list(isPublic, sorts);
    }
    // Members see the public types and the private ones their project was given access to.
    VolumeTypeStore store = store();
    java.util.Set<String> granted = new java.util.HashSet<>(store.typesOfProject(actor.projectId()));
    return store.list(null, sorts).stream()
        .filter(t -> t.isPublic() || granted.contains(t.id()))
        .map(t -> asSeenBy(actor, t))
        .toList();
  }

  /** One type as the actor may see it; a private type is not found for non-admins. */
  public VolumeType show(Actor actor, String id) {
    VolumeType type = find(id).orElseThrow(() -> notFound(id));
    if (!canSee(actor, type)) {
      throw notFound(id);
    }
    return asSeenBy(actor, type);
  }

  /** The default type as the actor may see it. */
  public VolumeType showDefault(Actor actor) {
    return asSeenBy(actor, defaultType());
  }

  public VolumeType create(Actor actor, Spec spec) {
    return create(actor, spec, ids.uuid());
  }

  /**
   * Like {@link #create(Actor, Spec)}, with the id chosen by the in-process caller (Orchestration
   * derives it from the resource, so a retried create finds the type the first attempt made).
   */
  public VolumeType create(Actor actor, Spec spec, String id) {
    requireNonNull(id, "id is null");
    authorize(actor, "volume_extension:type_create");
    String name = checkName(spec.name());
    checkDescription(spec.description());
    checkCacheable(spec.extraSpecs(), Map.of());
    VolumeType type =
        new VolumeType(id, name, spec.description(), spec.isPublic(), new TreeMap<>(spec.extraSpecs()));
    try {
      db.inTransaction(
          sql -> {
            new VolumeTypeStore(sql).insert(type, now());
            return null;
          });
    } catch (StoreException e) {
      throw e.kind() == StoreException.Kind.DUPLICATE ? exists(name) : e;
    }
    return type;
  }

  public VolumeType update(Actor actor, String id, Changes changes) {
    authorize(actor, "volume_extension:type_update");
    if (changes.name() == null && changes.description() == null && changes.isPublic() == null) {
      throw ServiceException.invalid(
          "HTTPBadRequest", "Specify volume type name, description, is_public or a combination thereof.");
    }
    if (changes.name() != null && changes.name().isBlank()) {
      throw ServiceException.invalid("HTTPBadRequest", "Volume type name can not be empty.");
    }
    if (changes.name() != null) {
      checkName(changes.name());
    }
    checkDescription(changes.description());
    try {
      return db.inTransaction(
          sql -> {
            VolumeTypeStore store = new VolumeTypeStore(sql);
            if (!store.lock(id)) {
              throw notFound(id);
            }
            VolumeType old = store.find(id).orElseThrow(() -> notFound(id));
            String name = changes.name() == null ? old.name() : changes.name();
            String description = changes.description() == null ? old.description() : changes.description();
            boolean isPublic = changes.isPublic() == null ? old.isPublic() : changes.isPublic();
            store.update(id, name, description, isPublic, now());
            if (!name.equals(old.name())) {
              // Cinder renames the type's per-type quotas with it.
              VolumeQuotaStore quotas = new VolumeQuotaStore(sql);
              for (String part : PER_TYPE_QUOTAS) {
                quotas.renameResource(part + "_" + old.name(), part + "_" + name);
              }
            }
            return new VolumeType(id, name, description, isPublic, old.extraSpecs(), old.qosSpecsId());
          });
    } catch (StoreException e) {
      throw e.kind() == StoreException.Kind.DUPLICATE ? exists(changes.name()) : e;
    }
  }

  public void delete(Actor actor, String id) {
    authorize(actor, "volume_extension:type_delete");
    VolumeType type = find(id).orElseThrow(() -> notFound(id));
    if (type.id().equals(DEFAULT_TYPE_ID)) {
      throw ServiceException.invalid(
          "VolumeTypeDefaultDeletionError",
          "The volume type " + id + " is a default volume type and cannot be deleted.");
    }
    if (typeInUse.test(id)) {
      throw inUse();
    }
    try {
      db.inTransaction(
          sql -> {
            VolumeTypeStore store = new VolumeTypeStore(sql);
            // Locked, the type keeps the name its per-type quotas are filed under until it goes.
            if (!store.lock(id)) {
              throw notFound(id);
            }
            String name = store.find(id).orElseThrow(() -> notFound(id)).name();
            store.delete(id);
            VolumeQuotaStore quotas = new VolumeQuotaStore(sql);
            for (String part : PER_TYPE_QUOTAS) {
              quotas.deleteResource(part + "_" + name);
            }
            return null;
          });
    } catch (StoreException e) {
      // A volume created with the type since the check above holds it by its foreign key.
      throw e.kind() == StoreException.Kind.REFERENCED ? inUse() : e;
    }
  }

  // Extra specs

  /** The type's extra specs the actor may see. */
  public Map<String, String> extraSpecs(Actor actor, String typeId) {
    return show(actor, typeId).extraSpecs();
  }

  /** One extra spec the actor may see; 404 when the type has no such key. */
  public String extraSpec(Actor actor, String typeId, String key) {
    String value = extraSpecs(actor, typeId).get(key);
    if (value == null) {
      throw extraSpecNotFound(typeId, key);
    }
    return value;
  }

  /** Adds or replaces extra specs; refused while a volume uses the type. */
  public Map<String, String> setExtraSpecs(Actor actor, String typeId, Map<String, String> specs) {
    authorize(actor, "volume_extension:types_extra_specs:create");
    checkChangeable(typeId);
    db.inTransaction(
        sql -> {
          VolumeTypeStore store = new VolumeTypeStore(sql);
          if (!store.lock(typeId)) {
            throw notFound(typeId);
          }
          checkCacheable(specs, store.extraSpecs(typeId));
          new TreeMap<>(specs).forEach((key, value) -> store.putExtraSpec(typeId, key, value));
          store.touch(typeId, now());
          return null;
        });
    return new LinkedHashMap<>(specs);
  }

  /** Removes one extra spec; refused while a volume uses the type. */
  public void deleteExtraSpec(Actor actor, String typeId, String key) {
    authorize(actor, "volume_extension:types_extra_specs:delete");
    checkChangeable(typeId);
    db.inTransaction(
        sql -> {
          VolumeTypeStore store = new VolumeTypeStore(sql);
          if (!store.lock(typeId)) {
            throw notFound(typeId);
          }
          if (store.deleteExtraSpec(typeId, key) == 0) {
            throw extraSpecNotFound(typeId, key);
          }
          store.touch(typeId, now());
          return null;
        });
  }

  // Rules

  /** Public types are for everyone; a private one for admins and the projects given access. */
  boolean canSee(Actor actor, VolumeType type) {
    return type.isPublic() || actor.admin()
        || (actor.projectId() != null && store().typesOfProject(actor.projectId()).contains(type.id()));
  }

  private static VolumeType asSeenBy(Actor actor, VolumeType type) {
    return actor.admin() ? type : type.userVisible();
  }

  /** Cinder checks that the type exists, then that no volume uses it (400, not 409). */
  private void checkChangeable(String typeId) {
    find(typeId).orElseThrow(() -> notFound(typeId));
    if (typeInUse.test(typeId)) {
      throw ServiceException.invalid("VolumeTypeInUse", "Volume Type is currently in use.");
    }
  }

  /** Cinder refuses a type that would be both multiattach and cacheable. */
  private static void checkCacheable(Map<String, String> changes, Map<String, String> existing) {
    Map<String, String> after = new LinkedHashMap<>(existing);
    after.putAll(changes);
    boolean changed = changes.containsKey(VolumeType.MULTIATTACH) || changes.containsKey("cacheable");
    if (changed && VolumeType.isTrue(after.get(VolumeType.MULTIATTACH)) && VolumeType.isTrue(after.get("cacheable"))) {
      throw ServiceException.invalid("HTTPBadRequest", "cacheable cannot be set with multiattach.");
    }
  }

  private static String checkName(String name) {
    if (name.isBlank()) {
      throw ServiceException.invalid("HTTPBadRequest", "Volume type name can not be empty.");
    }
    if (name.length() > 255) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input received: name has more than 255 characters.");
    }
    return name;
  }

  private static void checkDescription(String description) {
    if (description != null && description.length() > 255) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input received: description has more than 255 characters.");
    }
  }

  private static void authorize(Actor actor, String rule) {
    if (!actor.admin()) {
      throw policy(rule);
    }
  }

  static ServiceException policy(String rule) {
    return ServiceException.forbidden(
        "PolicyNotAuthorized", "Policy doesn't allow " + rule + " to be performed.");
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("VolumeTypeNotFound", "Volume type " + id + " could not be found.");
  }

  private static ServiceException notFoundByNameOrId(String nameOrId) {
    return ServiceException.notFound(
        "VolumeTypeNotFound", "Volume type with name or id " + nameOrId + " could not be found.");
  }

  private static ServiceException extraSpecNotFound(String typeId, String key) {
    return ServiceException.notFound(
        "VolumeTypeExtraSpecsNotFound", "Volume Type " + typeId + " has no extra specs with key " + key + ".");
  }

  private static ServiceException exists(String name) {
    return ServiceException.conflict("VolumeTypeExists", "Volume Type " + name + " already exists.");
  }

  private static ServiceException inUse() {
    return ServiceException.invalid("VolumeTypeInUse", "Target volume type is still in use.");
  }

  private VolumeTypeStore store() {
    return new VolumeTypeStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
