package dev.kiln.compute.catalog;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.store.FlavorStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Nova's flavors, with extra specs and access lists. Everyone sees public flavors and the private
 * ones their project was given access to; admins see and change everything. The defaults (m1.tiny,
 * m1.small, m1.medium, m1.large, ids 1 to 4) come with the database.
 *
 * <p>Why over 400 lines: flavors, their extra specs and their access lists are one Nova resource
 * under one set of policies; most of the class is the checks Nova makes on each field, with its
 * messages.
 */
public final class Flavors {
  /** Nova's limit for integer flavor attributes (its database's MAX_INT). */
  public static final int MAX_INT = Integer.MAX_VALUE;
  /** Nova's largest rxtx_factor (its database's SQL_SP_FLOAT_MAX). */
  public static final double MAX_RXTX = 3.40282e+38;

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;

  public Flavors(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  /**
   * What a create asks for.
   *
   * @param id the flavor id, or null (or {@code "auto"}) for a generated UUID
   * @param description null for none
   */
  public record Spec(
      String id,
      String name,
      int vcpus,
      int ramMb,
      int diskGb,
      int ephemeralGb,
      int swapMb,
      double rxtxFactor,
      boolean isPublic,
      String description) {
    public Spec {
      requireNonNull(name, "name is null");
    }
  }

  /** The attributes a list sorts by, named as Nova's {@code sort_key} names them. */
  public enum SortKey {
    CREATED_AT("created_at"),
    DESCRIPTION("description"),
    DISABLED("disabled"),
    EPHEMERAL_GB("ephemeral_gb"),
    FLAVORID("flavorid"),
    ID("id"),
    IS_PUBLIC("is_public"),
    MEMORY_MB("memory_mb"),
    NAME("name"),
    ROOT_GB("root_gb"),
    RXTX_FACTOR("rxtx_factor"),
    SWAP("swap"),
    UPDATED_AT("updated_at"),
    VCPU_WEIGHT("vcpu_weight"),
    VCPUS("vcpus");

    private final String apiName;

    SortKey(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }

    public static Optional<SortKey> fromApiName(String name) {
      for (SortKey k : values()) {
        if (k.apiName.equals(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * A list request.
   *
   * @param isPublic for admins: public flavors (and private ones shared with the admin's project)
   *     when TRUE, private ones when FALSE, all when null; ignored for everyone else, who get the
   *     public flavors and the private ones shared with their project
   * @param minRamMb only flavors with at least this much RAM, or null
   * @param minDiskGb only flavors with at least this much root disk, or null
   * @param limit at most this many, or null
   * @param marker start after the flavor with this id, or null
   */
  public record ListQuery(
      Boolean isPublic, Integer minRamMb, Integer minDiskGb, SortKey sortKey, boolean ascending, Integer limit,
      String marker) {
    public ListQuery {
      requireNonNull(sortKey, "sortKey is null");
    }

    public static ListQuery all() {
      return new ListQuery(null, null, null, SortKey.FLAVORID, true, null, null);
    }
  }

  /** One page of a list; {@code more} when flavors follow it. */
  public record Page(List<Flavor> flavors, boolean more) {}

  // For the servers service

  /** The flavor with this id if the actor may use it (public, shared with its project, or admin). */
  public Optional<Flavor> find(Actor actor, String id) {
    requireNonNull(actor, "actor is null");
    return id == null ? Optional.empty() : store().find(id).filter(f -> f.visibleTo(actor));
  }

  /** Like {@link #find}, but 404 {@code FlavorNotFound} when the actor has no such flavor. */
  public Flavor get(Actor actor, String id) {
    return find(actor, id).orElseThrow(() -> notFound(id));
  }

  // For the API

  public Page list(Actor actor, ListQuery query) {
    List<Flavor> all = store().list();
    Comparator<Flavor> order = comparator(query.sortKey(), query.ascending());
    List<Flavor> visible = new ArrayList<>();
    for (Flavor f : all) {
      if (matches(actor, query, f)) {
        visible.add(f);
      }
    }
    visible.sort(order);
    int start = 0;
    if (query.marker() != null) {
      Flavor marker =
          find(actor, query.marker())
              .orElseThrow(
                  () -> ServiceException.invalid("MarkerNotFound", "marker [" + query.marker() + "] not found"));
      while (start < visible.size() && order.compare(visible.get(start), marker) <= 0) {
        start++;
      }
    }
    int end = query.limit() == null ? visible.size() : (int) Math.min(visible.size(), (long) start + query.limit());
    return new Page(List.copyOf(visible.subList(start, end)), end < visible.size());
  }

  public Flavor create(Actor actor, Spec spec) {
    authorize(actor, "os_compute_api:os-flavor-manage:create");
    String name = spec.name().strip();
    if (name.isEmpty() || name.length() > 255) {
      throw ServiceException.invalid("InvalidInput", "Invalid input received: name must be 1 to 255 characters.");
    }
    check(spec.vcpus() >= 1, "vcpus must be a whole number from 1 to " + MAX_INT);
    check(spec.ramMb() >= 1, "ram must be a whole number from 1 to " + MAX_INT);
    check(spec.diskGb() >= 0, "disk must be a whole number from 0 to " + MAX_INT);
    check(spec.ephemeralGb() >= 0, "ephemeral must be a whole number from 0 to " + MAX_INT);
    check(spec.swapMb() >= 0, "swap must be a whole number from 0 to " + MAX_INT);
    check(
        spec.rxtxFactor() > 0 && spec.rxtxFactor() <= MAX_RXTX,
        "'rxtx_factor' argument must be a float between 0 and " + MAX_RXTX);
    String id = spec.id() == null || spec.id().isEmpty() || spec.id().equals("auto") ? ids.uuid() : spec.id();
    Flavor flavor =
        new Flavor(
            id, 0, name, spec.vcpus(), spec.ramMb(), spec.diskGb(), spec.ephemeralGb(), spec.swapMb(),
            spec.rxtxFactor(), spec.isPublic(), false, spec.description(), Map.of(), Set.of());
    try {
      db.inTransaction(
          sql -> {
            new FlavorStore(sql).insert(flavor, now());
            return null;
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw store().find(id).isPresent()
            ? ServiceException.conflict("FlavorIdExists", "Flavor with ID " + id + " already exists.")
            : ServiceException.conflict("FlavorExists", "Flavor with name " + name + " already exists.");
      }
      throw e;
    }
    return store().find(id).orElse(flavor);
  }

  /** Sets the description (microversion 2.55); null removes it. */
  public Flavor updateDescription(Actor actor, String id, String description) {
    authorize(actor, "os_compute_api:os-flavor-manage:update");
    if (store().updateDescription(id, description, now()) == 0) {
      throw notFound(id);
    }
    return store().find(id).orElseThrow(() -> notFound(id));
  }

  /** Deletes the flavor; servers that use it keep their copy of it. */
  public void delete(Actor actor, String id) {
    authorize(actor, "os_compute_api:os-flavor-manage:delete");
    if (store().delete(id) == 0) {
      throw notFound(id);
    }
  }

  // Extra specs

  public Map<String, String> extraSpecs(Actor actor, String id) {
    authorizeReader(actor, "os_compute_api:os-flavor-extra-specs:index");
    return visible(actor, id).extraSpecs();
  }

  public String extraSpec(Actor actor, String id, String key) {
    authorizeReader(actor, "os_compute_api:os-flavor-extra-specs:show");
    String value = visible(actor, id).extraSpecs().get(key);
    if (value == null) {
      throw extraSpecNotFound(id, key);
    }
    return value;
  }

  /** Whether the actor may see extra specs (in flavor bodies from microversion 2.61). */
  public static boolean canSeeExtraSpecs(Actor actor) {
    return actor.admin() || actor.projectId() != null;
  }

  /** Adds or replaces extra specs; answers them. */
  public Map<String, String> setExtraSpecs(Actor actor, String id, Map<String, String> specs) {
    authorize(actor, "os_compute_api:os-flavor-extra-specs:create");
    for (Map.Entry<String, String> e : specs.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > 255 || e.getValue().length() > 255) {
        throw ServiceException.invalid(
            "InvalidInput", "Invalid input received: extra spec keys and values must be at most 255 characters.");
      }
    }
    db.inTransaction(
        sql -> {
          FlavorStore store = new FlavorStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          new TreeMap<>(specs).forEach((key, value) -> store.putExtraSpec(id, key, value));
          store.touch(id, now());
          return null;
        });
    return new LinkedHashMap<>(specs);
  }

  public void deleteExtraSpec(Actor actor, String id, String key) {
    authorize(actor, "os_compute_api:os-flavor-extra-specs:delete");
    db.inTransaction(
        sql -> {
          FlavorStore store = new FlavorStore(sql);
          if (!store.lock(id)) {
            throw notFound(id);
          }
          if (store.deleteExtraSpec(id, key) == 0) {
            throw extraSpecNotFound(id, key);
          }
          store.touch(id, now());
          return null;
        });
  }

  // Access

  /** The projects given access to a private flavor; a public flavor has no such list (404). */
  public List<String> access(Actor actor, String id) {
    authorize(actor, "os_compute_api:os-flavor-access");
    Flavor flavor = store().find(id).orElseThrow(() -> notFound(id));
    if (flavor.isPublic()) {
      throw ServiceException.notFound("HTTPNotFound", "Access list not available for public flavors.");
    }
    return List.copyOf(flavor.projects());
  }

  /**
   * Gives a project access to a flavor; answers the access list.
   *
   * @param refusePublic refuse for a public flavor (409), as Nova does from microversion 2.7
   */
  public List<String> addAccess(Actor actor, String id, String projectId, boolean refusePublic) {
    authorize(actor, "os_compute_api:os-flavor-access:add_tenant_access");
    Flavor flavor = store().find(id).orElseThrow(() -> notFound(id));
    if (refusePublic && flavor.isPublic()) {
      throw ServiceException.conflict("HTTPConflict", "Can not add access to a public flavor.");
    }
    try {
      db.inTransaction(
          sql -> {
            FlavorStore store = new FlavorStore(sql);
            if (!store.lock(id)) {
              throw notFound(id);
            }
            store.insertAccess(id, projectId);
            return null;
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict(
            "FlavorAccessExists",
            "Flavor access already exists for flavor " + id + " and project " + projectId + " combination.");
      }
      throw e;
    }
    return List.copyOf(store().find(id).orElseThrow(() -> notFound(id)).projects());
  }

  public List<String> removeAccess(Actor actor, String id, String projectId) {
    authorize(actor, "os_compute_api:os-flavor-access:remove_tenant_access");
    store().find(id).orElseThrow(() -> notFound(id));
    if (store().deleteAccess(id, projectId) == 0) {
      throw ServiceException.notFound(
          "FlavorAccessNotFound", "Flavor access not found for " + id + " / " + projectId + " combination.");
    }
    return List.copyOf(store().find(id).orElseThrow(() -> notFound(id)).projects());
  }

  // Rules

  private static boolean matches(Actor actor, ListQuery query, Flavor f) {
    if (query.minRamMb() != null && f.ramMb() < query.minRamMb()) {
      return false;
    }
    if (query.minDiskGb() != null && f.diskGb() < query.minDiskGb()) {
      return false;
    }
    String project = actor.projectId();
    boolean shared = project != null && f.projects().contains(project);
    if (!actor.admin()) {
      return !f.disabled() && (f.isPublic() || shared);
    }
    if (query.isPublic() == null) {
      return true;
    }
    return query.isPublic() ? f.isPublic() || shared : !f.isPublic();
  }

  private static Comparator<Flavor> comparator(SortKey key, boolean ascending) {
    Comparator<Flavor> byKey =
        switch (key) {
          case CREATED_AT, ID, VCPU_WEIGHT, UPDATED_AT -> Comparator.comparingInt(Flavor::seq);
          case DESCRIPTION -> nullsFirst(Flavor::description);
          case DISABLED -> Comparator.comparing(Flavor::disabled);
          case EPHEMERAL_GB -> Comparator.comparingInt(Flavor::ephemeralGb);
          case FLAVORID -> Comparator.comparing(Flavor::id);
          case IS_PUBLIC -> Comparator.comparing(Flavor::isPublic);
          case MEMORY_MB -> Comparator.comparingInt(Flavor::ramMb);
          case NAME -> Comparator.comparing(Flavor::name);
          case ROOT_GB -> Comparator.comparingInt(Flavor::diskGb);
          case RXTX_FACTOR -> Comparator.comparingDouble(Flavor::rxtxFactor);
          case SWAP -> Comparator.comparingInt(Flavor::swapMb);
          case VCPUS -> Comparator.comparingInt(Flavor::vcpus);
        };
    // Nova breaks ties by its internal id, in the same direction.
    Comparator<Flavor> order = byKey.thenComparingInt(Flavor::seq);
    return ascending ? order : order.reversed();
  }

  private static Comparator<Flavor> nullsFirst(Function<Flavor, String> field) {
    return Comparator.comparing(field, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  private Flavor visible(Actor actor, String id) {
    return find(actor, id).orElseThrow(() -> notFound(id));
  }

  private static void check(boolean ok, String reason) {
    if (!ok) {
      throw ServiceException.invalid("InvalidInput", "Invalid input received: " + reason + ".");
    }
  }

  private static void authorize(Actor actor, String rule) {
    if (!actor.admin()) {
      throw policy(rule);
    }
  }

  private static void authorizeReader(Actor actor, String rule) {
    if (!canSeeExtraSpecs(actor)) {
      throw policy(rule);
    }
  }

  static ServiceException policy(String rule) {
    return ServiceException.forbidden("PolicyNotAuthorized", "Policy doesn't allow " + rule + " to be performed.");
  }

  public static ServiceException notFound(String id) {
    return ServiceException.notFound("FlavorNotFound", "Flavor " + id + " could not be found.");
  }

  private static ServiceException extraSpecNotFound(String id, String key) {
    return ServiceException.notFound(
        "FlavorExtraSpecsNotFound", "Flavor " + id + " has no extra specs with key " + key + ".");
  }

  private FlavorStore store() {
    return new FlavorStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
