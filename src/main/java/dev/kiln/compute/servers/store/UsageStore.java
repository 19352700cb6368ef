package dev.kiln.compute.servers.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerUsage.HostedUse;
import dev.kiln.compute.servers.ServerUsage.Run;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What servers use, read for reports: the flavors of the servers on a host, and the runs of
 * servers (live ones from the server table, deleted ones from {@code compute_server_usage_ended})
 * that overlap a period.
 */
public final class UsageStore {
  private final Sql sql;

  public UsageStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** The servers on the host, summed per project. */
  public List<HostedUse> onHost(String host) {
    return sql.query(
        "SELECT project_id, SUM(flavor_vcpus) AS vcpus, SUM(flavor_ram_mb) AS memory_mb,"
            + " SUM(flavor_disk_gb + flavor_ephemeral_gb) AS disk_gb"
            + " FROM compute_server WHERE host = ? GROUP BY project_id ORDER BY project_id",
        row -> new HostedUse(row.getString("project_id"), row.getInt("vcpus"), row.getInt("memory_mb"), row.getInt("disk_gb")),
        host);
  }

  /**
   * The runs that overlap [start, stop): servers launched before {@code stop} that still exist or
   * ended after {@code start}; of one project, or of all when {@code projectId} is null.
   */
  public List<Run> runs(String projectId, Instant start, Instant stop) {
    String project = projectId == null ? "" : " AND project_id = ?";
    List<Object> args = new ArrayList<>(List.of(stop));
    if (projectId != null) {
      args.add(projectId);
    }
    List<Run> runs =
        new ArrayList<>(
            sql.query(
                "SELECT id, project_id, name, flavor_name, flavor_vcpus, flavor_ram_mb,"
                    + " flavor_disk_gb + flavor_ephemeral_gb AS local_gb, vm_state, launched_at"
                    + " FROM compute_server WHERE launched_at IS NOT NULL AND launched_at < ?" + project
                    + " ORDER BY project_id, launched_at, id",
                row ->
                    new Run(
                        row.getString("id"), row.getString("project_id"), row.getString("name"),
                        row.getString("flavor_name"), row.getInt("flavor_vcpus"), row.getInt("flavor_ram_mb"),
                        row.getInt("local_gb"), row.getString("vm_state"), row.getInstant("launched_at"), null),
                args.toArray()));
    List<Object> endedArgs = new ArrayList<>(List.of(start, stop));
    if (projectId != null) {
      endedArgs.add(projectId);
    }
    runs.addAll(
        sql.query(
            "SELECT server_id, project_id, name, flavor_name, vcpus, memory_mb, local_gb, launched_at, terminated_at"
                + " FROM compute_server_usage_ended WHERE terminated_at > ? AND launched_at < ?" + project
                + " ORDER BY project_id, launched_at, server_id",
            UsageStore::ended,
            endedArgs.toArray()));
    return runs;
  }

  /** Keeps what a launched server used, as its row goes (a never-launched one used nothing). */
  public void recordEnded(Server server, Instant terminatedAt) {
    if (server.launchedAt() == null) {
      return;
    }
    Server.FlavorSnapshot f = server.flavor();
    sql.update(
        "INSERT INTO compute_server_usage_ended (server_id, project_id, name, flavor_name, vcpus, memory_mb, local_gb,"
            + " launched_at, terminated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        server.id(), server.projectId(), server.name(), f.name(), f.vcpus(), f.ramMb(), f.diskGb() + f.ephemeralGb(),
        server.launchedAt(), terminatedAt);
  }

  private static Run ended(Sql.Row row) throws SQLException {
    return new Run(
        row.getString("server_id"), row.getString("project_id"), row.getString("name"), row.getString("flavor_name"),
        row.getInt("vcpus"), row.getInt("memory_mb"), row.getInt("local_gb"), Run.TERMINATED,
        row.getInstant("launched_at"), row.getInstant("terminated_at"));
  }
}
