package dev.kiln.objectstore.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.Container;
import dev.kiln.objectstore.Metadata;
import dev.kiln.objectstore.NameRange;
import dev.kiln.store.Dialect;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code objectstore_container} table. */
public final class ContainerStore {
  private static final String COLUMNS =
      "account, name, created_us, metadata, object_count, bytes_used, read_acl, write_acl";

  private final Dialect dialect;

  public ContainerStore(Dialect dialect) {
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  public Optional<Container> find(Sql sql, String account, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM objectstore_container WHERE account = ? AND name = ?",
        ContainerStore::row, account, name);
  }

  /** The container, its row locked until the transaction ends. */
  public Optional<Container> lock(Sql sql, String account, String name) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM objectstore_container WHERE account = ? AND name = ? FOR UPDATE",
        ContainerStore::row, account, name);
  }

  public void insert(Sql sql, Container c) {
    sql.update(
        "INSERT INTO objectstore_container (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        c.account(), c.name(), c.createdMicros(), MetadataCodec.encode(c.metadata()), c.objectCount(), c.bytesUsed(),
        c.readAcl(), c.writeAcl());
  }

  /** Sets both ACLs (null for none); call with the container's row locked. */
  public void setAcl(Sql sql, String account, String name, dev.kiln.objectstore.ContainerAcl acl) {
    sql.update(
        "UPDATE objectstore_container SET read_acl = ?, write_acl = ? WHERE account = ? AND name = ?",
        acl.read(), acl.write(), account, name);
  }

  public void setMetadata(Sql sql, String account, String name, Metadata metadata) {
    sql.update(
        "UPDATE objectstore_container SET metadata = ? WHERE account = ? AND name = ?",
        MetadataCodec.encode(metadata), account, name);
  }

  /** Adds to the container's totals (negative to take away); call with its row locked. */
  public void addToTotals(Sql sql, String account, String name, long objects, long bytes) {
    sql.update(
        "UPDATE objectstore_container SET object_count = object_count + ?, bytes_used = bytes_used + ?"
            + " WHERE account = ? AND name = ?",
        objects, bytes, account, name);
  }

  /** Deletes the container if it holds no objects; answers whether it did. */
  public boolean deleteIfEmpty(Sql sql, String account, String name) {
    return sql.update(
            "DELETE FROM objectstore_container WHERE account = ? AND name = ? AND object_count = 0"
                + " AND NOT EXISTS (SELECT 1 FROM objectstore_object o WHERE o.account = ? AND o.container = ?)",
            account, name, account, name)
        == 1;
  }

  public List<Container> page(Sql sql, String account, NameRange range) {
    List<Object> args = new ArrayList<>(List.of(account));
    String tail = NameRangeSql.tail(dialect, range, args);
    return sql.query(
        "SELECT " + COLUMNS + " FROM objectstore_container WHERE account = ?" + tail,
        ContainerStore::row, args.toArray());
  }

  private static Container row(Sql.Row r) throws java.sql.SQLException {
    return new Container(
        r.getString("account"), r.getString("name"), r.getLong("created_us"),
        MetadataCodec.decode(r.getString("metadata")), r.getLong("object_count"), r.getLong("bytes_used"),
        r.getString("read_acl"), r.getString("write_acl"));
  }
}
