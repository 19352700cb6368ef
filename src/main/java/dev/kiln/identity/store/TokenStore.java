package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.Optional;

/** The token table. Tokens are looked up by the SHA-256 of their value, never by the value. */
public final class TokenStore {
  private final Sql sql;

  public TokenStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** A token as stored. {@code scopeType} is PROJECT, DOMAIN or UNSCOPED. */
  public record StoredToken(
      String tokenHash,
      String userId,
      String scopeType,
      String scopeId,
      String methods,
      String auditId,
      Instant issuedAt,
      Instant expiresAt,
      boolean revoked) {}

  public void insert(StoredToken t) {
    sql.update(
        "INSERT INTO identity_token (token_hash, user_id, scope_type, scope_id, methods, audit_id,"
            + " issued_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.tokenHash(), t.userId(), t.scopeType(), t.scopeId(), t.methods(), t.auditId(),
        t.issuedAt(), t.expiresAt(), t.revoked());
  }

  public Optional<StoredToken> find(String tokenHash) {
    return sql.queryOne(
        "SELECT token_hash, user_id, scope_type, scope_id, methods, audit_id, issued_at,"
            + " expires_at, revoked FROM identity_token WHERE token_hash = ?",
        r ->
            new StoredToken(
                r.getString("token_hash"),
                r.getString("user_id"),
                r.getString("scope_type"),
                r.getString("scope_id"),
                r.getString("methods"),
                r.getString("audit_id"),
                r.getInstant("issued_at"),
                r.getInstant("expires_at"),
                r.getBoolean("revoked")),
        tokenHash);
  }

  /** Revokes a token; answers whether it was valid until now. */
  public boolean revoke(String tokenHash) {
    return sql.update(
            "UPDATE identity_token SET revoked = TRUE WHERE token_hash = ? AND revoked = FALSE",
            tokenHash)
        == 1;
  }

  /** Revokes every token of a user, as Keystone does when the user is disabled or deleted. */
  public int revokeAllOfUser(String userId) {
    return sql.update(
        "UPDATE identity_token SET revoked = TRUE WHERE user_id = ? AND revoked = FALSE", userId);
  }

  /** Deletes tokens that expired before {@code cutoff}; they can never validate again. */
  public int purgeExpiredBefore(Instant cutoff) {
    return sql.update("DELETE FROM identity_token WHERE expires_at < ?", cutoff);
  }
}
