package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.Optional;

/** {@code compute_server_shelve}: the image a shelved server's disk was saved to, and where it was. */
public final class ShelveStore {
  private final Sql sql;

  public ShelveStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** A shelved server's record. */
  public record Shelved(String serverId, String imageId, String shelvedHost, Instant shelvedAt) {}

  /** Records (or, for a repeated shelve, replaces) the server's shelve record. */
  public void put(String serverId, String imageId, String host, Instant now) {
    sql.update("DELETE FROM compute_server_shelve WHERE server_id = ?", serverId);
    sql.update(
        "INSERT INTO compute_server_shelve (server_id, image_id, shelved_host, shelved_at) VALUES (?, ?, ?, ?)",
        serverId, imageId, host, now);
  }

  public Optional<Shelved> find(String serverId) {
    return sql.queryOne(
        "SELECT server_id, image_id, shelved_host, shelved_at FROM compute_server_shelve WHERE server_id = ?",
        row -> new Shelved(row.getString("server_id"), row.getString("image_id"), row.getString("shelved_host"),
            row.getInstant("shelved_at")),
        serverId);
  }

  public void delete(String serverId) {
    sql.update("DELETE FROM compute_server_shelve WHERE server_id = ?", serverId);
  }
}
