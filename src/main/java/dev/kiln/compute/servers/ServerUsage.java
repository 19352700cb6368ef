package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.store.UsageStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What servers use, as Nova reports it: per project over a period ({@code os-simple-tenant-usage}),
 * counting each server's hours between its launch and its deletion that fall in the period, and the
 * flavors of the servers on one host ({@code os-hosts/{host}}).
 */
public final class ServerUsage {
  private final Database db;
  private final Clock clock;

  public ServerUsage(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** What one project's servers on a host use, by their flavors. */
  public record HostedUse(String projectId, int vcpus, int memoryMb, int diskGb) {}

  /**
   * A server's run: from its launch to its deletion ({@code terminatedAt}), or still going.
   *
   * @param state the server's vm_state, {@value #TERMINATED} once deleted
   * @param localGb root and ephemeral disk
   */
  public record Run(
      String serverId,
      String projectId,
      String name,
      String flavorName,
      int vcpus,
      int memoryMb,
      int localGb,
      String state,
      Instant launchedAt,
      Instant terminatedAt) {
    public static final String TERMINATED = "terminated";

    /**
     * The hours of the run inside [start, stop], as Nova counts them: a server still running is
     * counted up to {@code stop}.
     */
    public double hours(Instant start, Instant stop) {
      if ((terminatedAt != null && terminatedAt.isBefore(start)) || launchedAt.isAfter(stop)) {
        return 0;
      }
      Instant from = launchedAt.isAfter(start) ? launchedAt : start;
      Instant to = terminatedAt != null && terminatedAt.isBefore(stop) ? terminatedAt : stop;
      return Duration.between(from, to).toNanos() / 3_600_000_000_000.0;
    }
  }

  /** One server in a report: its run, its hours in the period and its uptime in seconds. */
  public record ServerUse(Run run, double hours, long uptimeSeconds) {}

  /** A project's usage over [start, stop]: totals, and each server's. */
  public record ProjectUsage(
      String projectId,
      Instant start,
      Instant stop,
      double totalHours,
      double totalVcpusUsage,
      double totalMemoryMbUsage,
      double totalLocalGbUsage,
      List<ServerUse> servers) {
    public ProjectUsage {
      servers = List.copyOf(servers);
    }
  }

  /**
   * Which servers' runs a report covers (microversion 2.40): at most {@code limit} (null: all),
   * after the run of server {@code marker} (null: from the first), in launch order.
   */
  public record Page(Integer limit, String marker) {
    public static final Page ALL = new Page(null, null);
  }

  /**
   * A report: the projects' usages, and the server to page on from when the page is full (null
   * when no page can follow).
   */
  public record Report(List<ProjectUsage> usages, String nextMarker) {
    public Report {
      usages = List.copyOf(usages);
    }
  }

  public List<HostedUse> onHost(String host) {
    return new UsageStore(db.sql()).onHost(host);
  }

  /**
   * Every project's usage over the period (admins only: the API checks); a null bound is now.
   */
  public Report all(Instant start, Instant stop, Page page) {
    return report(null, start, stop, page);
  }

  /**
   * One project's usage over the period; empty when it had no servers then. A null bound is now.
   *
   * @throws ServiceException FORBIDDEN for another project's non-admin
   */
  public Report of(Actor actor, String projectId, Instant start, Instant stop, Page page) {
    if (!actor.owns(projectId)) {
      throw ServiceException.forbidden(
          "PolicyNotAuthorized", "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show to be performed.");
    }
    return report(projectId, start, stop, page);
  }

  private Report report(String projectId, Instant from, Instant to, Page page) {
    Instant now = clock.instant();
    Instant start = from == null ? now : from;
    Instant stop = to == null ? now : to;
    if (start.isAfter(stop)) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid start time. The start time cannot occur after the end time.");
    }
    List<Run> runs = new ArrayList<>(new UsageStore(db.sql()).runs(projectId, start, stop));
    runs.sort(Comparator.comparing(Run::launchedAt).thenComparing(Run::serverId));
    if (page.marker() != null) {
      int at = -1;
      for (int i = 0; i < runs.size() && at < 0; i++) {
        at = runs.get(i).serverId().equals(page.marker()) ? i : -1;
      }
      if (at < 0) {
        throw ServiceException.invalid("MarkerNotFound", "Marker " + page.marker() + " could not be found.");
      }
      runs = runs.subList(at + 1, runs.size());
    }
    String nextMarker = null;
    if (page.limit() != null && runs.size() >= page.limit()) {
      runs = runs.subList(0, page.limit());
      nextMarker = runs.isEmpty() ? null : runs.getLast().serverId();
    }
    Map<String, List<ServerUse>> byProject = new LinkedHashMap<>();
    for (Run run : runs) {
      Instant end = run.terminatedAt() != null ? run.terminatedAt() : now;
      long uptime = Math.max(0, Duration.between(run.launchedAt(), end).toSeconds());
      byProject
          .computeIfAbsent(run.projectId(), p -> new ArrayList<>())
          .add(new ServerUse(run, run.hours(start, stop), uptime));
    }
    List<ProjectUsage> usages = new ArrayList<>();
    byProject.forEach(
        (project, servers) -> {
          double hours = 0;
          double vcpus = 0;
          double memory = 0;
          double disk = 0;
          for (ServerUse s : servers) {
            hours += s.hours();
            vcpus += s.run().vcpus() * s.hours();
            memory += s.run().memoryMb() * s.hours();
            disk += s.run().localGb() * s.hours();
          }
          usages.add(new ProjectUsage(project, start, stop, hours, vcpus, memory, disk, servers));
        });
    return new Report(usages, nextMarker);
  }
}
