package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.util.List;

/**
 * Domain configurations: one row per option, its value a JSON text the API layer writes and
 * reads. Changes lock the domain's row first, so two read-modify-write changes of one domain's
 * configuration run one after the other.
 */
public final class DomainConfigStore {
  /** One stored option. */
  public record Option(String group, String name, String valueJson, boolean sensitive) {}

  private final Sql sql;

  public DomainConfigStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Locks the domain's row until the transaction ends; false when the domain is not there. */
  public boolean lockDomain(String domainId) {
    return sql.queryOne("SELECT id FROM identity_domain WHERE id = ? FOR UPDATE", r -> r.getString("id"), domainId)
        .isPresent();
  }

  public List<Option> options(String domainId) {
    return sql.query(
        "SELECT group_name, option_name, value_json, sensitive FROM identity_domain_config WHERE domain_id = ?"
            + " ORDER BY group_name, option_name",
        r -> new Option(r.getString("group_name"), r.getString("option_name"), r.getString("value_json"), r.getBoolean("sensitive")),
        domainId);
  }

  /** Sets an option, replacing what was there. */
  public void put(String domainId, Option o) {
    remove(domainId, o.group(), o.name());
    sql.update(
        "INSERT INTO identity_domain_config (domain_id, group_name, option_name, value_json, sensitive) VALUES (?, ?, ?, ?, ?)",
        domainId, o.group(), o.name(), o.valueJson(), o.sensitive());
  }

  public int remove(String domainId, String group, String name) {
    return sql.update(
        "DELETE FROM identity_domain_config WHERE domain_id = ? AND group_name = ? AND option_name = ?", domainId, group, name);
  }

  public int removeGroup(String domainId, String group) {
    return sql.update("DELETE FROM identity_domain_config WHERE domain_id = ? AND group_name = ?", domainId, group);
  }

  public int removeAll(String domainId) {
    return sql.update("DELETE FROM identity_domain_config WHERE domain_id = ?", domainId);
  }
}
