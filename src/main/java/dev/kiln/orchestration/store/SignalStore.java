package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code heat_signal}: a resource's signals, appended, read in order. */
public final class SignalStore {
  private final Sql sql;

  public SignalStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void append(String resourceId, JsonNode details, Instant now) {
    sql.update(
        "INSERT INTO heat_signal (resource_id, details, created_at) VALUES (?, ?, ?)",
        resourceId,
        JsonColumns.write(details),
        now);
  }

  /** The signals the resource received at or after {@code since}, oldest first. */
  public List<JsonNode> since(String resourceId, Instant since) {
    return sql.query(
        "SELECT details FROM heat_signal WHERE resource_id = ? AND created_at >= ? ORDER BY seq",
        row -> JsonColumns.read(row.getString("details")),
        resourceId,
        since);
  }

  /** Every signal the resource received, oldest first. */
  public List<JsonNode> of(String resourceId) {
    return sql.query(
        "SELECT details FROM heat_signal WHERE resource_id = ? ORDER BY seq",
        row -> JsonColumns.read(row.getString("details")),
        resourceId);
  }
}
