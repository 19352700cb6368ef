package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Policy;
import dev.kiln.store.Sql;
import java.util.List;
import java.util.Optional;

/** {@code /v3/policies} documents. Nothing a token carries, so identity's revision stays. */
public final class PolicyStore {
  private final Sql sql;

  public PolicyStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(Policy p) {
    sql.update("INSERT INTO identity_policy (id, type, blob, extra) VALUES (?, ?, ?, ?)", p.id(), p.type(), p.blob(), p.extra());
  }

  public Optional<Policy> find(String id) {
    return sql.queryOne("SELECT id, type, blob, extra FROM identity_policy WHERE id = ?", PolicyStore::policy, id);
  }

  public List<Policy> list(ListFilter filter) {
    return sql.query(
        "SELECT id, type, blob, extra FROM identity_policy" + filter.where() + " ORDER BY id", PolicyStore::policy, filter.args());
  }

  public int update(Policy p) {
    return sql.update("UPDATE identity_policy SET type = ?, blob = ?, extra = ? WHERE id = ?", p.type(), p.blob(), p.extra(), p.id());
  }

  public int delete(String id) {
    return sql.update("DELETE FROM identity_policy WHERE id = ?", id);
  }

  private static Policy policy(Sql.Row r) throws java.sql.SQLException {
    return new Policy(r.getString("id"), r.getString("type"), r.getString("blob"), r.getString("extra"));
  }
}
