package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.ApplicationCredential;
import dev.kiln.identity.Role;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Application credentials and their roles. The secret is kept only as a hash. */
public final class AppCredentialStore {
  private static final String COLUMNS =
      "id, user_id, project_id, name, description, expires_at, unrestricted, created_at";

  private final Sql sql;

  public AppCredentialStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a credential with its roles; the caller holds the transaction. */
  public void insert(ApplicationCredential c, String secretHash) {
    sql.update(
        "INSERT INTO identity_app_credential (" + COLUMNS + ", secret_hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.id(), c.userId(), c.projectId(), c.name(), c.description(), c.expiresAt(),
        c.unrestricted(), c.createdAt(), secretHash);
    List<Object[]> roles = new ArrayList<>();
    for (Role r : c.roles()) {
      roles.add(new Object[] {c.id(), r.id()});
    }
    sql.batch(
        "INSERT INTO identity_app_credential_role (app_credential_id, role_id) VALUES (?, ?)", roles);
    AccessRuleStore rules = new AccessRuleStore(sql);
    for (dev.kiln.identity.AccessRule rule : c.accessRules()) {
      if (rules.find(rule.id()).isEmpty()) {
        rules.insert(rule);
      }
      rules.link(c.id(), rule.id());
    }
  }

  public Optional<ApplicationCredential> find(String id) {
    return sql.queryOne(
            "SELECT " + COLUMNS + " FROM identity_app_credential WHERE id = ?", Row::of, id)
        .map(this::withRoles);
  }

  public Optional<ApplicationCredential> findByName(String userId, String name) {
    return sql.queryOne(
            "SELECT " + COLUMNS + " FROM identity_app_credential WHERE user_id = ? AND name = ?",
            Row::of,
            userId,
            name)
        .map(this::withRoles);
  }

  /** A user's credentials, all or the one with {@code name} (when not null). */
  public List<ApplicationCredential> listOfUser(String userId, String name) {
    String where = name == null ? "" : " AND name = ?";
    Object[] args = name == null ? new Object[] {userId} : new Object[] {userId, name};
    return sql
        .query(
            "SELECT " + COLUMNS + " FROM identity_app_credential WHERE user_id = ?" + where
                + " ORDER BY name, id",
            Row::of,
            args)
        .stream()
        .map(this::withRoles)
        .toList();
  }

  public Optional<String> secretHash(String id) {
    return sql.queryOne(
        "SELECT secret_hash FROM identity_app_credential WHERE id = ?",
        r -> r.getString("secret_hash"),
        id);
  }

  /**
   * Deletes a credential: tokens issued with it stop working, so the tokens are revoked and
   * identity's revision moves on in the same transaction.
   */
  public int delete(String id) {
    sql.update(
        "UPDATE identity_token SET revoked = TRUE WHERE app_credential_id = ? AND revoked = FALSE",
        id);
    return Revision.changing(sql, "DELETE FROM identity_app_credential WHERE id = ?", id);
  }

  private ApplicationCredential withRoles(Row row) {
    List<Role> roles =
        sql.query(
            "SELECT r.id, r.name, r.description FROM identity_role r"
                + " JOIN identity_app_credential_role a ON a.role_id = r.id"
                + " WHERE a.app_credential_id = ? ORDER BY r.name",
            r -> new Role(r.getString("id"), r.getString("name"), r.getString("description")),
            row.id());
    return new ApplicationCredential(
        row.id(), row.userId(), row.projectId(), row.name(), row.description(), row.expiresAt(),
        row.unrestricted(), roles, row.createdAt(), new AccessRuleStore(sql).ofCredential(row.id()));
  }

  private record Row(
      String id,
      String userId,
      String projectId,
      String name,
      String description,
      java.time.Instant expiresAt,
      boolean unrestricted,
      java.time.Instant createdAt) {
    static Row of(Sql.Row r) throws java.sql.SQLException {
      return new Row(
          r.getString("id"),
          r.getString("user_id"),
          r.getString("project_id"),
          r.getString("name"),
          r.getString("description"),
          r.getInstant("expires_at"),
          r.getBoolean("unrestricted"),
          r.getInstant("created_at"));
    }
  }
}
