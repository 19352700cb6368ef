package dev.kiln.volume.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Sql;
import dev.kiln.volume.UserMessage;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The user message table; the caller's transaction. */
public final class MessageStore {
  private static final String COLUMNS =
      "id, project_id, request_id, resource_type, resource_uuid, event_id, message_level, user_message, created_at,"
          + " expires_at";

  private final Sql sql;

  public MessageStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(UserMessage m) {
    sql.update(
        "INSERT INTO volume_message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m.id(), m.projectId(), m.requestId(), m.resourceType(), m.resourceUuid(), m.eventId(), m.messageLevel(),
        m.userMessage(), m.createdAt(), m.expiresAt());
  }

  /** The message, unless it expired before {@code now}. */
  public Optional<UserMessage> find(String id, Instant now) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM volume_message WHERE id = ? AND expires_at > ?", MessageStore::message, id, now);
  }

  /** A project's unexpired messages (every project's when {@code projectId} is null), oldest first. */
  public List<UserMessage> list(String projectId, Instant now) {
    return projectId == null
        ? sql.query("SELECT " + COLUMNS + " FROM volume_message WHERE expires_at > ? ORDER BY created_at, id",
            MessageStore::message, now)
        : sql.query("SELECT " + COLUMNS + " FROM volume_message WHERE project_id = ? AND expires_at > ?"
            + " ORDER BY created_at, id", MessageStore::message, projectId, now);
  }

  public int delete(String id) {
    return sql.update("DELETE FROM volume_message WHERE id = ?", id);
  }

  private static UserMessage message(Sql.Row r) throws SQLException {
    return new UserMessage(
        r.getString("id"), r.getString("project_id"), r.getString("request_id"), r.getString("resource_type"),
        r.getString("resource_uuid"), r.getString("event_id"), r.getString("message_level"), r.getString("user_message"),
        r.getInstant("created_at"), r.getInstant("expires_at"));
  }
}
