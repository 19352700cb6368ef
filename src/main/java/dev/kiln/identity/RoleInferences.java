package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static java.util.Objects.requireNonNull;

import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.ImpliedRoleStore.Rule;
import dev.kiln.store.Database;
import java.util.List;
import java.util.Map;

/**
 * Keystone's role inference rules: whoever holds the prior role also holds the implied one, in
 * tokens and in effective role assignments. Refused as in Keystone: a global role implying a
 * domain-specific one, implying {@code admin} (Keystone's default {@code prohibited_implied_role}),
 * and a rule that would close a loop.
 */
public final class RoleInferences {
  static final String PROHIBITED_IMPLIED = "admin";

  private final Database db;
  private final Directory directory;

  public RoleInferences(Database db, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  private ImpliedRoleStore store() {
    return new ImpliedRoleStore(db.sql());
  }

  /** Adds a rule (again: nothing changes) and answers the two roles. */
  public Role[] add(String priorId, String impliedId) {
    Role prior = directory.role(priorId);
    Role implied = directory.role(impliedId);
    if (implied.name().equals(PROHIBITED_IMPLIED) && !implied.domainSpecific()) {
      throw forbidden("InvalidImpliedRole", "Role " + implied.id() + " (" + implied.name() + ") may not be implied by another role.");
    }
    if (!prior.domainSpecific() && implied.domainSpecific()) {
      throw forbidden(
          "InvalidImpliedRole",
          "A global role (" + prior.id() + ") cannot imply a domain-specific role (" + implied.id() + ").");
    }
    db.inTransaction(
        sql -> {
          ImpliedRoleStore rules = new ImpliedRoleStore(sql);
          rules.lockRules();
          if (priorId.equals(impliedId) || ImpliedRoles.closure(rules.all(), impliedId).contains(priorId)) {
            throw invalid(
                "CircularRoleInference",
                "Role " + impliedId + " already implies " + priorId + ", directly or not: this rule would make a loop.");
          }
          Rule rule = new Rule(priorId, impliedId);
          if (!rules.exists(rule)) {
            rules.add(rule); // under the lock: no parallel insert of the same rule
          }
          return null;
        });
    return new Role[] {prior, implied};
  }

  /** The two roles of an existing rule; 404 when either role or the rule is not there. */
  public Role[] rule(String priorId, String impliedId) {
    Role prior = directory.role(priorId);
    Role implied = directory.role(impliedId);
    if (!store().exists(new Rule(priorId, impliedId))) {
      throw noRule(priorId, impliedId);
    }
    return new Role[] {prior, implied};
  }

  public void remove(String priorId, String impliedId) {
    directory.role(priorId);
    directory.role(impliedId);
    if (db.inTransaction(sql -> new ImpliedRoleStore(sql).remove(new Rule(priorId, impliedId))) == 0) {
      throw noRule(priorId, impliedId);
    }
  }

  /** The roles {@code priorId} implies directly. */
  public List<Role> impliedBy(String priorId) {
    directory.role(priorId);
    return store().all().stream()
        .filter(r -> r.priorRoleId().equals(priorId))
        .map(r -> directory.role(r.impliedRoleId()))
        .toList();
  }

  /** Every rule, by prior role id, each with the roles it implies directly. */
  public Map<String, List<String>> all() {
    return ImpliedRoles.byPrior(store().all());
  }

  /** A role by id (Keystone's 404 when not there), for showing rules. */
  public Role role(String id) {
    return directory.role(id);
  }

  /** Every rule, as pairs. */
  public List<Rule> rules() {
    return store().all();
  }

  private static RuntimeException noRule(String priorId, String impliedId) {
    return dev.kiln.common.ServiceException.notFound(
        "ImpliedRoleNotFound", "Could not find implied role: " + priorId + " does not imply " + impliedId + ".");
  }
}
