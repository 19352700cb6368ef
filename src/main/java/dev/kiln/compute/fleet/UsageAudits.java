package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;

/**
 * Nova's instance usage audit log ({@code os-instance_usage_audit_log}): for the last completed
 * audit period (a month, Nova's default) before a time, which compute hosts ran the usage audit.
 * Kiln's hosts run no usage audit (Nova's {@code instance_usage_audit} is off by default too), so
 * every compute host, enabled or not, is reported as not having run it, with no instances and no
 * errors: the report Nova gives for such a cloud.
 */
public final class UsageAudits {
  private final Fleet fleet;

  public UsageAudits(Fleet fleet) {
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  /**
   * One period's report.
   *
   * @param begin the period's first instant (UTC)
   * @param end the instant after it (UTC)
   * @param hosts every compute host
   * @param hostsDone the hosts whose audit of the period finished
   * @param hostsRunning the hosts whose audit is under way
   */
  public record Report(
      LocalDateTime begin,
      LocalDateTime end,
      List<String> hosts,
      List<String> hostsDone,
      List<String> hostsRunning,
      int instances,
      int errors) {
    public Report {
      hosts = List.copyOf(hosts);
      hostsDone = List.copyOf(hostsDone);
      hostsRunning = List.copyOf(hostsRunning);
    }

    public List<String> hostsNotRun() {
      return hosts.stream().filter(h -> !hostsDone.contains(h) && !hostsRunning.contains(h)).toList();
    }
  }

  /** The report of the last period completed before now. */
  public Report lastCompleted() {
    return lastCompletedBefore(LocalDateTime.ofInstant(fleet.time(), ZoneOffset.UTC));
  }

  /** The report of the last period completed before {@code before} (UTC). */
  public Report lastCompletedBefore(LocalDateTime before) {
    requireNonNull(before, "before is null");
    LocalDateTime end = YearMonth.from(before).atDay(1).atStartOfDay();
    if (!end.isBefore(before)) {
      end = end.minusMonths(1);
    }
    LocalDateTime begin = end.minusMonths(1);
    TreeSet<String> hosts = new TreeSet<>();
    for (HostService s : fleet.services()) {
      if (s.isCompute()) {
        hosts.add(s.host());
      }
    }
    return new Report(begin, end, List.copyOf(hosts), List.of(), List.of(), 0, 0);
  }
}
