package dev.kiln.compute.events.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.events.ExternalEvent;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.util.List;

/** The external events table. */
public final class ExternalEventStore {
  private static final String COLUMNS = "id, server_id, name, tag, status, source, received_at";

  private final Sql sql;

  public ExternalEventStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(ExternalEvent e) {
    sql.update(
        "INSERT INTO compute_external_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.id(), e.serverId(), e.name(), e.tag(), e.status(), e.source().wireName(), e.receivedAt());
  }

  /** A server's events in the order they arrived. */
  public List<ExternalEvent> of(String serverId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_external_event WHERE server_id = ? ORDER BY seq",
        ExternalEventStore::event,
        serverId);
  }

  private static ExternalEvent event(Sql.Row row) throws SQLException {
    return new ExternalEvent(
        row.getString("id"),
        row.getString("server_id"),
        row.getString("name"),
        row.getString("tag"),
        row.getString("status"),
        ExternalEvent.Source.of(row.getString("source")),
        row.getInstant("received_at"));
  }
}
