package dev.kiln.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln bench SUITE}: starts real Kiln processes and measures what the README's
 * performance table reports. It prints figures; it asserts nothing.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure Kiln: 'start' times `./kiln serve` to its ready line (new and existing data"
            + " directory, each class cache), memory idle and after load, and token validation;"
            + " 'identity' times cold starts to the first token, token issue and"
            + " validation, and idle memory; 'volume' times volume creates and attachment cycles;"
            + " 'compute' times server boots and the server list at 10,000 servers; 'attach' times"
            + " interface and volume attach and detach cycles and live migrations of a server; 'network'"
            + " times router, interface, gateway and floating IP cycles and 1,000 floating IP allocations;"
            + " 'software' times a stack of 50 servers with a script deployment each and the metadata poll;"
            + " 'stacks' times a stack of 50 servers with a port and an attached volume each, and the"
            + " seed's port move between two servers by stack update;"
            + " 'heat' times stack creates and deletes of 100 and 1,000 resources and 100- and 500-long"
            + " chains, and the stack list at 1,000 stacks; 'requests' times the common calls one by one"
            + " (server- and client-side p50/p95: port create, GET, list of 100, volume create to"
            + " available, attachment steps, server create to ACTIVE on 3 and 1,000 hosts) and port"
            + " creates from 8 keep-alive threads.")
public final class BenchCommand implements Callable<Integer> {
  private static final String PASSWORD = BenchServer.PASSWORD;

  @Parameters(index = "0", description = "What to measure: start, identity, volume, compute, attach, network, software, stacks, heat or requests.", defaultValue = "identity")
  String suite;

  @Option(names = "--starts", description = "Cold starts to time (default: ${DEFAULT-VALUE}).")
  int starts = 5;

  @Option(names = "--requests", description = "Validations to time (default: ${DEFAULT-VALUE}).")
  int requests = 2000;

  @Option(names = "--issues", description = "Token issues to time (default: ${DEFAULT-VALUE}).")
  int issues = 100;

  @Option(names = "--fleet", description = "compute: simulated hosts, sized to hold every server (default: ${DEFAULT-VALUE}).")
  int fleet = ComputeBench.DEFAULT_HOSTS;

  @Option(names = "--boots-only", description = "compute: time the boots only, not the growth to 10,000 and the lists.")
  boolean bootsOnly;

  @Option(names = "--boots", description = "compute: servers in the second timed batch of boots (default: ${DEFAULT-VALUE}).")
  int boots = 1_000;

  @Option(
      names = "--all",
      description = "bench start: also run the volume, attach and compute benches on the measured server.")
  boolean all;

  @Option(
      names = "--volume-cycles",
      description = "attach: timed volume attach and detach cycles (default: ${DEFAULT-VALUE}).")
  int volumeCycles = AttachBench.VOLUME_CYCLES;

  @Option(names = "--rounds", description = "requests: timed requests of each call (default: ${DEFAULT-VALUE}).")
  int rounds = 1_000;

  @Option(names = "--big-fleet", description = "requests: hosts of the second fleet, for the server boot alone; 0 skips it (default: ${DEFAULT-VALUE}).")
  int bigFleet = 1_000;

  @Option(names = "--warm-up", description = "requests: untimed requests of each call before its timed run (default: a fifth of --rounds, at least 50).")
  int warmUp = -1;

  @Option(names = "--only", split = ",", description = "requests: time only these groups of calls (ports, volumes, attachments, servers, parallel; default: all).")
  List<String> only = RequestsBench.GROUPS;

  /** What a bench measures on one running server; answers the report to print. */
  @FunctionalInterface
  private interface OnServer {
    String run(BenchServer server) throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    String badCount = badCount();
    if (badCount != null) {
      System.err.println(badCount);
      return 2;
    }
    return switch (suite) {
      case "identity" -> {
        header("identity", true);
        System.out.print(new IdentityBench(starts, requests, issues).run());
        yield 0;
      }
      case "start" -> benchStart();
      case "volume" -> onServer("volume", false, List.of(), s -> new VolumeBench(s.client(), PASSWORD).run());
      case "compute" -> benchCompute();
      case "attach" ->
          onServer("attach", true, AttachBench.serverOptions(), s -> new AttachBench(s.client(), PASSWORD, volumeCycles).run());
      case "network" ->
          onServer("network", true, NetworkBench.serverOptions(), s -> new NetworkBench(s.client(), PASSWORD, () -> cpuNanos(s.pid())).run());
      case "software" ->
          onServer("software", false, SoftwareBench.serverOptions(), s -> new SoftwareBench(s.client(), PASSWORD).run());
      case "stacks" ->
          onServer("stacks", false, StackBench.serverOptions(), s -> new StackBench(s.client(), PASSWORD).run());
      case "heat" -> {
        header("heat", false);
        System.out.print(HeatBench.runInNewDataDir());
        yield 0;
      }
      case "requests" -> benchRequests();
      default -> {
        System.err.println("Unknown bench suite '" + suite + "'; known: identity, start, volume, compute, attach,"
            + " network, software, stacks, heat, requests.");
        yield 2;
      }
    };
  }

