package dev.kiln.compute.quotas;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.quotas.store.ComputeQuotaStore.Usage;
import dev.kiln.compute.quotas.store.ComputeQuotaStore;
import dev.kiln.quota.Demand;
import dev.kiln.quota.QuotaStore;
import dev.kiln.quota.QuotaStyle;
import dev.kiln.quota.QuotaTables;
import dev.kiln.quota.Quotas;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nova's quotas ({@code os-quota-sets}, {@code os-quota-class-sets}, {@code /limits}), as Nova's
 * database driver keeps them: a project's limit is the one set for it, else the one set in the
 * quota class {@code default}, else the built-in default; -1 is no limit.
 *
 * <p>Usage of servers (their number, vCPUs and RAM) is read from the rows the server store keeps
 * per project and user in the transactions that make, resize and delete servers, so it always
 * matches the server table (nothing is reserved ahead, as in Nova's counting); server groups are
 * counted from their table. Enforced: {@code instances}, {@code cores} and {@code ram} by {@link
 * #reserveForBoot}, which server creation calls inside its transaction (also against the booting
 * user's own limits, {@link UserComputeQuotas}, when the user has some), and {@code key_pairs} (per
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

  /** Per-project limits in compute_quota; lock rows for projects and users in compute_quota_lock. */
  private static final QuotaTables TABLES = new QuotaTables("compute_quota", "project_id", "compute_quota_lock", "owner");

  private final Database db;

  public ComputeQuotas(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** The per-user quotas inside projects, on the same database. */
  public UserComputeQuotas users() {
    return new UserComputeQuotas(db);
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
   * exceeded. When {@code userId} (the booting user; null: none) has limits of their own in the
   * project, the user's servers are counted against those as well.
   */
  public void reserveForBoot(Sql sql, String projectId, String userId, int instances, int vcpusEach, int ramMbEach) {
    requireNonNull(sql, "sql is null");
    requireNonNull(projectId, "projectId is null");
    if (instances < 0 || vcpusEach < 0 || ramMbEach < 0) {
      throw new IllegalArgumentException(
          "a boot cannot ask for less than nothing: " + instances + " x (" + vcpusEach + " vCPUs, " + ramMbEach + " MB)");
    }
    lockProject(sql, projectId);
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    ComputeQuotaStore.SetLimits set = store.setLimits(projectId, userId);
    Map<String, Long> limits = Quotas.overlay(effective(store), set.project());
    Usage used = store.usage(projectId);
    // Nova names the exceeded quotas in alphabetical order, the order of this list.
    Quotas.require(
        QuotaStyle.NOVA,
        List.of(
            new Demand(CORES, (long) instances * vcpusEach, used.cores(), limits.get(CORES)),
            new Demand(INSTANCES, instances, used.instances(), limits.get(INSTANCES)),
            new Demand(RAM, (long) instances * ramMbEach, used.ram(), limits.get(RAM))));
    // A user with limits of their own is held to them too, within the project's (Nova checks both).
    Map<String, Long> own = set.user();
    if (own.containsKey(CORES) || own.containsKey(INSTANCES) || own.containsKey(RAM)) {
      Map<String, Long> userLimits = Quotas.overlay(limits, own);
      Usage usedByUser = store.userUsage(projectId, userId);
      Quotas.require(
          QuotaStyle.NOVA,
          List.of(
              new Demand(CORES, (long) instances * vcpusEach, usedByUser.cores(), userLimits.get(CORES)),
              new Demand(INSTANCES, instances, usedByUser.instances(), userLimits.get(INSTANCES)),
              new Demand(RAM, (long) instances * ramMbEach, usedByUser.ram(), userLimits.get(RAM))));
    }
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
    lockProject(sql, projectId);
    Map<String, Long> limits = effectiveFor(sql, projectId);
    Usage used = new ComputeQuotaStore(sql).usage(projectId);
    Quotas.require(
        QuotaStyle.NOVA,
        List.of(
            new Demand(CORES, Math.max(0, deltaCores), used.cores(), limits.get(CORES)),
            new Demand(RAM, Math.max(0, deltaRamMb), used.ram(), limits.get(RAM))));
  }

  /**
   * Refuses more metadata items on one server than the project's {@code metadata_items} quota
   * allows (403, Nova's MetadataLimitExceeded). Nothing is counted: the limit is per server.
   */
  public void checkMetadataItems(Sql sql, String projectId, int items) {
    requireNonNull(sql, "sql is null");
    requireNonNull(projectId, "projectId is null");
    long limit = effectiveFor(sql, projectId).get(METADATA_ITEMS);
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
    new QuotaStore(sql, TABLES).lock("user " + userId);
    ComputeQuotaStore store = new ComputeQuotaStore(sql);
    long limit = (projectId == null ? effective(store) : effectiveFor(sql, projectId)).get(KEY_PAIRS);
    if (new Demand(KEY_PAIRS, 1, store.keypairs(userId), limit).exceeds()) {
      throw ServiceException.forbidden("KeypairLimitExceeded", "Quota exceeded, too many key pairs.");
    }
  }

  /**
   * Counts one more server group of the project against {@code server_groups}, inside the
   * transaction that creates it, under the project's quota lock (403 when it is full).
   */
  public void reserveServerGroup(Sql sql, String projectId) {
    lockProject(sql, projectId);
    long limit = effectiveFor(sql, projectId).get(SERVER_GROUPS);
    if (new Demand(SERVER_GROUPS, 1, new ComputeQuotaStore(sql).usage(projectId).serverGroups(), limit).exceeds()) {
      throw ServiceException.forbidden("QuotaError", "Quota exceeded, too many server groups.");
    }
  }

  /**
   * Refuses a group member beyond {@code server_group_members} (403); the caller holds the
   * group's lock and says how many members it has.
   */
  public void checkGroupMembers(Sql sql, String projectId, long members) {
    long limit = effectiveFor(sql, projectId).get(SERVER_GROUP_MEMBERS);
    if (new Demand(SERVER_GROUP_MEMBERS, 1, members, limit).exceeds()) {
      throw ServiceException.forbidden("QuotaError", "Quota exceeded, too many servers in group");
    }
  }

  // For the API: quota sets

  /** The project's limits, every quota (Nova's show). */
  public Map<String, Long> limits(Actor actor, String projectId) {
    authorizeRead(actor, projectId, "os_compute_api:os-quota-sets:show");
    return effectiveFor(db.sql(), projectId);
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
   * fall below what the project uses, nor below the sum of the limits set for its users; the first
   * that would refuses the whole change, as in Nova.
   */
  public Map<String, Long> update(Actor actor, String projectId, Map<String, Long> changes, boolean force) {
    authorizeAdmin(actor, "os_compute_api:os-quota-sets:update");
    for (Map.Entry<String, Long> change : changes.entrySet()) {
      checkLimit(change.getKey(), change.getValue());
    }
    return db.inTransaction(
        sql -> {
          lockProject(sql, projectId);
          if (!force) {
            ComputeQuotaStore store = new ComputeQuotaStore(sql);
            Map<String, Long> inUse = inUse(store.usage(projectId));
            Map<String, Long> usersHold = store.userLimitSums(projectId, null);
            Quotas.requireNotBelowUsage(
                QuotaStyle.NOVA,
                changes,
                resource -> Math.max(inUse.getOrDefault(resource, 0L), usersHold.getOrDefault(resource, 0L)));
          }
          QuotaStore limits = new QuotaStore(sql, TABLES);
          changes.forEach((resource, value) -> limits.putLimit(projectId, resource, value));
          return effectiveFor(sql, projectId);
        });
  }

  /** Forgets every limit set for the project and its users (admins only): it has the defaults again. */
  public void reset(Actor actor, String projectId) {
    authorizeAdmin(actor, "os_compute_api:os-quota-sets:delete");
    db.inTransaction(
        sql -> {
          lockProject(sql, projectId);
          new ComputeQuotaStore(sql).deleteUserLimits(projectId, null);
          return new QuotaStore(sql, TABLES).deleteLimits(projectId);
        });
  }

  // For the API: quota classes

  /** A quota class's limits (admins only); what is not set in it has the built-in default. */
  public Map<String, Long> classLimits(Actor actor, String className) {
    authorizeAdmin(actor, "os_compute_api:os-quota-class-sets:show");
    return Quotas.overlay(BUILT_IN_DEFAULTS, new ComputeQuotaStore(db.sql()).classLimits(className));
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
          return Quotas.overlay(BUILT_IN_DEFAULTS, store.classLimits(className));
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
    Sql sql = db.sql();
    Map<String, Long> inUse = inUse(new ComputeQuotaStore(sql).usage(projectId));
    Map<String, Quota> out = new LinkedHashMap<>();
    effectiveFor(sql, projectId)
        .forEach((resource, limit) -> out.put(resource, new Quota(limit, inUse.getOrDefault(resource, 0L), 0)));
    return out;
  }

  /** What each counted quota has in use; the others (per-user, unenforced) 0. */
  static Map<String, Long> inUse(Usage used) {
    return Map.of(INSTANCES, used.instances(), CORES, used.cores(), RAM, used.ram(), SERVER_GROUPS, used.serverGroups());
  }

  /**
   * Locks the project's quota row until the transaction ends: boots, resizes, group creations and
   * limit changes of one project count and check usage one at a time.
   */
  static void lockProject(Sql sql, String projectId) {
    new QuotaStore(sql, TABLES).lock("project " + projectId);
  }

  /** The limits projects get: the built-ins under what the class {@code default} sets. */
  private static Map<String, Long> effective(ComputeQuotaStore store) {
    return Quotas.overlay(BUILT_IN_DEFAULTS, store.classLimits(DEFAULT_CLASS));
  }

  /** A project's limits: the defaults under what is set for the project. */
  static Map<String, Long> effectiveFor(Sql sql, String projectId) {
    return Quotas.overlay(effective(new ComputeQuotaStore(sql)), new QuotaStore(sql, TABLES).limits(projectId));
  }

  static void checkLimit(String resource, long value) {
    if (!BUILT_IN_DEFAULTS.containsKey(resource)) {
      throw new IllegalArgumentException("not a compute quota: " + resource);
    }
    if (value < -1 || value > MAX_LIMIT) {
      throw ServiceException.invalid(
          "HTTPBadRequest", "Quota limit " + value + " for " + resource + " must be between -1 and " + MAX_LIMIT + ".");
    }
  }

  static void authorizeRead(Actor actor, String projectId, String rule) {
    requireNonNull(actor, "actor is null");
    if (!actor.owns(projectId)) {
      throw policy(rule);
    }
  }

  static void authorizeAdmin(Actor actor, String rule) {
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
