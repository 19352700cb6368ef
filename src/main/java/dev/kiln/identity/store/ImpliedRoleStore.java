package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.List;

/**
 * Role inference rules: the prior role implies the other. A rule changes what tokens carry, so
 * each change moves identity's revision on (see {@link Revision}).
 */
public final class ImpliedRoleStore {
  /** One rule. */
  public record Rule(String priorRoleId, String impliedRoleId) {}

  private final Sql sql;

  public ImpliedRoleStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Adds a rule; one already there changes nothing. */
  public void add(Rule rule) {
    Revision.insertingOnce(
        sql,
        "INSERT INTO identity_implied_role (prior_role_id, implied_role_id) VALUES (?, ?)",
        rule.priorRoleId(), rule.impliedRoleId());
  }

  public int remove(Rule rule) {
    return Revision.changing(
        sql,
        "DELETE FROM identity_implied_role WHERE prior_role_id = ? AND implied_role_id = ?",
        rule.priorRoleId(), rule.impliedRoleId());
  }

  public boolean exists(Rule rule) {
    return sql.count(
            "SELECT COUNT(*) FROM identity_implied_role WHERE prior_role_id = ? AND implied_role_id = ?",
            rule.priorRoleId(), rule.impliedRoleId())
        > 0;
  }

  /**
   * Serialises changes to the rules until the transaction ends, by locking identity's revision row
   * (which the change moves on anyway), so that two rules added at once cannot close a loop that
   * neither saw alone.
   */
  public void lockRules() {
    sql.queryOne("SELECT revision FROM identity_revision WHERE id = 1 FOR UPDATE", r -> r.getLong("revision"));
  }

  /** Every rule: a handful of rows in any cloud, read whole to follow chains in memory. */
  public List<Rule> all() {
    return sql.query(
        "SELECT prior_role_id, implied_role_id FROM identity_implied_role ORDER BY prior_role_id, implied_role_id",
        r -> new Rule(r.getString("prior_role_id"), r.getString("implied_role_id")));
  }
}
