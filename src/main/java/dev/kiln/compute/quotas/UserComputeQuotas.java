package dev.kiln.compute.quotas;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.quotas.ComputeQuotas.Quota;
import dev.kiln.compute.quotas.store.ComputeQuotaStore;
import dev.kiln.quota.QuotaStyle;
import dev.kiln.quota.Quotas;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nova's per-user quotas ({@code os-quota-sets/{project}?user_id=...}): limits for one user inside
 * a project. A resource without a limit of the user's own has the project's. Nova's rules on
 * setting them: a user's limit may not fall below what the user uses, nor rise above what the
 * project's limit leaves once the other users' limits are taken out (so the users' limits together
 * never exceed the project's); {@code force} skips both checks. Server creation honours them in
 * {@link ComputeQuotas#reserveForBoot}.
 */
public final class UserComputeQuotas {
  private final Database db;

  public UserComputeQuotas(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** The user's limits in the project (Nova's show with {@code user_id}). */
  public Map<String, Long> limits(Actor actor, String projectId, String userId) {
    ComputeQuotas.authorizeRead(actor, projectId, "os_compute_api:os-quota-sets:show");
    return effective(db.sql(), projectId, userId);
  }

  /** The user's limits with what the user uses of the counted resources (Nova's detail). */
  public Map<String, Quota> detail(Actor actor, String projectId, String userId) {
    ComputeQuotas.authorizeRead(actor, projectId, "os_compute_api:os-quota-sets:detail");
    Sql sql = db.sql();
    Map<String, Long> inUse = ComputeQuotas.inUse(new ComputeQuotaStore(sql).userUsage(projectId, userId));
    Map<String, Quota> out = new LinkedHashMap<>();
    effective(sql, projectId, userId)
        .forEach((resource, limit) -> out.put(resource, new Quota(limit, inUse.getOrDefault(resource, 0L), 0)));
    return out;
  }

  /**
   * Sets limits of a user in the project (admins only) and answers all of the user's limits. The
   * first limit outside what Nova allows refuses the whole change with 400.
   */
  public Map<String, Long> update(Actor actor, String projectId, String userId, Map<String, Long> changes, boolean force) {
    ComputeQuotas.authorizeAdmin(actor, "os_compute_api:os-quota-sets:update");
    requireNonNull(userId, "userId is null");
    changes.forEach(ComputeQuotas::checkLimit);
    return db.inTransaction(
        sql -> {
          ComputeQuotas.lockProject(sql, projectId);
          ComputeQuotaStore store = new ComputeQuotaStore(sql);
          if (!force) {
            Map<String, Long> project = ComputeQuotas.effectiveFor(sql, projectId);
            Map<String, Long> others = store.userLimitSums(projectId, userId);
            Map<String, Long> inUse = ComputeQuotas.inUse(store.userUsage(projectId, userId));
            changes.forEach(
                (resource, value) ->
                    checkSettable(resource, value, inUse.getOrDefault(resource, 0L), maximum(project.get(resource), others.getOrDefault(resource, 0L))));
          }
          changes.forEach((resource, value) -> store.putUserLimit(projectId, userId, resource, value));
          return effective(sql, projectId, userId);
        });
  }

  /** Forgets the limits set for the user (admins only): the user has the project's again. */
  public void reset(Actor actor, String projectId, String userId) {
    ComputeQuotas.authorizeAdmin(actor, "os_compute_api:os-quota-sets:delete");
    requireNonNull(userId, "userId is null");
    db.inTransaction(
        sql -> {
          ComputeQuotas.lockProject(sql, projectId);
          return new ComputeQuotaStore(sql).deleteUserLimits(projectId, userId);
        });
  }

  /** A user's limits: the project's under what is set for the user. */
  static Map<String, Long> effective(Sql sql, String projectId, String userId) {
    return Quotas.overlay(ComputeQuotas.effectiveFor(sql, projectId), new ComputeQuotaStore(sql).userLimits(projectId, userId));
  }

  /** The most a user may get: what the project's limit leaves after the other users' (-1: no bound). */
  private static long maximum(long projectLimit, long othersHold) {
    return projectLimit < 0 ? -1 : Math.max(0, projectLimit - othersHold);
  }

  private static void checkSettable(String resource, long value, long minimum, long maximum) {
    boolean unlimited = value == -1;
    if (!unlimited && value < minimum) {
      throw QuotaStyle.NOVA.belowUsage(resource, value, minimum);
    }
    if (maximum != -1 && (unlimited || value > maximum)) {
      throw ServiceException.invalid(
          "HTTPBadRequest", "Quota limit " + value + " for " + resource + " must be less than or equal to " + maximum + ".");
    }
  }
}
