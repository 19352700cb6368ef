package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The instance action tables: a server's recorded actions and their events. */
public final class InstanceActionStore {
  private static final String COLUMNS = "server_id, request_id, action, project_id, user_id, start_time, updated_at";

  private final Sql sql;

  public InstanceActionStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(String serverId, String requestId, String action, String projectId, String userId, Instant now) {
    sql.update(
        "INSERT INTO compute_instance_action (" + COLUMNS + ") VALUES " + Sql.placeholders(7),
        serverId, requestId, action, projectId, userId, now, now);
  }

  /** Newest first. */
  public List<InstanceAction> list(String serverId) {
    return list(serverId, null, null, null, null);
  }

  /**
   * Newest first (by start time, then request id, as Nova's created_at and id), after {@code
   * after} in that order, updated at or after {@code changesSince} and at or before {@code
   * changesBefore}, at most {@code limit}; each null for no bound.
   */
  public List<InstanceAction> list(
      String serverId, InstanceAction after, Instant changesSince, Instant changesBefore, Integer limit) {
    StringBuilder query = new StringBuilder("SELECT " + COLUMNS + " FROM compute_instance_action WHERE server_id = ?");
    List<Object> params = new ArrayList<>(List.of(serverId));
    if (changesSince != null) {
      query.append(" AND updated_at >= ?");
      params.add(changesSince);
    }
    if (changesBefore != null) {
      query.append(" AND updated_at <= ?");
      params.add(changesBefore);
    }
    if (after != null) {
      query.append(" AND (start_time < ? OR (start_time = ? AND request_id < ?))");
      params.addAll(List.of(after.startTime(), after.startTime(), after.requestId()));
    }
    query.append(" ORDER BY start_time DESC, request_id DESC");
    if (limit != null) {
      query.append(" LIMIT ?");
      params.add(limit);
    }
    return sql.query(query.toString(), InstanceActionStore::action, params.toArray());
  }

  /**
   * The project of the server's recorded actions (all carry the server's), which outlive the
   * server: who may read a deleted server's actions.
   */
  public Optional<String> projectOf(String serverId) {
    return sql.queryOne(
        "SELECT project_id FROM compute_instance_action WHERE server_id = ? ORDER BY start_time LIMIT 1",
        row -> row.getString("project_id"),
        serverId);
  }

  public Optional<InstanceAction> find(String serverId, String requestId) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM compute_instance_action WHERE server_id = ? AND request_id = ?",
        InstanceActionStore::action,
        serverId, requestId);
  }

  /** Starts an event; starting it again (a retried task) is harmless. */
  public void startEvent(String serverId, String requestId, String event, String host, Instant now) {
    if (sql.count(
            "SELECT COUNT(*) FROM compute_instance_action_event WHERE server_id = ? AND request_id = ? AND event = ?",
            serverId, requestId, event)
        == 0) {
      sql.update(
          "INSERT INTO compute_instance_action_event (server_id, request_id, event, host, start_time) VALUES (?, ?, ?, ?, ?)",
          serverId, requestId, event, host, now);
    }
    sql.update(
        "UPDATE compute_instance_action SET updated_at = ? WHERE server_id = ? AND request_id = ?", now, serverId, requestId);
  }

  /**
   * Records an event that started and finished at once (an action done within its request), in
   * one statement rather than a start and a finish.
   *
   * @param traceback null on success
   */
  public void insertFinishedEvent(String serverId, String requestId, String event, String host, String traceback, Instant now) {
    insertFinishedEvent(serverId, requestId, event, host, traceback, now, now);
  }

  /** Records an event that started at {@code start} and is over. */
  public void insertFinishedEvent(
      String serverId, String requestId, String event, String host, String traceback, Instant start, Instant finish) {
    sql.update(
        "INSERT INTO compute_instance_action_event (server_id, request_id, event, host, start_time, finish_time, result, traceback)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        serverId, requestId, event, host, start, finish, traceback == null ? "Success" : "Error", traceback);
  }

  /** @param traceback null on success */
  public void finishEvent(String serverId, String requestId, String event, String traceback, Instant now) {
    sql.update(
        "UPDATE compute_instance_action_event SET finish_time = ?, result = ?, traceback = ?"
            + " WHERE server_id = ? AND request_id = ? AND event = ?",
        now, traceback == null ? "Success" : "Error", traceback, serverId, requestId, event);
    sql.update(
        "UPDATE compute_instance_action SET updated_at = ? WHERE server_id = ? AND request_id = ?", now, serverId, requestId);
  }

  public List<InstanceAction.Event> events(String serverId, String requestId) {
    return sql.query(
        "SELECT event, host, start_time, finish_time, result, traceback FROM compute_instance_action_event"
            + " WHERE server_id = ? AND request_id = ? ORDER BY start_time, event",
        row -> new InstanceAction.Event(
            row.getString("event"), row.getString("host"), row.getInstant("start_time"), row.getInstant("finish_time"),
            row.getString("result"), row.getString("traceback")),
        serverId, requestId);
  }

  private static InstanceAction action(Sql.Row row) throws SQLException {
    return new InstanceAction(
        row.getString("server_id"), row.getString("request_id"), row.getString("action"), row.getString("project_id"),
        row.getString("user_id"), row.getInstant("start_time"), row.getInstant("updated_at"));
  }
}
