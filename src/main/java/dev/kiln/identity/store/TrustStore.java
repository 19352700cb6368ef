package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.Role;
import dev.kiln.identity.Trust;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Trusts and the roles they delegate. */
public final class TrustStore {
  private static final String COLUMNS =
      "id, trustor_user_id, trustee_user_id, project_id, impersonation, expires_at, remaining_uses,"
          + " allow_redelegation, redelegation_count, redelegated_trust_id, created_at";

  private final Sql sql;

  public TrustStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a trust with its roles; the caller holds the transaction. */
  public void insert(Trust t) {
    sql.update(
        "INSERT INTO identity_trust (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.id(), t.trustorUserId(), t.trusteeUserId(), t.projectId(), t.impersonation(),
        t.expiresAt(), t.remainingUses(), t.allowRedelegation(), t.redelegationCount(),
        t.redelegatedTrustId(), t.createdAt());
    List<Object[]> roles = new ArrayList<>();
    for (Role r : t.roles()) {
      roles.add(new Object[] {t.id(), r.id()});
    }
    sql.batch("INSERT INTO identity_trust_role (trust_id, role_id) VALUES (?, ?)", roles);
  }

  public Optional<Trust> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM identity_trust WHERE id = ?", Row::of, id)
        .map(this::withRoles);
  }

  /** Locks a trust's row until the caller's transaction ends; answers whether it is there. */
  public boolean lock(String id) {
    return sql.queryOne("SELECT id FROM identity_trust WHERE id = ? FOR UPDATE", r -> r.getString("id"), id)
        .isPresent();
  }

  /** Trusts, all of them or those of one trustor or trustee (either may be null), oldest first. */
  public List<Trust> list(String trustorUserId, String trusteeUserId) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (trustorUserId != null) {
      where.append(" AND trustor_user_id = ?");
      args.add(trustorUserId);
    }
    if (trusteeUserId != null) {
      where.append(" AND trustee_user_id = ?");
      args.add(trusteeUserId);
    }
    return sql
        .query(
            "SELECT " + COLUMNS + " FROM identity_trust" + where + " ORDER BY created_at, id",
            Row::of,
            args.toArray())
        .stream()
        .map(this::withRoles)
        .toList();
  }

  /**
   * Spends one use of a trust that has a limit, if one is left: a conditional update, so of
   * requests racing for the last use exactly one wins. Answers whether the trust may be used.
   */
  public boolean consumeUse(String id) {
    return sql.update(
                "UPDATE identity_trust SET remaining_uses = remaining_uses - 1"
                    + " WHERE id = ? AND remaining_uses > 0",
                id)
            == 1
        || sql.count(
                "SELECT COUNT(*) FROM identity_trust WHERE id = ? AND remaining_uses IS NULL", id)
            == 1;
  }

  /**
   * Deletes a trust and the trusts redelegated from it (by cascade), and revokes every token they
   * scoped, in the caller's transaction. Answers whether it was there.
   */
  public boolean delete(String id) {
    // The trust locked first: a redelegation of it that holds the lock commits its child before
    // the family below is read, so the child goes too (read before the lock, it was left behind).
    if (!lock(id)) {
      return false;
    }
    List<String> family = new ArrayList<>();
    family.add(id);
    for (int i = 0; i < family.size(); i++) {
      family.addAll(
          sql.query(
              "SELECT id FROM identity_trust WHERE redelegated_trust_id = ?",
              r -> r.getString("id"),
              family.get(i)));
    }
    for (String trustId : family) {
      sql.update(
          "UPDATE identity_token SET revoked = TRUE WHERE trust_id = ? AND revoked = FALSE", trustId);
    }
    return sql.update("DELETE FROM identity_trust WHERE id = ?", id) == 1;
  }

  private Trust withRoles(Row row) {
    List<Role> roles =
        sql.query(
            "SELECT r.id, r.name, r.description FROM identity_role r"
                + " JOIN identity_trust_role t ON t.role_id = r.id"
                + " WHERE t.trust_id = ? ORDER BY r.name",
            r -> new Role(r.getString("id"), r.getString("name"), r.getString("description")),
            row.id());
    return new Trust(
        row.id(), row.trustorUserId(), row.trusteeUserId(), row.projectId(), row.impersonation(),
        row.expiresAt(), row.remainingUses(), row.allowRedelegation(), row.redelegationCount(),
        row.redelegatedTrustId(), roles, row.createdAt());
  }

  private record Row(
      String id,
      String trustorUserId,
      String trusteeUserId,
      String projectId,
      boolean impersonation,
      Instant expiresAt,
      Integer remainingUses,
      boolean allowRedelegation,
      int redelegationCount,
      String redelegatedTrustId,
      Instant createdAt) {
    static Row of(Sql.Row r) throws java.sql.SQLException {
      return new Row(
          r.getString("id"),
          r.getString("trustor_user_id"),
          r.getString("trustee_user_id"),
          r.getString("project_id"),
          r.getBoolean("impersonation"),
          r.getInstant("expires_at"),
          r.getNullableInt("remaining_uses"),
          r.getBoolean("allow_redelegation"),
          r.getInt("redelegation_count"),
          r.getString("redelegated_trust_id"),
          r.getInstant("created_at"));
    }
  }
}
