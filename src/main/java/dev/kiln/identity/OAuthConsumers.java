package dev.kiln.identity;

import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.OAuthConsumerStore;
import dev.kiln.identity.store.OAuthTokenStore;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** Keystone's OS-OAUTH1 consumers: registered, described, listed and removed by admins. */
public final class OAuthConsumers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final IdGenerator ids;

  public OAuthConsumers(Database db, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  private OAuthConsumerStore store() {
    return new OAuthConsumerStore(db.sql());
  }

  /** Registers a consumer with a fresh secret; the result is the only one that carries it. */
  public OAuthConsumer create(String description, String extra) {
    byte[] secret = new byte[16];
    RANDOM.nextBytes(secret);
    OAuthConsumer c = new OAuthConsumer(ids.hex(), description, HexFormat.of().formatHex(secret), extra);
    store().insert(c);
    return c;
  }

  public OAuthConsumer consumer(String id) {
    return store().find(id).orElseThrow(() -> missing(id));
  }

  public List<OAuthConsumer> consumers() {
    return store().list();
  }

  /** Changes the description and extra attributes; the secret never changes. */
  public OAuthConsumer update(String id, String description, String extra) {
    OAuthConsumer old = consumer(id);
    OAuthConsumer updated = new OAuthConsumer(id, description, old.secret(), extra);
    if (store().update(updated) == 0) {
      throw missing(id);
    }
    return updated;
  }

  /**
   * Deletes a consumer with its request and access tokens (by cascade), revoking the Keystone
   * tokens those access tokens gave, in one transaction.
   */
  public void delete(String id) {
    int deleted = db.inTransaction(sql -> {
      new OAuthTokenStore(sql).revokeTokensOfConsumer(id);
      return new OAuthConsumerStore(sql).delete(id);
    });
    if (deleted == 0) {
      throw missing(id);
    }
  }

  private static RuntimeException missing(String id) {
    return notFound("NotFound", "Could not find consumer: " + id + ".");
  }
}
