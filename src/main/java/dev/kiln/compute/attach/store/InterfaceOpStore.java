package dev.kiln.compute.attach.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.InterfaceOp;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The interface operations under way or just ended ({@code compute_interface_op}). */
public final class InterfaceOpStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, server_id, kind, port_id, owned_by_compute, network_id, fixed_ips, tag, request_id, user_id, status,"
          + " error_kind, error_type, error_message, created_at";

  private final Sql sql;

  public InterfaceOpStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  public void insert(InterfaceOp op) {
    sql.update(
        "INSERT INTO compute_interface_op (" + COLUMNS + ", updated_at) VALUES " + Sql.placeholders(16),
        op.id(), op.serverId(), op.kind().name(), op.portId(), op.ownedByCompute(), op.networkId(),
        json(op.fixedIps()), op.tag(), op.requestId(), op.userId(), op.status().name(), null, null, null,
        op.createdAt(), op.createdAt());
  }

  public Optional<InterfaceOp> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_interface_op WHERE id = ?", InterfaceOpStore::op, id);
  }

  /** Records the port a network attach made, once; answers whether this call recorded it. */
  public boolean setMadePort(String id, String portId, Instant now) {
    return sql.update(
            "UPDATE compute_interface_op SET port_id = ?, updated_at = ? WHERE id = ? AND port_id IS NULL",
            portId, now, id)
        == 1;
  }

  /** Ends a pending operation; answers false when it had ended already. */
  public boolean settle(String id, InterfaceOp.Status status, InterfaceOp.Error error, Instant now) {
    return sql.update(
            "UPDATE compute_interface_op SET status = ?, error_kind = ?, error_type = ?, error_message = ?,"
                + " updated_at = ? WHERE id = ? AND status = 'PENDING'",
            status.name(), error == null ? null : error.kind().name(), error == null ? null : error.type(),
            error == null ? null : truncate(error.message()), now, id)
        == 1;
  }

  /** Forgets an ended operation once its request has read the outcome. */
  public void delete(String id) {
    sql.update("DELETE FROM compute_interface_op WHERE id = ? AND status <> 'PENDING'", id);
  }

  /** The ports pending operations of this server are attaching or detaching. */
  public List<String> pendingPorts(String serverId) {
    return sql.query(
        "SELECT port_id FROM compute_interface_op WHERE server_id = ? AND status = 'PENDING' AND port_id IS NOT NULL",
        row -> row.getString("port_id"),
        serverId);
  }

  private static InterfaceOp op(Sql.Row row) throws SQLException {
    String errorKind = row.getString("error_kind");
    return new InterfaceOp(
        row.getString("id"),
        row.getString("server_id"),
        InterfaceOp.Kind.valueOf(row.getString("kind")),
        row.getString("port_id"),
        row.getBoolean("owned_by_compute"),
        row.getString("network_id"),
        list(row.getString("fixed_ips")),
        row.getString("tag"),
        row.getString("request_id"),
        row.getString("user_id"),
        InterfaceOp.Status.valueOf(row.getString("status")),
        errorKind == null
            ? null
            : new InterfaceOp.Error(
                ServiceException.Kind.valueOf(errorKind), row.getString("error_type"), row.getString("error_message")),
        row.getInstant("created_at"));
  }

  private static String truncate(String message) {
    return message.length() > 2000 ? message.substring(0, 2000) : message;
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> list(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
