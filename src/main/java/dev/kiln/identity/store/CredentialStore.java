package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.ListFilter;
import dev.kiln.identity.UserCredential;
import dev.kiln.store.Sql;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /v3/credentials} table. No token carries a credential, so changes here leave
 * identity's revision alone.
 */
public final class CredentialStore {
  private static final String COLUMNS = "id, user_id, project_id, type, blob, created_at";

  private final Sql sql;

  public CredentialStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(UserCredential c) {
    sql.update(
        "INSERT INTO identity_credential (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        c.id(), c.userId(), c.projectId(), c.type(), c.blob(), c.createdAt());
  }

  public Optional<UserCredential> find(String id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM identity_credential WHERE id = ?", CredentialStore::credential, id);
  }

  public List<UserCredential> list(ListFilter filter) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM identity_credential" + filter.where() + " ORDER BY created_at, id",
        CredentialStore::credential,
        filter.args());
  }

  public int update(UserCredential c) {
    return sql.update(
        "UPDATE identity_credential SET project_id = ?, type = ?, blob = ? WHERE id = ?",
        c.projectId(), c.type(), c.blob(), c.id());
  }

  public int delete(String id) {
    return sql.update("DELETE FROM identity_credential WHERE id = ?", id);
  }

  private static UserCredential credential(Sql.Row r) throws java.sql.SQLException {
    return new UserCredential(
        r.getString("id"),
        r.getString("user_id"),
        r.getString("project_id"),
        r.getString("type"),
        r.getString("blob"),
        r.getInstant("created_at"));
  }
}
