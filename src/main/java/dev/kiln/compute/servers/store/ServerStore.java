package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.quotas.store.ComputeQuotaStore;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server tables: servers, their plugged ports and their metadata.
 *
 * <p>Why over 400 lines: every conditional update of compute_server (one per state transition) is
 * here, so that the server state machine's SQL is in one place; the list's keyset queries are the
 * rest.
 *
 * <p>A server's insert, its delete and the end of a resize (the only writes of its project, user
 * or flavor) also change its owner's row in compute_usage; each must run in the caller's
 * transaction so that the two change together.
 */
public final class ServerStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, project_id, user_id, name, description, status, task_state, vm_state, power_state, host,"
          + " availability_zone, flavor_id, flavor_name, flavor_vcpus, flavor_ram_mb, flavor_disk_gb,"
          + " flavor_ephemeral_gb, flavor_swap_mb, flavor_extra_specs, image_id, key_name, user_data,"
          + " created_at, updated_at, launched_at, locked, locked_reason, fault_code, fault_message, fault_details, fault_created,"
          + " reservation_id, launch_index, access_ip_v4, access_ip_v6, disk_config";

  private final Sql sql;

  public ServerStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** The availability zone the server's create asked for, or null when it asked for none. */
  public String requestedZone(String id) {
    return sql.query(
            "SELECT requested_availability_zone FROM compute_server WHERE id = ?",
            row -> Optional.ofNullable(row.getString("requested_availability_zone")), id)
        .stream().findFirst().flatMap(z -> z).orElse(null);
  }

  public void insert(Server s) {
    FlavorSnapshot f = s.flavor();
    sql.update(
        // Before placement a server's zone is the one its create asked for (or none).
        "INSERT INTO compute_server (" + COLUMNS + ", requested_availability_zone) VALUES " + Sql.placeholders(37),
        s.id(), s.projectId(), s.userId(), s.name(), s.description(), s.status(), s.taskState(), s.vmState(),
        s.powerState(), s.host(), s.availabilityZone(), f.id(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(),
        f.ephemeralGb(), f.swapMb(), json(f.extraSpecs()), s.imageId(), s.keyName(), s.userData(),
        s.createdAt(), s.updatedAt(), s.launchedAt(), s.locked(), s.lockedReason(), null, null, null, null,
        s.reservationId(), s.launchIndex(), s.attributes().accessIpv4(), s.attributes().accessIpv6(),
        s.attributes().diskConfig(), s.availabilityZone());
    new ComputeQuotaStore(sql).count(s.projectId(), s.userId(), 1, f.vcpus(), f.ramMb());
    // A new server has no metadata rows to replace: only inserts.
    for (Map.Entry<String, String> e : s.metadata().entrySet()) {
      sql.update(
          "INSERT INTO compute_server_metadata (server_id, meta_key, meta_value) VALUES (?, ?, ?)",
          s.id(), e.getKey(), e.getValue());
    }
    for (int i = 0; i < s.ports().size(); i++) {
      addPort(s.id(), s.ports().get(i), i);
    }
  }

  /** The server's row alone, without its metadata and ports: for steps that need neither. */
  public Optional<Server> findRow(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_server WHERE id = ?", ServerStore::server, id);
  }

  public Optional<Server> find(String id) {
    return sql.queryOne("SELECT " + COLUMNS + " FROM compute_server WHERE id = ?", ServerStore::server, id).map(this::complete);
  }

  /**
   * Servers newest first, of one project or (null) all, without their metadata and ports: pass
   * the ones to show to {@link #complete}.
   */
  public List<Server> list(String projectId) {
    return page(new ListFilter(projectId, null, null, null, null, null), null, Integer.MAX_VALUE);
  }

  /**
   * What SQL filters a server list on; null means "any". The name filter is a regular expression
   * (Nova's), which SQL cannot apply the same way on both databases, so the caller applies it.
   */
  public record ListFilter(
      String projectId,
      String status,
      String host,
      Instant changesSince,
      String imageId,
      String flavorId,
      String reservationId) {

    public ListFilter(String projectId, String status, String host, Instant changesSince, String imageId, String flavorId) {
      this(projectId, status, host, changesSince, imageId, flavorId, null);
    }
  }

  /** A place in the list order (created_at DESC, id DESC): a page starts after this row. */
  public record Cursor(Instant createdAt, String id) {
    public static Cursor of(Server s) {
      return new Cursor(s.createdAt(), s.id());
    }
  }

  /**
   * Where the server is in the list order, if it exists and (when {@code projectId} is given)
   * belongs to that project.
   */
  public Optional<Cursor> cursorOf(String id, String projectId) {
    return projectId == null
        ? sql.queryOne(
            "SELECT id, created_at FROM compute_server WHERE id = ?",
            row -> new Cursor(row.getInstant("created_at"), row.getString("id")),
            id)
        : sql.queryOne(
            "SELECT id, created_at FROM compute_server WHERE id = ? AND project_id = ?",
            row -> new Cursor(row.getInstant("created_at"), row.getString("id")),
            id,
            projectId);
  }

  /**
   * At most {@code max} servers that match {@code filter}, newest first (created_at DESC, id
   * DESC), strictly after {@code after} (null: from the newest), without metadata and ports. The
   * cursor is a keyset: a page costs the same however deep it is.
   */
  public List<Server> page(ListFilter filter, Cursor after, int max) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    condition(where, args, "project_id", filter.projectId());
    condition(where, args, "status", filter.status());
    condition(where, args, "host", filter.host());
    condition(where, args, "image_id", filter.imageId());
    condition(where, args, "flavor_id", filter.flavorId());
    condition(where, args, "reservation_id", filter.reservationId());
    if (filter.changesSince() != null) {
      where.append(" AND updated_at >= ?");
      args.add(filter.changesSince());
    }
    if (after != null) {
      // The first term bounds an index range scan; the second breaks ties within one instant.
      where.append(" AND created_at <= ? AND (created_at < ? OR id < ?)");
      args.add(after.createdAt());
      args.add(after.createdAt());
      args.add(after.id());
    }
    args.add(max);
    // The columns fixed by the filter lead the ORDER BY too: it changes nothing in the order, but
    // H2 only reads an index in order (and stops at the LIMIT) when the ORDER BY starts as the
    // index does; else it sorts every matching row first.
    String order =
        filter.projectId() == null ? "" : filter.status() == null ? "project_id, " : "project_id, status, ";
    return sql.query(
        "SELECT " + COLUMNS + " FROM compute_server" + where + " ORDER BY " + order + "created_at DESC, id DESC LIMIT ?",
        ServerStore::server,
        args.toArray());
  }

  private static void condition(StringBuilder where, List<Object> args, String column, String value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
  }

  /**
   * The servers with their metadata and ports, in their order: two queries for the lot, not two
   * per server.
   */
  public List<Server> complete(List<Server> servers) {
    if (servers.isEmpty()) {
      return List.of();
    }
    Object[] ids = servers.stream().map(Server::id).toArray();
    String in = Sql.placeholders(ids.length);
    Map<String, Map<String, String>> metadata = new HashMap<>();
    sql.query(
        "SELECT server_id, meta_key, meta_value FROM compute_server_metadata WHERE server_id IN " + in,
        row -> metadata.computeIfAbsent(row.getString("server_id"), k -> new TreeMap<>())
            .put(row.getString("meta_key"), row.getString("meta_value")),
        ids);
    Map<String, List<PluggedPort>> ports = new HashMap<>();
    sql.query(
        "SELECT server_id, port_id, owned_by_compute FROM compute_server_port WHERE server_id IN " + in
            + " ORDER BY server_id, position",
        row -> ports.computeIfAbsent(row.getString("server_id"), k -> new ArrayList<>())
            .add(new PluggedPort(row.getString("port_id"), row.getBoolean("owned_by_compute"))),
        ids);
    List<Server> result = new ArrayList<>(servers.size());
    for (Server s : servers) {
      result.add(s.withDetails(metadata.getOrDefault(s.id(), Map.of()), ports.getOrDefault(s.id(), List.of())));
    }
    return result;
  }

  public List<String[]> onHost(String host) {
    return sql.query(
        "SELECT id, name FROM compute_server WHERE host = ? ORDER BY created_at",
        row -> new String[] {row.getString("id"), row.getString("name")},
        host);
  }

  /** Moves the server from {@code from} status; answers whether it was there. */
  public boolean transition(
      String id, String from, String status, String vmState, int powerState, String taskState, Instant launchedAt, Instant now) {
    return sql.update(
            "UPDATE compute_server SET status = ?, vm_state = ?, power_state = ?,"
                + " task_state = CASE WHEN task_state = 'deleting' THEN task_state ELSE CAST(? AS VARCHAR(64)) END,"
                + " launched_at = COALESCE(?, launched_at), updated_at = ? WHERE id = ? AND status = ?",
            status, vmState, powerState, taskState, launchedAt, now, id, from)
        == 1;
  }

  public void setHost(String id, String host, String zone, Instant now) {
    sql.update(
        "UPDATE compute_server SET host = ?, availability_zone = ?, updated_at = ? WHERE id = ?", host, zone, now, id);
  }

  /**
   * Records where a building server was placed and the build's next step, in one statement (the
   * task state as {@link #setTaskState} sets it: never over {@code deleting}).
   */
  public void setHostAndTaskState(String id, String host, String zone, String taskState, Instant now) {
    sql.update(
        "UPDATE compute_server SET host = ?, availability_zone = ?, updated_at = ?,"
            + " task_state = CASE WHEN task_state = 'deleting' THEN task_state ELSE CAST(? AS VARCHAR(64)) END"
            + " WHERE id = ?",
        host, zone, now, taskState, id);
  }

  public boolean fail(String id, Fault fault, Instant now) {
    return sql.update(
            "UPDATE compute_server SET status = 'ERROR', vm_state = 'error', power_state = 0,"
                + " task_state = CASE WHEN task_state = 'deleting' THEN task_state ELSE NULL END, fault_code = ?, fault_message = ?, fault_details = ?, fault_created = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'BUILD'",
            fault.code(), fault.message(), fault.details(), fault.created(), now, id)
        == 1;
  }

  /** Puts any server in ERROR with this fault (a delete the hypervisor refused). */
  public void setError(String id, Fault fault, Instant now) {
    sql.update(
        "UPDATE compute_server SET status = 'ERROR', vm_state = 'error', task_state = NULL,"
            + " fault_code = ?, fault_message = ?, fault_details = ?, fault_created = ?, updated_at = ? WHERE id = ?",
        fault.code(), fault.message(), fault.details(), fault.created(), now, id);
  }

  /**
   * Starts an action: sets the task state (and the status shown meanwhile) if the server is still
   * in the vm and task state the caller checked; answers whether it was, so of two racing actions
   * only one wins.
   */
  public boolean beginAction(
      String id, String fromVmState, String fromTaskState, String taskState, String status, Instant now) {
    return fromTaskState == null
        ? sql.update(
                "UPDATE compute_server SET task_state = ?, status = ?, updated_at = ?"
                    + " WHERE id = ? AND vm_state = ? AND task_state IS NULL",
                taskState, status, now, id, fromVmState)
            == 1
        : sql.update(
                "UPDATE compute_server SET task_state = ?, status = ?, updated_at = ?"
                    + " WHERE id = ? AND vm_state = ? AND task_state = ?",
                taskState, status, now, id, fromVmState, fromTaskState)
            == 1;
  }

  /**
   * Ends an action still under way (task state {@code taskState}; not when a delete or another
   * action took over): the server gets this state and its task state is cleared; {@code
   * clearFault} drops an earlier fault (a server leaving ERROR), else it is kept.
   */
  public boolean finishAction(
      String id, String taskState, String status, String vmState, int powerState, boolean clearFault, Instant now) {
    return sql.update(
            "UPDATE compute_server SET status = ?, vm_state = ?, power_state = ?, task_state = NULL,"
                + (clearFault ? " fault_code = NULL, fault_message = NULL, fault_details = NULL, fault_created = NULL," : "")
                + " updated_at = ? WHERE id = ? AND task_state = ?",
            status, vmState, powerState, now, id, taskState)
        == 1;
  }

  /**
   * A shelve still under way (task state {@code fromTask}) has saved the disk: the server is
   * SHELVED, powered off, and its task state moves on to {@code toTask} (the offload), or is
   * cleared when {@code toTask} is null.
   */
  public boolean shelved(String id, String fromTask, String toTask, Instant now) {
    return sql.update(
            "UPDATE compute_server SET status = 'SHELVED', vm_state = 'shelved', power_state = 4, task_state = ?,"
                + " updated_at = ? WHERE id = ? AND task_state = ?",
            toTask, now, id, fromTask)
        == 1;
  }

  /**
   * An offload still under way (task state {@code shelving_offloading}) is done: the server is off
   * its host (host cleared, the zone kept), SHELVED_OFFLOADED.
   */
  public boolean offloaded(String id, Instant now) {
    return sql.update(
            "UPDATE compute_server SET host = NULL, status = 'SHELVED_OFFLOADED', vm_state = 'shelved_offloaded',"
                + " power_state = 4, task_state = NULL, updated_at = ? WHERE id = ? AND task_state = 'shelving_offloading'",
            now, id)
        == 1;
  }

  /** Ends an action still under way (task state {@code taskState}) in ERROR with this fault. */
  public boolean failAction(String id, String taskState, Fault fault, Instant now) {
    return sql.update(
            "UPDATE compute_server SET status = 'ERROR', vm_state = 'error', task_state = NULL,"
                + " fault_code = ?, fault_message = ?, fault_details = ?, fault_created = ?, updated_at = ?"
                + " WHERE id = ? AND task_state = ?",
            fault.code(), fault.message(), fault.details(), fault.created(), now, id, taskState)
        == 1;
  }

  /** Who locked the server, {@code owner} or {@code admin}, as Nova's {@code locked_by}; null when unlocked. */
  public String lockedBy(String id) {
    List<String> rows =
        sql.query("SELECT COALESCE(locked_by, '') AS locked_by FROM compute_server WHERE id = ?", row -> row.getString("locked_by"), id);
    return rows.isEmpty() || rows.getFirst().isEmpty() ? null : rows.getFirst();
  }

  public void lock(String id, String lockedBy, String reason, Instant now) {
    sql.update(
        "UPDATE compute_server SET locked = TRUE, locked_by = ?, locked_reason = ?, updated_at = ? WHERE id = ?",
        lockedBy, reason, now, id);
  }

  public void unlock(String id, Instant now) {
    sql.update(
        "UPDATE compute_server SET locked = FALSE, locked_by = NULL, locked_reason = NULL, updated_at = ? WHERE id = ?",
        now, id);
  }

  /** The positions of the ports recorded for a server. */
  public List<Integer> portPositions(String serverId) {
    return sql.query("SELECT position FROM compute_server_port WHERE server_id = ?", row -> row.getInt("position"), serverId);
  }

  public void removeComputePorts(String serverId) {
    sql.update("DELETE FROM compute_server_port WHERE server_id = ? AND owned_by_compute = TRUE", serverId);
  }

  /** Nova's reset_state: the status and vm state an admin asks for, no task (unless deleting). */
  public void resetState(String id, String status, String vmState, Instant now) {
    sql.update(
        "UPDATE compute_server SET status = ?, vm_state = ?,"
            + " task_state = CASE WHEN task_state = 'deleting' THEN task_state ELSE NULL END, updated_at = ? WHERE id = ?",
        status, vmState, now, id);
  }

  /** Sets what the user keeps on the server (access addresses, disk config). */
  public void setAttributes(String id, Server.Attributes attributes, Instant now) {
    sql.update(
        "UPDATE compute_server SET access_ip_v4 = ?, access_ip_v6 = ?, disk_config = ?, updated_at = ? WHERE id = ?",
        attributes.accessIpv4(), attributes.accessIpv6(), attributes.diskConfig(), now, id);
  }

  public void rename(String id, String name, String description, Instant now) {
    sql.update("UPDATE compute_server SET name = ?, description = ?, updated_at = ? WHERE id = ?", name, description, now, id);
  }

  public void setTaskState(String id, String taskState, Instant now) {
    sql.update(
        "UPDATE compute_server SET task_state = ?, updated_at = ? WHERE id = ?"
            + " AND (task_state IS NULL OR task_state <> 'deleting')",
        taskState, now, id);
  }

  public void touch(String id, Instant now) {
    sql.update("UPDATE compute_server SET updated_at = ? WHERE id = ?", now, id);
  }

  /** Sets task state {@code deleting}; answers false when the server is gone or already deleting. */
  public boolean markDeleting(String id, Instant now) {
    return sql.update(
            "UPDATE compute_server SET task_state = 'deleting', updated_at = ?"
                + " WHERE id = ? AND (task_state IS NULL OR task_state <> 'deleting')",
            now, id)
        == 1;
  }

  /**
   * Locks the server's row until the transaction ends and answers its task state (empty string for
   * none), or empty when the server is gone. What binds something to a server (a port plugged, a
   * port recorded) does it under this lock, after checking that no delete has begun: a delete
   * sets its task state through the same row, so it waits for the binding, and a binding that
   * comes after it sees {@code deleting}.
   */
  public Optional<String> lockForBinding(String id) {
    return sql.queryOne(
        "SELECT COALESCE(task_state, '') AS task_state FROM compute_server WHERE id = ? FOR UPDATE",
        row -> row.getString("task_state"),
        id);
  }

  /** Deletes the server's row and takes it from its owner's usage, in the caller's transaction. */
  public int delete(String id) {
    Optional<Counted> counted = counted(id, null);
    if (counted.isEmpty()) {
      return 0;
    }
    int deleted = sql.update("DELETE FROM compute_server WHERE id = ?", id);
    if (deleted == 1) {
      Counted c = counted.get();
      new ComputeQuotaStore(sql).count(c.projectId(), c.userId(), -1, -c.vcpus(), -c.ramMb());
    }
    return deleted;
  }

  /** What a server counts for in its owner's usage. */
  private record Counted(String projectId, String userId, int vcpus, int ramMb) {}

  /**
   * Locks the server's row (if it is in {@code taskState}; null: in any) and answers what it
   * counts for, read under that lock, so the usage change that follows matches the row's change.
   */
  private Optional<Counted> counted(String id, String taskState) {
    return sql.queryOne(
        "SELECT project_id, user_id, flavor_vcpus, flavor_ram_mb FROM compute_server WHERE id = ?"
            + (taskState == null ? "" : " AND task_state = ?") + " FOR UPDATE",
        row -> new Counted(row.getString("project_id"), row.getString("user_id"), row.getInt("flavor_vcpus"), row.getInt("flavor_ram_mb")),
        taskState == null ? new Object[] {id} : new Object[] {id, taskState});
  }

  public void addPort(String serverId, PluggedPort port, int position) {
    addPort(serverId, port, position, null);
  }

  /** Records a port of a new server at its place among the requested networks, with its device tag (or null). */
  public void addPort(String serverId, PluggedPort port, int position, String tag) {
    sql.update(
        "INSERT INTO compute_server_port (server_id, port_id, owned_by_compute, position, tag) VALUES (?, ?, ?, ?, ?)",
        serverId, port.portId(), port.ownedByCompute(), position, tag);
  }

  public void replaceMetadata(String serverId, Map<String, String> metadata) {
    sql.update("DELETE FROM compute_server_metadata WHERE server_id = ?", serverId);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      sql.update(
          "INSERT INTO compute_server_metadata (server_id, meta_key, meta_value) VALUES (?, ?, ?)",
          serverId, e.getKey(), e.getValue());
    }
  }

  private Map<String, String> metadata(String serverId) {
    Map<String, String> m = new TreeMap<>();
    sql.query(
            "SELECT meta_key, meta_value FROM compute_server_metadata WHERE server_id = ?",
            row -> Map.entry(row.getString("meta_key"), row.getString("meta_value")),
            serverId)
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  private List<PluggedPort> ports(String serverId) {
    return sql.query(
        "SELECT port_id, owned_by_compute FROM compute_server_port WHERE server_id = ? ORDER BY position",
        row -> new PluggedPort(row.getString("port_id"), row.getBoolean("owned_by_compute")),
        serverId);
  }

  /** The server with its metadata and ports, read after its row. */
  public Server complete(Server s) {
    return s.withDetails(metadata(s.id()), ports(s.id()));
  }

  private static Server server(Sql.Row row) throws SQLException {
    String id = row.getString("id");
    String faultMessage = row.getString("fault_message");
    Fault fault =
        faultMessage == null
            ? null
            : new Fault(row.getInt("fault_code"), faultMessage, row.getString("fault_details"), row.getInstant("fault_created"));
    return new Server(
        id,
        row.getString("project_id"),
        row.getString("user_id"),
        row.getString("name"),
        row.getString("description"),
        row.getString("status"),
        row.getString("task_state"),
        row.getString("vm_state"),
        row.getInt("power_state"),
        row.getString("host"),
        row.getString("availability_zone"),
        new FlavorSnapshot(
            row.getString("flavor_id"),
            row.getString("flavor_name"),
            row.getInt("flavor_vcpus"),
            row.getInt("flavor_ram_mb"),
            row.getInt("flavor_disk_gb"),
            row.getInt("flavor_ephemeral_gb"),
            row.getInt("flavor_swap_mb"),
            map(row.getString("flavor_extra_specs"))),
        row.getString("image_id"),
        row.getString("key_name"),
        row.getString("user_data"),
        row.getInstant("created_at"),
        row.getInstant("updated_at"),
        row.getInstant("launched_at"),
        row.getBoolean("locked"),
        row.getString("locked_reason"),
        fault,
        Map.of(),
        List.of(),
        row.getString("reservation_id"),
        row.getInt("launch_index"),
        new Server.Attributes(row.getString("access_ip_v4"), row.getString("access_ip_v6"), row.getString("disk_config")));
  }

  private static String json(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(new LinkedHashMap<>(map));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> map(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // Moves and rebuilds (resize, cold migration, confirm/revert, rebuild)

  /** Moves an action on to its next task state if it is still in {@code from}; answers whether it was. */
  public boolean advanceTaskState(String id, String from, String to, Instant now) {
    return sql.update(
            "UPDATE compute_server SET task_state = ?, updated_at = ? WHERE id = ? AND task_state = ?", to, now, id, from)
        == 1;
  }

  /**
   * Ends a move still under way (task state {@code taskState}): the server is on {@code host} with
   * {@code flavor} (a finished resize, or a revert back to the source) in this state.
   */
  public boolean finishMove(
      String id, String taskState, String host, String zone, FlavorSnapshot flavor, String status, String vmState,
      int powerState, Instant now) {
    Optional<Counted> before = counted(id, taskState);
    if (before.isEmpty()) {
      return false;
    }
    boolean finished =
        sql.update(
                "UPDATE compute_server SET host = ?, availability_zone = ?, flavor_id = ?, flavor_name = ?, flavor_vcpus = ?,"
                    + " flavor_ram_mb = ?, flavor_disk_gb = ?, flavor_ephemeral_gb = ?, flavor_swap_mb = ?,"
                    + " flavor_extra_specs = ?, status = ?, vm_state = ?, power_state = ?, task_state = NULL, updated_at = ?"
                    + " WHERE id = ? AND task_state = ?",
                host, zone, flavor.id(), flavor.name(), flavor.vcpus(), flavor.ramMb(), flavor.diskGb(), flavor.ephemeralGb(),
                flavor.swapMb(), json(flavor.extraSpecs()), status, vmState, powerState, now, id, taskState)
            == 1;
    if (finished) {
      Counted c = before.get();
      new ComputeQuotaStore(sql).count(c.projectId(), c.userId(), 0, flavor.vcpus() - c.vcpus(), flavor.ramMb() - c.ramMb());
    }
    return finished;
  }

  /**
   * Starts a rebuild if the server is still in {@code fromVmState} with no task: sets the task
   * state and status, and what the rebuild changes at once (image, name, description, key, user
   * data), as Nova's API does before the host rebuilds.
   */
  public boolean beginRebuild(
      String id, String fromVmState, String taskState, String status, String imageId, String name, String description,
      String keyName, String userData, Instant now) {
    return sql.update(
            "UPDATE compute_server SET task_state = ?, status = ?, image_id = ?, name = ?, description = ?, key_name = ?,"
                + " user_data = ?, updated_at = ? WHERE id = ? AND vm_state = ? AND task_state IS NULL",
            taskState, status, imageId, name, description, keyName, userData, now, id, fromVmState)
        == 1;
  }
}
