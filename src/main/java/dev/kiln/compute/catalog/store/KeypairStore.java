package dev.kiln.compute.catalog.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.catalog.Keypair;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The keypair table. */
public final class KeypairStore {
  private static final String COLUMNS = "id, user_id, name, key_type, fingerprint, public_key, created_at";

  private final Sql sql;

  public KeypairStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts a keypair; a name the user already has is a duplicate key. */
  public void insert(String userId, String name, String type, String fingerprint, String publicKey, Instant now) {
    sql.update(
        "INSERT INTO compute_keypair (user_id, name, key_type, fingerprint, public_key, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        userId, name, type, fingerprint, publicKey, now);
  }

  public Optional<Keypair> find(String userId, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM compute_keypair WHERE user_id = ? AND name = ?", KeypairStore::keypair, userId, name);
  }

  /** The user's keypairs by name, after {@code afterName} if given, at most {@code limit} if given. */
  public List<Keypair> list(String userId, String afterName, Integer limit) {
    String where = afterName == null ? " WHERE user_id = ?" : " WHERE user_id = ? AND name > ?";
    String fetch = limit == null ? "" : " LIMIT " + limit;
    return afterName == null
        ? sql.query("SELECT " + COLUMNS + " FROM compute_keypair" + where + " ORDER BY name" + fetch, KeypairStore::keypair, userId)
        : sql.query(
            "SELECT " + COLUMNS + " FROM compute_keypair" + where + " ORDER BY name" + fetch,
            KeypairStore::keypair,
            userId,
            afterName);
  }

  public long count(String userId) {
    return sql.count("SELECT COUNT(*) FROM compute_keypair WHERE user_id = ?", userId);
  }

  public int delete(String userId, String name) {
    return sql.update("DELETE FROM compute_keypair WHERE user_id = ? AND name = ?", userId, name);
  }

  private static Keypair keypair(Sql.Row row) throws SQLException {
    return new Keypair(
        row.getInt("id"),
        row.getString("user_id"),
        row.getString("name"),
        row.getString("key_type"),
        row.getString("fingerprint"),
        row.getString("public_key"),
        row.getInstant("created_at"));
  }
}
