package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.AccessRule;
import dev.kiln.store.Sql;
import java.util.List;
import java.util.Optional;

/** Access rules and which application credentials name them. */
public final class AccessRuleStore {
  private static final String COLUMNS = "id, user_id, service, path, method";

  private final Sql sql;

  public AccessRuleStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(AccessRule r) {
    sql.update(
        "INSERT INTO identity_access_rule (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
        r.id(), r.userId(), r.service(), r.path(), r.method());
  }

  public Optional<AccessRule> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM identity_access_rule WHERE id = ?", AccessRuleStore::row, id);
  }

  /** The user's rule for exactly this service, path and method, if it has one. */
  public Optional<AccessRule> findSame(String userId, String service, String path, String method) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM identity_access_rule WHERE user_id = ? AND service = ? AND path = ?"
            + " AND method = ?",
        AccessRuleStore::row, userId, service, path, method);
  }

  public List<AccessRule> listOfUser(String userId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM identity_access_rule WHERE user_id = ? ORDER BY service, path, method, id",
        AccessRuleStore::row, userId);
  }

  public List<AccessRule> ofCredential(String appCredentialId) {
    return sql.query(
        "SELECT r.id, r.user_id, r.service, r.path, r.method FROM identity_access_rule r"
            + " JOIN identity_app_credential_access_rule a ON a.access_rule_id = r.id"
            + " WHERE a.app_credential_id = ? ORDER BY r.service, r.path, r.method, r.id",
        AccessRuleStore::row, appCredentialId);
  }

  public void link(String appCredentialId, String accessRuleId) {
    sql.update(
        "INSERT INTO identity_app_credential_access_rule (app_credential_id, access_rule_id) VALUES (?, ?)",
        appCredentialId, accessRuleId);
  }

  /** Deletes the rule unless a credential names it, in one statement; answers whether it did. */
  public boolean deleteIfUnused(String id) {
    return sql.update(
            "DELETE FROM identity_access_rule WHERE id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM identity_app_credential_access_rule a WHERE a.access_rule_id = ?)",
            id, id)
        == 1;
  }

  private static AccessRule row(Sql.Row r) throws java.sql.SQLException {
    return new AccessRule(
        r.getString("id"), r.getString("user_id"), r.getString("service"), r.getString("path"), r.getString("method"));
  }
}
