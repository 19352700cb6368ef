package dev.kiln.compute.quotas;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.quotas.store.ComputeQuotaStore.Usage;
import dev.kiln.compute.quotas.store.ComputeQuotaStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Nova's quotas ({@code os-quota-sets}, {@code os-quota-class-sets}, {@code /limits}), as Nova's
 * database driver keeps them: a project's limit is the one set for it, else the one set in the
 * quota class {@code default}, else the built-in default; -1 is no limit.
 *
 * <p>Usage is counted, not tracked: servers (their number, vCPUs and RAM) from Compute's own
 * server table. Enforced: {@code instances}, {@code cores} and {@code ram} by {@link
 * #reserveForBoot}, which server creation calls inside its transaction, and {@code key_pairs} (per
 * user) by {@link #reserveKeypair}, which keypair creation calls in its own; {@code
 * metadata_items} (per server) by {@link #checkMetadataItems}. As in Nova, the per-user
 * {@code key_pairs} and {@code server_group_members} show 0 in use. The nova-network quotas ({@code fixed_ips},
 * {@code floating_ips}, {@code security_groups}, {@code security_group_rules}) are kept and shown
 * only for older microversions, as Nova does.
 */
public final class ComputeQuotas {
  public static final String INSTANCES = "instances";
  public static final String CORES = "cores";
  public static final String RAM = "ram";
  public static final String KEY_PAIRS = "key_pairs";
  public static final String SERVER_GROUPS = "server_groups";
  public static final String SERVER_GROUP_MEMBERS = "server_group_members";
  public static final String METADATA_ITEMS = "metadata_items";
  /** Only this quota class changes what projects get; any other name is stored and shown only. */
  public static final String DEFAULT_CLASS = "default";
  /** The largest limit Nova accepts (its database's integer). */
  public static final long MAX_LIMIT = 0x7FFFFFFFL;

  /** Every quota Nova knows with its built-in default, by name (Nova lists them sorted). */
  public static final Map<String, Long> BUILT_IN_DEFAULTS = builtInDefaults();

  private final Database db;

  public ComputeQuotas(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** One quota with its usage; Kiln counts usage when asked and reserves nothing ahead. */
  public record Quota(long limit, long inUse, long reserved) {}

  // For the servers and keypairs services, inside their transactions

  /**
   * Counts a boot of {@code instances} servers of one flavor against the project's {@code
   * instances}, {@code cores} and {@code ram} quotas, inside the caller's transaction, which must
   * also insert the servers: the project's quota row stays locked until it commits, so concurrent
   * boots of one project are counted one after the other and never both take the last place.
   * Refuses with 403 and Nova's TooManyInstances message, naming every quota that would be
   * exceeded.
   */
  public void reserveForBoot(Sql sql, String projectId, int instances, int vcpusEach, int ramMbEach) {
    requireNonNull(sql, "sql is null");
    requireNonNull(projectId, "projectId is null");
    if (instances < 0 || vcpusEach < 0 || ramMbEach < 0) {
      throw new IllegalArgumentException(
          "a boot cannot ask for less than nothing: " + instances + " x (" + vcpusEach + " vCPUs, " + ramMbEach + " MB)");
    }
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    store.lockProject(projectId);
    Map<String, Long> limits = effectiveFor(store, projectId);
    Usage used = store.usage(projectId);
    // Nova names the exceeded quotas in alphabetical order, the order of this list.
    List<Ask> asks =
        List.of(
            new Ask(CORES, (long) instances * vcpusEach, used.cores(), limits.get(CORES)),
            new Ask(INSTANCES, instances, used.instances(), limits.get(INSTANCES)),
            new Ask(RAM, (long) instances * ramMbEach, used.ram(), limits.get(RAM)));
    refuseOvers(asks);
  }

  /**
   * Counts a resize's growth ({@code deltaCores}, {@code deltaRamMb}; shrinking counts nothing)
   * against the project's {@code cores} and {@code ram} quotas, inside the transaction that
   * starts the resize, under the project's quota lock (403 as for a boot).
   */
  public void reserveResize(Sql sql, String projectId, int deltaCores, int deltaRamMb) {
    if (deltaCores <= 0 && deltaRamMb <= 0) {
      return;
    }
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    store.lockProject(projectId);
    Map<String, Long> limits = effectiveFor(store, projectId);
    Usage used = store.usage(projectId);
    refuseOvers(
        List.of(
            new Ask(CORES, Math.max(0, deltaCores), used.cores(), limits.get(CORES)),
            new Ask(RAM, Math.max(0, deltaRamMb), used.ram(), limits.get(RAM))));
  }

  /** Nova's TooManyInstances (403), naming every quota the asks would exceed. */
  private static void refuseOvers(List<Ask> asks) {
    List<Ask> overs = asks.stream().filter(Ask::exceeds).toList();
    if (!overs.isEmpty()) {
      String names = join(overs, Ask::resource);
      throw ServiceException.forbidden(
          "TooManyInstances",
          "Quota exceeded for " + names + ": Requested " + join(overs, a -> Long.toString(a.requested()))
              + ", but already used " + join(overs, a -> Long.toString(a.used())) + " of "
              + join(overs, a -> Long.toString(a.limit())) + " " + names);
    }
  }

  /** What a boot asks of one quota, with what the project holds of it and its limit. */
  private record Ask(String resource, long requested, long used, long limit) {
    boolean exceeds() {
      return limit >= 0 && requested > 0 && used + requested > limit;
    }
  }

  private static String join(List<Ask> asks, Function<Ask, String> part) {
    return asks.stream().map(part).collect(Collectors.joining(", "));
  }

  /**
   * Refuses more metadata items on one server than the project's {@code metadata_items} quota
   * allows (403, Nova's MetadataLimitExceeded). Nothing is counted: the limit is per server.
   */
  public void checkMetadataItems(Sql sql, String projectId, int items) {
    requireNonNull(sql, "sql is null");
    requireNonNull(projectId, "projectId is null");
    long limit = effectiveFor(new ComputeQuotaStore(sql), projectId).get(METADATA_ITEMS);
    if (limit >= 0 && items > limit) {
      throw ServiceException.forbidden(
          "MetadataLimitExceeded", "Maximum number of metadata items exceeds " + limit);
    }
  }

  /**
   * Counts one more keypair of {@code userId} against the {@code key_pairs} quota of {@code
   * projectId} (the project of the request; null: the defaults), inside the caller's transaction,
   * which must also insert it: the user's quota row stays locked until it commits. Refuses with
   * 403 and Nova's KeypairLimitExceeded message.
   */
  public void reserveKeypair(Sql sql, String projectId, String userId) {
    requireNonNull(sql, "sql is null");
    requireNonNull(userId, "userId is null");
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    store.lockUser(userId);
    long limit = (projectId == null ? effective(store) : effectiveFor(store, projectId)).get(KEY_PAIRS);
    if (limit >= 0 && store.keypairs(userId) + 1 > limit) {
      throw ServiceException.forbidden("KeypairLimitExceeded", "Quota exceeded, too many key pairs.");
    }
  }

  /**
   * Counts one more server group of the project against {@code server_groups}, inside the
   * transaction that creates it, under the project's quota lock (403 when it is full).
   */
  public void reserveServerGroup(Sql sql, String projectId) {
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    store.lockProject(projectId);
    long limit = effectiveFor(store, projectId).get(SERVER_GROUPS);
    if (limit >= 0 && store.usage(projectId).serverGroups() + 1 > limit) {
      throw ServiceException.forbidden("QuotaError", "Quota exceeded, too many server groups.");
    }
  }

  /**
   * Refuses a group member beyond {@code server_group_members} (403); the caller holds the
   * group's lock and says how many members it has.
   */
  public void checkGroupMembers(Sql sql, String projectId, long members) {
    long limit = effectiveFor(new ComputeQuotaStore(sql), projectId).get(SERVER_GROUP_MEMBERS);
    if (limit >= 0 && members + 1 > limit) {
      throw ServiceException.forbidden("QuotaError", "Quota exceeded, too many servers in group");
    }
  }

  // For the API: quota sets

  /** The project's limits, every quota (Nova's show). */
  public Map<String, Long> limits(Actor actor, String projectId) {
    authorizeRead(actor, projectId, "os_compute_api:os-quota-sets:show");
    return effectiveFor(new ComputeQuotaStore(db.sql()), projectId);
  }

  /** The project's limits with their usage (Nova's detail). */
  public Map<String, Quota> detail(Actor actor, String projectId) {
    authorizeRead(actor, projectId, "os_compute_api:os-quota-sets:detail");
    return withUsage(projectId);
  }

  /** The limits a project has when none are set for it: the default class over the built-ins. */
  public Map<String, Long> defaults(Actor actor, String projectId) {
    requireNonNull(actor, "actor is null");
    return effective(new ComputeQuotaStore(db.sql()));
  }

  /**
   * Sets limits of a project (admins only) and answers all of them. Names and values are checked
   * by the API (the accepted names depend on the microversion). Unless {@code force}, no limit may
   * fall below what the project uses; the first that would refuses the whole change, as in Nova.
   */
  public Map<String, Long> update(Actor actor, String projectId, Map<String, Long> changes, boolean force) {
    authorizeAdmin(actor, "os_compute_api:os-quota-sets:update");
    for (Map.Entry<String, Long> change : changes.entrySet()) {
      checkLimit(change.getKey(), change.getValue());
    }
    return db.inTransaction(
        sql -> {
          ComputeQuotaStore store = new ComputeQuotaStore(sql);
          store.lockProject(projectId);
          if (!force) {
            Map<String, Long> inUse = inUse(store.usage(projectId));
            for (Map.Entry<String, Long> change : changes.entrySet()) {
              long value = change.getValue();
              long minimum = inUse.getOrDefault(change.getKey(), 0L);
              if (value != -1 && value < minimum) {
                throw ServiceException.invalid(
                    "HTTPBadRequest",
                    "Quota limit " + value + " for " + change.getKey()
                        + " must be greater than or equal to already used and reserved " + minimum + ".");
              }
            }
          }
          changes.forEach((resource, value) -> store.putProjectLimit(projectId, resource, value));
          return effectiveFor(store, projectId);
        });
  }

  /** Forgets every limit set for the project (admins only): it has the defaults again. */
  public void reset(Actor actor, String projectId) {
    authorizeAdmin(actor, "os_compute_api:os-quota-sets:delete");
    db.inTransaction(
        sql -> {
          ComputeQuotaStore store = new ComputeQuotaStore(sql);
          store.lockProject(projectId);
          return store.deleteProjectLimits(projectId);
        });
  }

  // For the API: quota classes

  /** A quota class's limits (admins only); what is not set in it has the built-in default. */
  public Map<String, Long> classLimits(Actor actor, String className) {
    authorizeAdmin(actor, "os_compute_api:os-quota-class-sets:show");
    return overlay(BUILT_IN_DEFAULTS, new ComputeQuotaStore(db.sql()).classLimits(className));
  }

  /**
   * Sets limits of a quota class (admins only) and answers all of them. Setting the class {@code
   * default} changes the defaults of every project.
   */
  public Map<String, Long> updateClass(Actor actor, String className, Map<String, Long> changes) {
    authorizeAdmin(actor, "os_compute_api:os-quota-class-sets:update");
    if (className.isEmpty() || className.length() > 255) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input received: quota_class_name has a minimum character requirement of 1 and a"
              + " maximum of 255.");
    }
    for (Map.Entry<String, Long> change : changes.entrySet()) {
      checkLimit(change.getKey(), change.getValue());
    }
    return db.inTransaction(
        sql -> {
          ComputeQuotaStore store = new ComputeQuotaStore(sql);
          changes.forEach((resource, value) -> store.putClassLimit(className, resource, value));
          return overlay(BUILT_IN_DEFAULTS, store.classLimits(className));
        });
  }

  // For the API: limits

  /**
   * The limits and usage of the actor's project, or (admins only) of {@code otherProjectId}, for
   * Nova's {@code GET /limits}.
   */
  public Map<String, Quota> absoluteLimits(Actor actor, String otherProjectId) {
    requireNonNull(actor, "actor is null");
    String projectId = actor.projectId();
    if (otherProjectId != null) {
      authorizeAdmin(actor, "os_compute_api:limits:other_project");
      projectId = otherProjectId;
    }
    if (projectId == null) {
      throw ServiceException.invalid("badRequest", "A project-scoped token is needed to show limits.");
    }
    return withUsage(projectId);
  }

  // Rules

  private Map<String, Quota> withUsage(String projectId) {
    ComputeQuotaStore store = new ComputeQuotaStore(db.sql());
    Map<String, Long> inUse = inUse(store.usage(projectId));
    Map<String, Quota> out = new LinkedHashMap<>();
    effectiveFor(store, projectId)
        .forEach((resource, limit) -> out.put(resource, new Quota(limit, inUse.getOrDefault(resource, 0L), 0)));
    return out;
  }

  /** What each counted quota has in use; the others (per-user, unenforced) 0. */
  private static Map<String, Long> inUse(Usage used) {
    return Map.of(INSTANCES, used.instances(), CORES, used.cores(), RAM, used.ram(), SERVER_GROUPS, used.serverGroups());
  }

  private static Map<String, Long> effective(ComputeQuotaStore store) {
    return overlay(BUILT_IN_DEFAULTS, store.classLimits(DEFAULT_CLASS));
  }

  private static Map<String, Long> effectiveFor(ComputeQuotaStore store, String projectId) {
    return overlay(effective(store), store.projectLimits(projectId));
  }

  /** {@code base} with each of its quotas replaced by the value in {@code set}, if any. */
  private static Map<String, Long> overlay(Map<String, Long> base, Map<String, Long> set) {
    Map<String, Long> out = new LinkedHashMap<>();
    base.forEach((resource, value) -> out.put(resource, set.getOrDefault(resource, value)));
    return out;
  }

  private static void checkLimit(String resource, long value) {
    if (!BUILT_IN_DEFAULTS.containsKey(resource)) {
      throw new IllegalArgumentException("not a compute quota: " + resource);
    }
    if (value < -1 || value > MAX_LIMIT) {
      throw ServiceException.invalid(
          "HTTPBadRequest", "Quota limit " + value + " for " + resource + " must be between -1 and " + MAX_LIMIT + ".");
    }
  }

  private static void authorizeRead(Actor actor, String projectId, String rule) {
    requireNonNull(actor, "actor is null");
    if (!actor.owns(projectId)) {
      throw policy(rule);
    }
  }

  private static void authorizeAdmin(Actor actor, String rule) {
    requireNonNull(actor, "actor is null");
    if (!actor.admin()) {
      throw policy(rule);
    }
  }

  private static ServiceException policy(String rule) {
    return ServiceException.forbidden("PolicyNotAuthorized", "Policy doesn't allow " + rule + " to be performed.");
  }

  private static Map<String, Long> builtInDefaults() {
    Map<String, Long> defaults = new LinkedHashMap<>();
    defaults.put(CORES, 20L);
    defaults.put("fixed_ips", -1L);
    defaults.put("floating_ips", -1L);
    defaults.put("injected_file_content_bytes", 10240L);
    defaults.put("injected_file_path_bytes", 255L);
    defaults.put("injected_files", 5L);
    defaults.put(INSTANCES, 10L);
    defaults.put(KEY_PAIRS, 100L);
    defaults.put(METADATA_ITEMS, 128L);
    defaults.put(RAM, 51200L);
    defaults.put("security_group_rules", -1L);
    defaults.put("security_groups", -1L);
    defaults.put(SERVER_GROUP_MEMBERS, 10L);
    defaults.put(SERVER_GROUPS, 10L);
    return Collections.unmodifiableMap(defaults);
  }
}
