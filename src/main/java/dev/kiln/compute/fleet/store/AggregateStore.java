package dev.kiln.compute.fleet.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.fleet.Aggregate;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aggregate tables, and the one column of the fleet's host table they drive ({@code
 * aggregate_zone}). Every statement is one round trip; the caller decides the transaction.
 */
public final class AggregateStore {
  private static final String COLUMNS = "id, uuid, name, created_at, updated_at";

  private final Sql sql;

  public AggregateStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts the aggregate; a name already taken is a duplicate key. Answers its id. */
  public int insert(String uuid, String name, Instant now) {
    sql.update("INSERT INTO compute_aggregate (uuid, name, created_at) VALUES (?, ?, ?)", uuid, name, now);
    return sql.queryOne("SELECT id FROM compute_aggregate WHERE uuid = ?", row -> row.getInt("id"), uuid)
        .orElseThrow();
  }

  /** Locks the aggregate's row until the transaction ends; answers whether it exists. */
  public boolean lock(int id) {
    return !sql.query("SELECT id FROM compute_aggregate WHERE id = ? FOR UPDATE", row -> row.getInt("id"), id)
        .isEmpty();
  }

  /** Locks the host's row (the one claims update) until the transaction ends. */
  public boolean lockHost(String host) {
    return !sql.query("SELECT name FROM compute_host WHERE name = ? FOR UPDATE", row -> row.getString("name"), host)
        .isEmpty();
  }

  public Optional<Aggregate> find(int id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_aggregate WHERE id = ?", row -> head(row), id)
        .map(this::complete);
  }

  /** Every aggregate, oldest first, with hosts and metadata (three queries, whatever the count). */
  public List<Aggregate> list() {
    List<Head> heads = sql.query("SELECT " + COLUMNS + " FROM compute_aggregate ORDER BY id", AggregateStore::head);
    Map<Integer, List<String>> hosts = new LinkedHashMap<>();
    for (Member m :
        sql.query(
            "SELECT aggregate_id, host FROM compute_aggregate_host ORDER BY aggregate_id, host",
            row -> new Member(row.getInt("aggregate_id"), row.getString("host")))) {
      hosts.computeIfAbsent(m.aggregateId(), k -> new ArrayList<>()).add(m.host());
    }
    Map<Integer, Map<String, String>> metadata = new LinkedHashMap<>();
    for (Entry e :
        sql.query(
            "SELECT aggregate_id, meta_key, meta_value FROM compute_aggregate_metadata ORDER BY aggregate_id, meta_key",
            row -> new Entry(row.getInt("aggregate_id"), row.getString("meta_key"), row.getString("meta_value")))) {
      metadata.computeIfAbsent(e.aggregateId(), k -> new LinkedHashMap<>()).put(e.key(), e.value());
    }
    return heads.stream()
        .map(h -> h.with(hosts.getOrDefault(h.id(), List.of()), metadata.getOrDefault(h.id(), Map.of())))
        .toList();
  }

  public boolean nameTaken(String name, int exceptId) {
    return sql.count("SELECT COUNT(*) FROM compute_aggregate WHERE name = ? AND id <> ?", name, exceptId) > 0;
  }

  public void rename(int id, String name, Instant now) {
    sql.update("UPDATE compute_aggregate SET name = ?, updated_at = ? WHERE id = ?", name, now, id);
  }

  public void touch(int id, Instant now) {
    sql.update("UPDATE compute_aggregate SET updated_at = ? WHERE id = ?", now, id);
  }

  public int delete(int id) {
    return sql.update("DELETE FROM compute_aggregate WHERE id = ?", id);
  }

  public void addHost(int id, String host) {
    sql.update("INSERT INTO compute_aggregate_host (aggregate_id, host) VALUES (?, ?)", id, host);
  }

  public int removeHost(int id, String host) {
    return sql.update("DELETE FROM compute_aggregate_host WHERE aggregate_id = ? AND host = ?", id, host);
  }

  /** Sets a metadata key, or removes it when {@code value} is null. */
  public void putMetadata(int id, String key, String value) {
    sql.update("DELETE FROM compute_aggregate_metadata WHERE aggregate_id = ? AND meta_key = ?", id, key);
    if (value != null) {
      sql.update(
          "INSERT INTO compute_aggregate_metadata (aggregate_id, meta_key, meta_value) VALUES (?, ?, ?)",
          id, key, value);
    }
  }

  /** The zones that aggregates other than {@code exceptId} give the host (none, or one). */
  public List<String> zonesOf(String host, int exceptId) {
    return sql.query(
        "SELECT DISTINCT m.meta_value FROM compute_aggregate_host ah JOIN compute_aggregate_metadata m"
            + " ON m.aggregate_id = ah.aggregate_id AND m.meta_key = ?"
            + " WHERE ah.host = ? AND ah.aggregate_id <> ? ORDER BY m.meta_value",
        row -> row.getString("meta_value"),
        Aggregate.ZONE_KEY, host, exceptId);
  }

  /** How many claims (servers, incoming moves) the host holds. */
  public long claimsOn(String host) {
    return sql.count("SELECT COUNT(*) FROM compute_host_claim WHERE host = ?", host);
  }

  /** Recomputes the zone the host's aggregates give it, after its aggregates changed. */
  public void refreshZone(String host) {
    sql.update(
        "UPDATE compute_host SET aggregate_zone = (SELECT MIN(m.meta_value) FROM compute_aggregate_host ah"
            + " JOIN compute_aggregate_metadata m ON m.aggregate_id = ah.aggregate_id AND m.meta_key = ?"
            + " WHERE ah.host = compute_host.name) WHERE name = ?",
        Aggregate.ZONE_KEY, host);
  }

  private Aggregate complete(Head head) {
    List<String> hosts =
        sql.query(
            "SELECT host FROM compute_aggregate_host WHERE aggregate_id = ? ORDER BY host",
            row -> row.getString("host"),
            head.id());
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Entry e :
        sql.query(
            "SELECT aggregate_id, meta_key, meta_value FROM compute_aggregate_metadata WHERE aggregate_id = ?"
                + " ORDER BY meta_key",
            row -> new Entry(row.getInt("aggregate_id"), row.getString("meta_key"), row.getString("meta_value")),
            head.id())) {
      metadata.put(e.key(), e.value());
    }
    return head.with(hosts, metadata);
  }

  private record Member(int aggregateId, String host) {}

  private record Entry(int aggregateId, String key, String value) {}

  private record Head(int id, String uuid, String name, Instant createdAt, Instant updatedAt) {
    Aggregate with(List<String> hosts, Map<String, String> metadata) {
      return new Aggregate(id, uuid, name, hosts, metadata, createdAt, updatedAt);
    }
  }

  private static Head head(Sql.Row row) throws SQLException {
    return new Head(
        row.getInt("id"),
        row.getString("uuid"),
        row.getString("name"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"));
  }
}
