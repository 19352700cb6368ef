package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.quota.Demand;
import dev.kiln.quota.QuotaStyle;
import dev.kiln.quota.Quotas;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.volume.store.VolumeQuotaStore.Usage;
import dev.kiln.volume.store.VolumeQuotaStore;
import dev.kiln.volume.store.VolumeTypeStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cinder's per-project quotas ({@code os-quota-sets}).
 *
 * <p>Enforced: {@code volumes}, {@code gigabytes} and {@code snapshots} by {@link #reserve}, which
 * volume and snapshot creation call in their own transaction, {@code backups} and {@code
 * backup_gigabytes} by {@link #reserveBackups}, and {@code per_volume_gigabytes} by {@link
 * #reserveVolume} and {@link #checkVolumeSize}. Shown, settable and stored, but not enforced: {@code groups}, and the per-type
 * {@code volumes_<type>}, {@code gigabytes_<type>} and {@code snapshots_<type>}. A limit of -1 is
 * no limit.
 *
 * <p>Defaults: Cinder's built-in ones ({@link #GLOBAL_DEFAULTS}, -1 for the per-type quotas),
 * overridden by the quota class {@code default} ({@code os-quota-class-sets/default}), which is
 * what a project without a limit of its own has.
 */
public final class VolumeQuotas {
  public static final String VOLUMES = "volumes";
  public static final String GIGABYTES = "gigabytes";
  public static final String SNAPSHOTS = "snapshots";
  public static final String PER_VOLUME_GIGABYTES = "per_volume_gigabytes";
  public static final String BACKUPS = "backups";
  public static final String BACKUP_GIGABYTES = "backup_gigabytes";
  public static final String GROUPS = "groups";

  /** The largest limit Cinder accepts (its database's integer). */
  public static final long MAX_LIMIT = Integer.MAX_VALUE;

  /** Cinder's default limits (its quota_* options), in the order Cinder lists them. */
  public static final Map<String, Long> GLOBAL_DEFAULTS = globalDefaults();

  /** The quota class whose limits are every project's defaults. */
  public static final String DEFAULT_CLASS = "default";

  /** Members of a quota set that are not quotas; an update ignores them as Cinder does. */
  private static final List<String> NON_QUOTA_KEYS = List.of("id", "tenant_id");

  private final Database db;

  public VolumeQuotas(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** One quota with its usage, for {@code ?usage=True}. */
  public record Quota(long limit, long inUse, long reserved) {}

  // For the volume service, inside its transactions

  /**
   * Counts new volumes, gigabytes and snapshots against the project's quotas, inside the caller's
   * transaction: all of them or none. Refuses with 413 {@code OverQuota} when any limit would be
   * exceeded; nothing is counted then.
   */
  public void reserve(Sql tx, String projectId, int volumes, long gigabytes, int snapshots) {
    reserve(tx, projectId, volumes, gigabytes, snapshots, -1);
  }

  /**
   * Counts one new volume of {@code sizeGb} against the project's quotas, as {@link #reserve}
   * does, after checking it against {@code per_volume_gigabytes} with the same limits (Cinder's
   * create flow checks that limit right before it reserves): one read of the limits, not two.
   */
  public void reserveVolume(Sql tx, String projectId, int sizeGb) {
    reserve(tx, projectId, 1, sizeGb, 0, sizeGb);
  }

  private void reserve(Sql tx, String projectId, int volumes, long gigabytes, int snapshots, long newVolumeSize) {
    requireNonNull(tx, "tx is null");
    requireNonNull(projectId, "projectId is null");
    if (volumes < 0 || gigabytes < 0 || snapshots < 0) {
      throw new IllegalArgumentException(
          "a reservation cannot be negative: " + volumes + " volumes, " + gigabytes + " GB, " + snapshots + " snapshots");
    }
    if (volumes == 0 && gigabytes == 0 && snapshots == 0) {
      return;
    }
    VolumeQuotaStore store = new VolumeQuotaStore(tx);
    // The row lock orders this reservation after any limit change of the project, so the limits
    // read next are the ones in force when the update below runs.
    store.lockUsage(projectId);
    Map<String, Long> limits = Quotas.overlay(GLOBAL_DEFAULTS, store.limitsOverClass(projectId, DEFAULT_CLASS));
    if (newVolumeSize >= 0) {
      checkVolumeSize(limits, newVolumeSize);
    }
    long volumeLimit = limits.get(VOLUMES);
    long gigabyteLimit = limits.get(GIGABYTES);
    long snapshotLimit = limits.get(SNAPSHOTS);
    if (store.addUsageWithin(projectId, volumes, gigabytes, snapshots, volumeLimit, gigabyteLimit, snapshotLimit)) {
      return;
    }
    Usage used = store.usage(projectId).orElse(Usage.NONE);
    // Cinder reports the first exceeded resource in alphabetical order, the order of this list.
    Demand volumeDemand = new Demand(VOLUMES, volumes, used.volumes(), volumeLimit);
    Quotas.require(
        QuotaStyle.CINDER,
        List.of(
            new Demand(GIGABYTES, gigabytes, used.gigabytes(), gigabyteLimit),
            new Demand(SNAPSHOTS, snapshots, used.snapshots(), snapshotLimit),
            volumeDemand));
    // Under the usage row lock the conditional update fails only when a limit would be exceeded.
    throw QuotaStyle.CINDER.overQuota(List.of(volumeDemand));
  }

  /**
   * Counts new backups and their gigabytes against the project's {@code backups} and {@code
   * backup_gigabytes} quotas, inside the caller's transaction. Refuses with 413 {@code OverQuota}
   * when either limit would be exceeded (the gigabytes first, as Cinder checks its sorted quota
   * names); nothing is counted then.
   */
  public void reserveBackups(Sql tx, String projectId, int backups, long gigabytes) {
    requireNonNull(tx, "tx is null");
    requireNonNull(projectId, "projectId is null");
    if (backups < 0 || gigabytes < 0) {
      throw new IllegalArgumentException("a reservation cannot be negative: " + backups + " backups, " + gigabytes + " GB");
    }
    VolumeQuotaStore store = new VolumeQuotaStore(tx);
    store.lockUsage(projectId);
    Map<String, Long> limits = Quotas.overlay(GLOBAL_DEFAULTS, store.limitsOverClass(projectId, DEFAULT_CLASS));
    long backupLimit = limits.get(BACKUPS);
    long gigabyteLimit = limits.get(BACKUP_GIGABYTES);
    if (store.addBackupUsageWithin(projectId, backups, gigabytes, backupLimit, gigabyteLimit)) {
      return;
    }
    Usage used = store.usage(projectId).orElse(Usage.NONE);
    Demand backupDemand = new Demand(BACKUPS, backups, used.backups(), backupLimit);
    Quotas.require(
        QuotaStyle.CINDER,
        List.of(new Demand(BACKUP_GIGABYTES, gigabytes, used.backupGigabytes(), gigabyteLimit), backupDemand));
    throw QuotaStyle.CINDER.overQuota(List.of(backupDemand));
  }

  /** Gives back what {@link #reserveBackups} counted; usage never goes below zero. */
  public void releaseBackups(Sql tx, String projectId, int backups, long gigabytes) {
    requireNonNull(tx, "tx is null");
    requireNonNull(projectId, "projectId is null");
    new VolumeQuotaStore(tx).subtractBackupUsage(projectId, backups, gigabytes);
  }

  /** Gives back what {@link #reserve} counted; usage never goes below zero. */
  public void release(Sql tx, String projectId, int volumes, long gigabytes, int snapshots) {
    requireNonNull(tx, "tx is null");
    requireNonNull(projectId, "projectId is null");
    if (volumes < 0 || gigabytes < 0 || snapshots < 0) {
      throw new IllegalArgumentException(
          "a release cannot be negative: " + volumes + " volumes, " + gigabytes + " GB, " + snapshots + " snapshots");
    }
    new VolumeQuotaStore(tx).subtractUsage(projectId, volumes, gigabytes, snapshots);
  }

  /**
   * Refuses a volume larger than the project's {@code per_volume_gigabytes} (413, Cinder's
   * VolumeSizeExceedsLimit). Call it for new volumes and for the new size of an extended one.
   */
  public void checkVolumeSize(String projectId, long sizeGb) {
    VolumeQuotaStore store = new VolumeQuotaStore(db.sql());
    checkVolumeSize(Quotas.overlay(GLOBAL_DEFAULTS, store.limitsOverClass(projectId, DEFAULT_CLASS)), sizeGb);
  }

  private static void checkVolumeSize(Map<String, Long> limits, long sizeGb) {
    long limit = limits.get(PER_VOLUME_GIGABYTES);
    if (limit >= 0 && sizeGb > limit) {
      throw new ServiceException(ServiceException.Kind.OVER_LIMIT, "OverQuota",
          "VolumeSizeExceedsLimit: Requested volume size " + sizeGb + "G is larger than maximum allowed limit "
              + limit + "G.");
    }
  }

  // For the API

  /** The project's limits, every quota with its value or the default. */
  public Map<String, Long> limits(Actor actor, String projectId) {
    authorizeShow(actor, projectId);
    Sql sql = db.sql();
    return effective(sql, new VolumeQuotaStore(sql).limits(projectId));
  }

  /** The project's limits with what it uses of each; Kiln reserves nothing ahead, so 0 reserved. */
  public Map<String, Quota> usage(Actor actor, String projectId) {
    authorizeShow(actor, projectId);
    Sql sql = db.sql();
    VolumeQuotaStore store = new VolumeQuotaStore(sql);
    Usage used = store.usage(projectId).orElse(Usage.NONE);
    Map<String, Quota> out = new LinkedHashMap<>();
    effective(sql, store.limits(projectId))
        .forEach((resource, limit) -> out.put(resource, new Quota(limit, inUse(used, resource), 0)));
    return out;
  }

  /** The limits a project has when none were set for it. */
  public Map<String, Long> defaults(Actor actor, String projectId) {
    authorizeShow(actor, projectId);
    return effective(db.sql(), Map.of());
  }

  /**
   * A quota class's limits (admins only): those set for it over the defaults, as Cinder's
   * {@code get_class_quotas} answers.
   */
  public Map<String, Long> classLimits(Actor actor, String className) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:quota_classes");
    }
    Sql sql = db.sql();
    return effective(sql, new VolumeQuotaStore(sql).classLimits(className));
  }

  /**
   * Sets limits of a quota class (admins only) and answers all of them. As in Cinder, names that
   * are not quotas are ignored; every value must be a whole number from -1 to {@link #MAX_LIMIT}
   * (checked before anything is written; null stands for a value that is not a whole number). Changing the class {@code default} changes the limits
   * of every project that has not set its own.
   */
  public Map<String, Long> updateClass(Actor actor, String className, Map<String, Long> changes) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:quota_classes:update");
    }
    if (className.isEmpty() || className.length() > 255) {
      throw invalidInput("quota_class_name has a minimum character requirement of 1 and a maximum of 255.");
    }
    return db.inTransaction(
        sql -> {
          VolumeQuotaStore store = new VolumeQuotaStore(sql);
          Map<String, Long> known = effectiveWithTypes(Map.of(), Map.of(), new VolumeTypeStore(sql).names());
          Map<String, Long> accepted = new LinkedHashMap<>();
          changes.forEach(
              (key, value) -> {
                if (known.containsKey(key)) {
                  if (value == null) {
                    throw ServiceException.invalid("HTTPBadRequest", key + " must be an integer");
                  }
                  if (value < -1) {
                    throw ServiceException.invalid("HTTPBadRequest", key + " must be >= -1");
                  }
                  if (value > MAX_LIMIT) {
                    throw ServiceException.invalid("HTTPBadRequest", key + " must be <= " + MAX_LIMIT);
                  }
                  accepted.put(key, value);
                }
              });
          store.lockClass(className);
          accepted.forEach((key, value) -> store.putClassLimit(className, key, value));
          return effective(sql, store.classLimits(className));
        });
  }

  /**
   * Sets limits of a project (admins only) and answers all of them. Every name must be a quota,
   * every value a whole number from -1 to {@link #MAX_LIMIT}, and no limit may fall below what
   * the project already uses; otherwise nothing changes.
   */
  public Map<String, Long> update(Actor actor, String projectId, Map<String, Long> changes) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:quotas:update");
    }
    if (projectId.isEmpty() || projectId.length() > 255) {
      throw invalidInput("quota_set_name has a minimum character requirement of 1 and a maximum of 255.");
    }
    return db.inTransaction(
        sql -> {
          VolumeQuotaStore store = new VolumeQuotaStore(sql);
          Map<String, Long> known = effectiveWithTypes(Map.of(), Map.of(), new VolumeTypeStore(sql).names());
          List<String> bad = new ArrayList<>();
          for (Map.Entry<String, Long> change : changes.entrySet()) {
            String key = change.getKey();
            if (NON_QUOTA_KEYS.contains(key)) {
              continue;
            }
            if (!known.containsKey(key)) {
              bad.add(key);
              continue;
            }
            long value = change.getValue();
            if (value < -1) {
              throw ServiceException.invalid("HTTPBadRequest", key + " must be >= -1");
            }
            if (value > MAX_LIMIT) {
              throw ServiceException.invalid("HTTPBadRequest", key + " must be <= " + MAX_LIMIT);
            }
          }
          if (!bad.isEmpty()) {
            throw invalidInput("Bad key(s) in quota set: " + String.join(", ", bad));
          }
          Usage used = store.lockUsage(projectId);
          // per_volume_gigabytes limits one volume, not a total: nothing is in use of it.
          Map<String, Long> quotaChanges = new LinkedHashMap<>(changes);
          quotaChanges.keySet().removeAll(NON_QUOTA_KEYS);
          Quotas.requireNotBelowUsage(QuotaStyle.CINDER, quotaChanges, key -> inUse(used, key));
          changes.forEach(
              (key, value) -> {
                if (!NON_QUOTA_KEYS.contains(key)) {
                  store.putLimit(projectId, key, value);
                }
              });
          return effective(sql, store.limits(projectId));
        });
  }

  /** Forgets every limit set for the project (admins only), returning it to the defaults. */
  public void reset(Actor actor, String projectId) {
    if (!actor.admin()) {
      throw VolumeTypes.policy("volume_extension:quotas:delete");
    }
    db.inTransaction(
        sql -> {
          VolumeQuotaStore store = new VolumeQuotaStore(sql);
          store.lockUsage(projectId);
          return store.deleteLimits(projectId);
        });
  }

  // Rules

  private static void authorizeShow(Actor actor, String projectId) {
    if (!actor.owns(projectId)) {
      throw VolumeTypes.policy("volume_extension:quotas:show");
    }
  }

  /** Every quota with its value in {@code set}, else the default class's, else the built-in one. */
  private static Map<String, Long> effective(Sql sql, Map<String, Long> set) {
    return effectiveWithTypes(set, new VolumeQuotaStore(sql).classLimits(DEFAULT_CLASS), new VolumeTypeStore(sql).names());
  }

  /**
   * Every quota Cinder knows, in Cinder's order: the global ones, then three per volume type, then
   * groups; each with its set value, else its value in {@code defaults} (the default class), else
   * the built-in default (-1 for the per-type ones).
   */
  private static Map<String, Long> effectiveWithTypes(
      Map<String, Long> set, Map<String, Long> defaults, List<String> typeNames) {
    Map<String, Long> out = new LinkedHashMap<>();
    GLOBAL_DEFAULTS.forEach(
        (resource, fallback) -> {
          if (!resource.equals(GROUPS)) {
            out.put(resource, set.getOrDefault(resource, defaults.getOrDefault(resource, fallback)));
          }
        });
    for (String type : typeNames) {
      for (String part : VolumeTypes.PER_TYPE_QUOTAS) {
        String resource = part + "_" + type;
        out.put(resource, set.getOrDefault(resource, defaults.getOrDefault(resource, -1L)));
      }
    }
    out.put(GROUPS, set.getOrDefault(GROUPS, defaults.getOrDefault(GROUPS, GLOBAL_DEFAULTS.get(GROUPS))));
    return out;
  }

  private static long inUse(Usage used, String resource) {
    return switch (resource) {
      case VOLUMES -> used.volumes();
      case GIGABYTES -> used.gigabytes();
      case SNAPSHOTS -> used.snapshots();
      case BACKUPS -> used.backups();
      case BACKUP_GIGABYTES -> used.backupGigabytes();
      default -> 0;
    };
  }

  private static ServiceException invalidInput(String reason) {
    return ServiceException.invalid("InvalidInput", "Invalid input received: " + reason);
  }

  private static Map<String, Long> globalDefaults() {
    Map<String, Long> defaults = new LinkedHashMap<>();
    defaults.put(VOLUMES, 10L);
    defaults.put(PER_VOLUME_GIGABYTES, -1L);
    defaults.put(SNAPSHOTS, 10L);
    defaults.put(GIGABYTES, 1000L);
    defaults.put(BACKUPS, 10L);
    defaults.put(BACKUP_GIGABYTES, 1000L);
    defaults.put(GROUPS, 10L);
    return Collections.unmodifiableMap(defaults);
  }
}
