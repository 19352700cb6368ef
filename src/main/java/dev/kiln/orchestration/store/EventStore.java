package dev.kiln.orchestration.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code heat_event}: appended in batches, read in sequence order. */
public final class EventStore {
  private static final String COLUMNS =
      "seq, id, stack_id, root_id, resource_name, physical_id, resource_type, action, status, reason, properties,"
          + " created_at";

  private final Sql sql;

  public EventStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Appends events in the given order (their sequence numbers follow it). */
  public void insertAll(Collection<EventRow> events) {
    List<Object[]> args = new ArrayList<>(events.size());
    for (EventRow e : events) {
      args.add(
          new Object[] {
            e.id(), e.stackId(), e.rootId(), e.resourceName(), e.physicalId(), e.resourceType(), e.action(),
            e.status(), e.reason(), JsonColumns.write(e.properties()), e.createdAt()
          });
    }
    sql.batch(
        "INSERT INTO heat_event (id, stack_id, root_id, resource_name, physical_id, resource_type, action, status,"
            + " reason, properties, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args);
  }

  /** The events of these stacks (optionally of one resource name), oldest first. */
  public List<EventRow> of(Collection<String> stackIds, String resourceName) {
    if (stackIds.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>(stackIds);
    String byName = "";
    if (resourceName != null) {
      byName = " AND resource_name = ?";
      args.add(resourceName);
    }
    return sql.query(
        "SELECT " + COLUMNS + " FROM heat_event WHERE stack_id IN " + Sql.placeholders(stackIds.size()) + byName
            + " ORDER BY seq",
        EventStore::map,
        args.toArray());
  }

  public Optional<EventRow> find(String stackId, String id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM heat_event WHERE stack_id = ? AND id = ?", EventStore::map, stackId, id);
  }

  private static EventRow map(Sql.Row row) throws SQLException {
    return new EventRow(
        row.getLong("seq"),
        row.getString("id"),
        row.getString("stack_id"),
        row.getString("root_id"),
        row.getString("resource_name"),
        row.getString("physical_id"),
        row.getString("resource_type"),
        StackAction.valueOf(row.getString("action")),
        StackStatus.valueOf(row.getString("status")),
        row.getString("reason"),
        JsonColumns.read(row.getString("properties")),
        row.getInstant("created_at"));
  }
}
