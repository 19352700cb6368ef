package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.OAuthAccessToken;
import dev.kiln.identity.OAuthRequestToken;
import dev.kiln.identity.Role;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OS-OAUTH1 request and access tokens with their roles. Every change that can end what a Keystone
 * token means (an access token deleted, its consumer deleted) revokes the Keystone tokens issued
 * with it in the same transaction, as deleting a trust does.
 */
public final class OAuthTokenStore {
  private static final String ROLE_COLUMNS = "r.id, r.name, r.description";

  private final Sql sql;

  public OAuthTokenStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insertRequestToken(OAuthRequestToken t, Instant createdAt) {
    sql.update(
        "INSERT INTO identity_oauth_request_token (id, secret, consumer_id, requested_project_id, expires_at,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        t.id(), t.secret(), t.consumerId(), t.requestedProjectId(), t.expiresAt(), createdAt);
  }

  public Optional<OAuthRequestToken> findRequestToken(String id) {
    return sql.queryOne(
            "SELECT id, secret, consumer_id, requested_project_id, verifier, authorizing_user_id, expires_at"
                + " FROM identity_oauth_request_token WHERE id = ?",
            r -> new OAuthRequestToken(
                r.getString("id"), r.getString("secret"), r.getString("consumer_id"),
                r.getString("requested_project_id"), r.getString("verifier"), r.getString("authorizing_user_id"),
                List.of(), r.getInstant("expires_at")),
            id)
        .map(t -> new OAuthRequestToken(
            t.id(), t.secret(), t.consumerId(), t.requestedProjectId(), t.verifier(), t.authorizingUserId(),
            roles("identity_oauth_request_token_role", "request_token_id", t.id()), t.expiresAt()));
  }

  /**
   * Records a user's authorization of a request token with its roles and verifier (a later one
   * replaces an earlier one, as in Keystone); answers whether the token was there.
   */
  public boolean authorize(String id, String userId, String verifier, List<Role> roles) {
    if (sql.update(
            "UPDATE identity_oauth_request_token SET authorizing_user_id = ?, verifier = ? WHERE id = ?",
            userId, verifier, id)
        != 1) {
      return false;
    }
    sql.update("DELETE FROM identity_oauth_request_token_role WHERE request_token_id = ?", id);
    List<Object[]> rows = new ArrayList<>();
    roles.forEach(r -> rows.add(new Object[] {id, r.id()}));
    sql.batch("INSERT INTO identity_oauth_request_token_role (request_token_id, role_id) VALUES (?, ?)", rows);
    return true;
  }

  /**
   * Uses a request token up: deletes it if it is still there with this verifier. Of requests
   * racing to trade one request token, exactly one wins.
   */
  public boolean consumeRequestToken(String id, String verifier) {
    return sql.update("DELETE FROM identity_oauth_request_token WHERE id = ? AND verifier = ?", id, verifier) == 1;
  }

  public void insertAccessToken(OAuthAccessToken t, String secret, Instant createdAt) {
    sql.update(
        "INSERT INTO identity_oauth_access_token (id, secret, consumer_id, authorizing_user_id, project_id,"
            + " expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        t.id(), secret, t.consumerId(), t.authorizingUserId(), t.projectId(), t.expiresAt(), createdAt);
    List<Object[]> rows = new ArrayList<>();
    t.roles().forEach(r -> rows.add(new Object[] {t.id(), r.id()}));
    sql.batch("INSERT INTO identity_oauth_access_token_role (access_token_id, role_id) VALUES (?, ?)", rows);
  }

  public Optional<OAuthAccessToken> findAccessToken(String id) {
    return sql.queryOne(ACCESS_SELECT + " WHERE id = ?", OAuthTokenStore::accessToken, id).map(this::withRoles);
  }

  /** An access token's secret, for checking a signature made with it. */
  public Optional<String> accessTokenSecret(String id) {
    return sql.queryOne("SELECT secret FROM identity_oauth_access_token WHERE id = ?", r -> r.getString("secret"), id);
  }

  /** A user's access tokens, oldest first. */
  public List<OAuthAccessToken> accessTokensOf(String userId) {
    return sql.query(ACCESS_SELECT + " WHERE authorizing_user_id = ? ORDER BY created_at, id", OAuthTokenStore::accessToken,
            userId).stream()
        .map(this::withRoles)
        .toList();
  }

  /** Deletes an access token and revokes the Keystone tokens issued with it; answers whether it was there. */
  public boolean deleteAccessToken(String id) {
    sql.update("UPDATE identity_token SET revoked = TRUE WHERE access_token_id = ? AND revoked = FALSE", id);
    return sql.update("DELETE FROM identity_oauth_access_token WHERE id = ?", id) == 1;
  }

  /** Revokes the Keystone tokens issued with any access token of a consumer (before it is deleted). */
  public int revokeTokensOfConsumer(String consumerId) {
    return sql.update(
        "UPDATE identity_token SET revoked = TRUE WHERE revoked = FALSE AND access_token_id IN"
            + " (SELECT id FROM identity_oauth_access_token WHERE consumer_id = ?)",
        consumerId);
  }

  private static final String ACCESS_SELECT =
      "SELECT id, consumer_id, authorizing_user_id, project_id, expires_at FROM identity_oauth_access_token";

  /** An access token without its roles: they are read once the row's query is done. */
  private static OAuthAccessToken accessToken(Sql.Row r) throws java.sql.SQLException {
    return new OAuthAccessToken(
        r.getString("id"), r.getString("consumer_id"), r.getString("authorizing_user_id"), r.getString("project_id"),
        List.of(), r.getInstant("expires_at"));
  }

  private OAuthAccessToken withRoles(OAuthAccessToken t) {
    return new OAuthAccessToken(
        t.id(), t.consumerId(), t.authorizingUserId(), t.projectId(),
        roles("identity_oauth_access_token_role", "access_token_id", t.id()), t.expiresAt());
  }

  private List<Role> roles(String table, String column, String id) {
    return sql.query(
        "SELECT " + ROLE_COLUMNS + " FROM identity_role r JOIN " + table + " t ON t.role_id = r.id"
            + " WHERE t." + column + " = ? ORDER BY r.name",
        r -> new Role(r.getString("id"), r.getString("name"), r.getString("description")),
        id);
  }
}