  /** Names the first count option that cannot be timed (a bench of no starts has no median), or null. */
  String badCount() {
    record Count(String option, int value, int least) {}
    for (Count count : List.of(
        new Count("--starts", starts, 1),
        new Count("--requests", requests, 1),
        new Count("--issues", issues, 1),
        new Count("--fleet", fleet, 1),
        new Count("--boots", boots, 1),
        new Count("--rounds", rounds, 1),
        new Count("--volume-cycles", volumeCycles, 1),
        new Count("--big-fleet", bigFleet, 0))) {
      if (count.value() < count.least()) {
        return count.option() + " must be at least " + count.least() + ", not " + count.value() + ".";
      }
    }
    return null;
  }

  private static void header(String suite, boolean jvmOptions) {
    System.out.println("Kiln bench " + suite + " (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    if (jvmOptions) {
      System.out.println("JVM options: " + String.join(" ", BenchServer.jvmOptions()));
    }
  }

  /** Runs {@code bench} on one new server started with {@code serveOptions}, and prints its report. */
  private static int onServer(String suite, boolean jvmOptions, List<String> serveOptions, OnServer bench)
      throws Exception {
    header(suite, jvmOptions);
    try (BenchServer server = BenchServer.start(serveOptions)) {
      System.out.println();
      System.out.print(bench.run(server));
      return 0;
    }
  }

  /** {@code bench start}: the launcher timed to "Kiln ready" in each cache mode, then memory. */
  private int benchStart() throws Exception {
    Path launcher = Path.of(BenchServer.jarPath()).getParent().getParent().resolve("kiln");
    if (!Files.isExecutable(launcher)) {
      System.err.println("bench start times the launcher, and there is none at " + launcher);
      return 2;
    }
    System.out.println("Kiln bench start (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ", load average "
        + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
    System.out.println();
    System.out.print(new StartBench(launcher, starts, requests, all).run());
    return 0;
  }

  /** {@code bench compute}: one server with a fleet big enough for 10,000 servers, zero latency. */
  private int benchCompute() throws Exception {
    // In process first, while no server shares the machine.
    String scheduling = SchedulerBench.run(fleet);
    return onServer("compute", true, ComputeBench.serverOptions(fleet),
        s -> new ComputeBench(s.client(), PASSWORD, fleet, bootsOnly, boots).run() + scheduling);
  }

  /**
   * {@code bench requests}: one server on 3 simulated hosts for every call, then one on 1,000
   * hosts for the server boot alone; zero simulated latency.
   */
  private int benchRequests() throws Exception {
    for (String group : only) {
      if (!RequestsBench.GROUPS.contains(group)) {
        System.err.println("--only takes " + String.join(", ", RequestsBench.GROUPS) + "; not " + group);
        return 2;
      }
    }
    header("requests", true);
    System.out.println("load average before: " + loadAverage());
    for (int hosts : bigFleet > 0 && only.contains("servers") ? new int[] {3, bigFleet} : new int[] {3}) {
      try (BenchServer server = BenchServer.start(RequestsBench.serverJvmOptions(), ComputeBench.serverOptions(hosts))) {
        String url = server.url();
        long pid = server.pid();
        RequestsBench bench =
            new RequestsBench(new LocalClient(url), () -> new LocalClient(url), pid, PASSWORD, rounds).warmUp(warmUp);
        System.out.print(hosts == 3 ? bench.runAll(hosts, only) : bench.runServers(hosts));
      }
    }
    System.out.println("load average after: " + loadAverage());
    return 0;
  }

  /** The CPU time (user and system) process {@code pid} has used, from {@code /proc/<pid>/stat}. */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException e) {
      return 0;
    }
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  static long median(long[] values) {
    return percentile(values, 50);
  }

  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
