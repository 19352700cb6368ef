package dev.kiln.objectstore.store;

import dev.kiln.objectstore.Metadata;
import dev.kiln.store.Sql;
import java.util.Optional;

/** The {@code objectstore_account} table. */
public final class AccountStore {
  /** An account's own row, without its totals. */
  public record Row(String account, long createdMicros, Metadata metadata) {}

  public Optional<Row> find(Sql sql, String account) {
    return sql.queryOne(
        "SELECT account, created_us, metadata FROM objectstore_account WHERE account = ?",
        AccountStore::row, account);
  }

  /**
   * The account's row, locked for the rest of the transaction, written first if the account has
   * none yet (two requests doing this at once end with one row).
   */
  public Row lockOrCreate(Sql sql, String account, long nowMicros) {
    sql.update(
        "INSERT INTO objectstore_account (account, created_us, metadata) VALUES (?, ?, '{}')"
            + " ON CONFLICT DO NOTHING",
        account, nowMicros);
    return sql.queryOne(
            "SELECT account, created_us, metadata FROM objectstore_account WHERE account = ? FOR UPDATE",
            AccountStore::row, account)
        .orElseThrow(() -> new IllegalStateException("account row vanished: " + account));
  }

  public void setMetadata(Sql sql, String account, Metadata metadata) {
    sql.update("UPDATE objectstore_account SET metadata = ? WHERE account = ?", MetadataCodec.encode(metadata), account);
  }

  /** Container count, object count and bytes used, summed over the account's containers. */
  public long[] totals(Sql sql, String account) {
    return sql.queryOne(
            "SELECT COUNT(*), COALESCE(SUM(object_count), 0), COALESCE(SUM(bytes_used), 0)"
                + " FROM objectstore_container WHERE account = ?",
            r -> new long[] {r.getLong(1), r.getLong(2), r.getLong(3)}, account)
        .orElse(new long[3]);
  }

  private static Row row(Sql.Row r) throws java.sql.SQLException {
    return new Row(r.getString("account"), r.getLong("created_us"), MetadataCodec.decode(r.getString("metadata")));
  }
}
