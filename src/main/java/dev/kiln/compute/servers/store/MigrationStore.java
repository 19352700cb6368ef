package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.compute.servers.Migration;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The migration table: Nova's records of resizes and cold migrations. */
public final class MigrationStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, uuid, server_id, project_id, user_id, migration_type, status, source_compute, dest_compute,"
          + " requested_host, old_flavor, new_flavor, old_flavor_seq, new_flavor_seq, old_vm_state, request_id,"
          + " created_at, updated_at";

  private final Sql sql;

  public MigrationStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts the record; its {@code id} is given by the database. */
  public void insert(Migration m) {
    sql.update(
        "INSERT INTO compute_migration (uuid, server_id, project_id, user_id, migration_type, status, source_compute,"
            + " dest_compute, requested_host, old_flavor, new_flavor, old_flavor_seq, new_flavor_seq, old_vm_state,"
            + " request_id, created_at, updated_at) VALUES " + Sql.placeholders(17),
        m.uuid(), m.serverId(), m.projectId(), m.userId(), m.type(), m.status(), m.sourceCompute(), m.destCompute(),
        m.requestedHost(), json(m.oldFlavor()), json(m.newFlavor()), m.oldFlavorSeq(), m.newFlavorSeq(),
        m.oldVmState(), m.requestId(), m.createdAt(), m.updatedAt());
  }

  public Optional<Migration> find(String uuid) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_migration WHERE uuid = ?", MigrationStore::migration, uuid);
  }

  /** The server's newest migration in this status. */
  public Optional<Migration> findByStatus(String serverId, String status) {
    return sql.query(
            "SELECT " + COLUMNS + " FROM compute_migration WHERE server_id = ? AND status = ? ORDER BY created_at DESC, id DESC",
            MigrationStore::migration,
            serverId, status)
        .stream()
        .findFirst();
  }

  /** The server's migrations that are not confirmed, reverted or in error. */
  public List<Migration> unfinished(String serverId) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_migration WHERE server_id = ? AND status NOT IN " + Sql.placeholders(Migration.DONE.size()),
        MigrationStore::migration,
        args(serverId, Migration.DONE));
  }

  /** The migration with Nova's integer id, if it is the server's. */
  public Optional<Migration> find(String serverId, long id) {
    return sql.queryOne(
        "SELECT " + COLUMNS + " FROM compute_migration WHERE server_id = ? AND id = ?", MigrationStore::migration, serverId, id);
  }

  /** The server's migrations of one type in one of these statuses, oldest first. */
  public List<Migration> ofServer(String serverId, String type, java.util.Set<String> statuses) {
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_migration WHERE server_id = ? AND migration_type = ? AND status IN "
            + Sql.placeholders(statuses.size()) + " ORDER BY created_at, id",
        MigrationStore::migration,
        args(serverId, type, statuses));
  }

  private static Object[] args(Object first, Object second, java.util.Collection<String> rest) {
    List<Object> all = new ArrayList<>();
    all.add(first);
    all.add(second);
    all.addAll(rest);
    return all.toArray();
  }

  private static Object[] args(Object first, java.util.Collection<String> rest) {
    List<Object> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray();
  }

  /** Moves the record from {@code from} to {@code to}; answers whether it was in {@code from}. */
  public boolean advance(String uuid, String from, String to, Instant now) {
    return sql.update(
            "UPDATE compute_migration SET status = ?, updated_at = ? WHERE uuid = ? AND status = ?", to, now, uuid, from)
        == 1;
  }

  /** Records the chosen destination while moving the status on from {@code from}. */
  public boolean setDestination(String uuid, String from, String to, String destCompute, Instant now) {
    return sql.update(
            "UPDATE compute_migration SET status = ?, dest_compute = ?, updated_at = ? WHERE uuid = ? AND status = ?",
            to, destCompute, now, uuid, from)
        == 1;
  }

  /** Puts a migration that is not done yet in error; answers whether it was not done. */
  public boolean fail(String uuid, Instant now) {
    return sql.update(
            "UPDATE compute_migration SET status = 'error', updated_at = ?"
                + " WHERE uuid = ? AND status NOT IN " + Sql.placeholders(Migration.DONE.size()),
            args(now, uuid, Migration.DONE))
        == 1;
  }

  /** What a list selects; null means "any". */
  public record Filter(
      String host, String status, String serverId, String type, String sourceCompute, Instant changesSince,
      Instant changesBefore) {}

  /** Newest first (created_at, then id), as Nova sorts them. */
  public List<Migration> list(Filter f) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.host() != null) {
      where.append(" AND (source_compute = ? OR dest_compute = ?)");
      args.add(f.host());
      args.add(f.host());
    }
    if (f.status() != null) {
      where.append(" AND status = ?");
      args.add(f.status());
    }
    if (f.serverId() != null) {
      where.append(" AND server_id = ?");
      args.add(f.serverId());
    }
    if (f.type() != null) {
      where.append(" AND migration_type = ?");
      args.add(f.type());
    }
    if (f.sourceCompute() != null) {
      where.append(" AND source_compute = ?");
      args.add(f.sourceCompute());
    }
    if (f.changesSince() != null) {
      where.append(" AND updated_at >= ?");
      args.add(f.changesSince());
    }
    if (f.changesBefore() != null) {
      where.append(" AND updated_at <= ?");
      args.add(f.changesBefore());
    }
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_migration" + where + " ORDER BY created_at DESC, id DESC",
        MigrationStore::migration,
        args.toArray());
  }

  private static Migration migration(Sql.Row row) throws SQLException {
    return new Migration(
        row.getLong("id"),
        row.getString("uuid"),
        row.getString("server_id"),
        row.getString("project_id"),
        row.getString("user_id"),
        row.getString("migration_type"),
        row.getString("status"),
        row.getString("source_compute"),
        row.getString("dest_compute"),
        row.getString("requested_host"),
        flavor(row.getString("old_flavor")),
        flavor(row.getString("new_flavor")),
        optionalInt(row.getString("old_flavor_seq")),
        optionalInt(row.getString("new_flavor_seq")),
        row.getString("old_vm_state"),
        row.getString("request_id"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"));
  }

  private static Integer optionalInt(String text) {
    return text == null ? null : Integer.valueOf(text);
  }

  private static String json(FlavorSnapshot flavor) {
    try {
      return JSON.writeValueAsString(flavor);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FlavorSnapshot flavor(String json) {
    try {
      return JSON.readValue(json, FlavorSnapshot.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
