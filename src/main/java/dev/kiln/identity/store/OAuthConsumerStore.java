package dev.kiln.identity.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.identity.OAuthConsumer;
import dev.kiln.store.Sql;
import java.util.List;
import java.util.Optional;

/** OS-OAUTH1 consumers. Tokens do not carry them, so identity's revision stays. */
public final class OAuthConsumerStore {
  private static final String COLUMNS = "SELECT id, description, secret, extra FROM identity_oauth_consumer";

  private final Sql sql;

  public OAuthConsumerStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(OAuthConsumer c) {
    sql.update(
        "INSERT INTO identity_oauth_consumer (id, description, secret, extra) VALUES (?, ?, ?, ?)",
        c.id(),
        c.description(),
        c.secret(),
        c.extra());
  }

  public Optional<OAuthConsumer> find(String id) {
    return sql.queryOne(COLUMNS + " WHERE id = ?", OAuthConsumerStore::consumer, id);
  }

  public List<OAuthConsumer> list() {
    return sql.query(COLUMNS + " ORDER BY id", OAuthConsumerStore::consumer);
  }

  public int update(OAuthConsumer c) {
    return sql.update(
        "UPDATE identity_oauth_consumer SET description = ?, extra = ? WHERE id = ?", c.description(), c.extra(), c.id());
  }

  public int delete(String id) {
    return sql.update("DELETE FROM identity_oauth_consumer WHERE id = ?", id);
  }

  private static OAuthConsumer consumer(Sql.Row r) throws java.sql.SQLException {
    return new OAuthConsumer(r.getString("id"), r.getString("description"), r.getString("secret"), r.getString("extra"));
  }
}
