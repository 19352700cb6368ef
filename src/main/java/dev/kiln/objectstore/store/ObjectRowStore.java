package dev.kiln.objectstore.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.NameRange;
import dev.kiln.objectstore.StoredObject;
import dev.kiln.store.Dialect;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code objectstore_object} table: one row per object, naming the blob with its bytes. */
public final class ObjectRowStore {
  private static final String COLUMNS =
      "account, container, name, size_bytes, etag, content_type, timestamp_us, metadata, blob_id, headers,"
          + " delete_at";

  private final Dialect dialect;

  public ObjectRowStore(Dialect dialect) {
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  public Optional<StoredObject> find(Sql sql, String account, String container, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM objectstore_object WHERE account = ? AND container = ? AND name = ?",
        ObjectRowStore::row, account, container, name);
  }

  public void insert(Sql sql, StoredObject o) {
    sql.update(
        "INSERT INTO objectstore_object (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        o.account(), o.container(), o.name(), o.size(), o.etag(), o.contentType(), o.timestampMicros(),
        MetadataCodec.encode(o.metadata()), o.blobId(), MetadataCodec.encode(o.headers()), o.deleteAt());
  }

  /** Replaces every column but the key with {@code o}'s. */
  public void replace(Sql sql, StoredObject o) {
    sql.update(
        "UPDATE objectstore_object SET size_bytes = ?, etag = ?, content_type = ?, timestamp_us = ?,"
            + " metadata = ?, blob_id = ?, headers = ?, delete_at = ?"
            + " WHERE account = ? AND container = ? AND name = ?",
        o.size(), o.etag(), o.contentType(), o.timestampMicros(), MetadataCodec.encode(o.metadata()), o.blobId(),
        MetadataCodec.encode(o.headers()), o.deleteAt(), o.account(), o.container(), o.name());
  }

  public boolean delete(Sql sql, String account, String container, String name) {
    return sql.update(
            "DELETE FROM objectstore_object WHERE account = ? AND container = ? AND name = ?",
            account, container, name)
        == 1;
  }

  /**
   * Deletes the object if it is still the version stamped {@code timestampMicros} (an expired one
   * being removed must not take a newer upload with it); answers whether it did.
   */
  public boolean deleteIfUnchanged(Sql sql, String account, String container, String name, long timestampMicros) {
    return sql.update(
            "DELETE FROM objectstore_object WHERE account = ? AND container = ? AND name = ?"
                + " AND timestamp_us = ?",
            account, container, name, timestampMicros)
        == 1;
  }

  public List<StoredObject> page(Sql sql, String account, String container, NameRange range) {
    List<Object> args = new ArrayList<>(List.of(account, container));
    String tail = NameRangeSql.tail(dialect, range, args);
    return sql.query(
        "SELECT " + COLUMNS + " FROM objectstore_object WHERE account = ? AND container = ?" + tail,
        ObjectRowStore::row, args.toArray());
  }

  private static StoredObject row(Sql.Row r) throws java.sql.SQLException {
    return new StoredObject(
        r.getString("account"), r.getString("container"), r.getString("name"), r.getLong("size_bytes"),
        r.getString("etag"), r.getString("content_type"), r.getLong("timestamp_us"),
        MetadataCodec.decode(r.getString("metadata")), r.getString("blob_id"),
        MetadataCodec.decode(r.getString("headers")));
  }
}
