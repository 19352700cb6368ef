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
      boolean revoked,
      String appCredentialId,
      String trustId,
      String accessTokenId) {}

  public void insert(StoredToken t) {
    sql.update(
        "INSERT INTO identity_token (token_hash, user_id, scope_type, scope_id, methods, audit_id,"
            + " issued_at, expires_at, revoked, app_credential_id, trust_id, access_token_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.tokenHash(), t.userId(), t.scopeType(), t.scopeId(), t.methods(), t.auditId(),
        t.issuedAt(), t.expiresAt(), t.revoked(), t.appCredentialId(), t.trustId(), t.accessTokenId());
  }

  public Optional<StoredToken> find(String tokenHash) {
    return sql.queryOne(
        "SELECT token_hash, user_id, scope_type, scope_id, methods, audit_id, issued_at,"
            + " expires_at, revoked, app_credential_id, trust_id, access_token_id FROM identity_token"
            + " WHERE token_hash = ?",
        TokenStore::storedToken,
        tokenHash);
  }

  private static StoredToken storedToken(Sql.Row r) throws java.sql.SQLException {
    return new StoredToken(
        r.getString("token_hash"),
        r.getString("user_id"),
        r.getString("scope_type"),
        r.getString("scope_id"),
        r.getString("methods"),
        r.getString("audit_id"),
        r.getInstant("issued_at"),
        r.getInstant("expires_at"),
        r.getBoolean("revoked"),
        r.getString("app_credential_id"),
        r.getString("trust_id"),
        r.getString("access_token_id"));
  }

  /** A stored token with identity's revision, read in the same statement. */
  public record TokenState(StoredToken token, long identityRevision) {}

  /**
   * The token and identity's current revision, in one indexed read: what every authenticated
   * request costs when its token's validation is cached.
   */
  public Optional<TokenState> findWithRevision(String tokenHash) {
    return sql.queryOne(
        "SELECT t.token_hash, t.user_id, t.scope_type, t.scope_id, t.methods, t.audit_id,"
            + " t.issued_at, t.expires_at, t.revoked, t.app_credential_id, t.trust_id, t.access_token_id,"
            + " r.revision"
            + " FROM identity_token t"
            + " JOIN identity_revision r ON r.id = 1 WHERE t.token_hash = ?",
        r -> new TokenState(storedToken(r), r.getLong("revision")),
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

  /**
   * Revokes a user's tokens scoped to one project or domain ({@code scopeType} PROJECT or DOMAIN),
   * as Keystone does when a role the user held there is taken away.
   */
  public int revokeAllOfUserOn(String userId, String scopeType, String scopeId) {
    return sql.update(
        "UPDATE identity_token SET revoked = TRUE WHERE user_id = ? AND scope_type = ?"
            + " AND scope_id = ? AND revoked = FALSE",
        userId, scopeType, scopeId);
  }

  /** Deletes tokens that expired before {@code cutoff}; they can never validate again. */
  public int purgeExpiredBefore(Instant cutoff) {
    return sql.update("DELETE FROM identity_token WHERE expires_at < ?", cutoff);
  }
}
