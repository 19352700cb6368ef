package dev.kiln.cli;

import dev.kiln.identity.PasswordHasher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln bench identity}: starts real Kiln processes and measures what the README's
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
  private static final String PASSWORD = "bench-secret";
  private static final Pattern READY = Pattern.compile("Kiln ready at (http://\\S+)");
  private static final Pattern SERVER_MEDIAN =
      Pattern.compile(
          "kiln_http_server_requests_seconds\\{[^}]*route=\"/identity/v3/users/\\{user_id\\}\""
              + "[^}]*status=\"200\"[^}]*quantile=\"0\\.5\"\\} (\\S+)");

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

  @Override
  public Integer call() throws Exception {
    if (suite.equals("volume")) {
      return benchVolumes();
    }
    if (suite.equals("compute")) {
      return benchCompute();
    }
    if (suite.equals("attach")) {
      return benchAttach();
    }
    if (suite.equals("network")) {
      return benchNetwork();
    }
    if (suite.equals("requests")) {
      return benchRequests();
    }
    if (suite.equals("software")) {
      return benchSoftware();
    }
    if (suite.equals("stacks")) {
      return benchStacks();
    }
    if (suite.equals("heat")) {
      System.out.println("Kiln bench heat (" + Runtime.getRuntime().availableProcessors()
          + " cores, Java " + Runtime.version() + ")");
      System.out.print(HeatBench.runInNewDataDir());
      return 0;
    }
    if (suite.equals("start")) {
      return benchStart();
    }
    if (!suite.equals("identity")) {
      System.err.println("Unknown bench suite '" + suite + "'; known: identity, start, volume, compute, attach, network, software, stacks, heat, requests.");
      return 2;
    }
    System.out.println("Kiln bench identity (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    System.out.println("JVM options: " + String.join(" ", jvmOptions()));
    System.out.println();

    List<Long> coldStarts = new ArrayList<>();
    List<Long> warmStarts = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      Path dir = Files.createTempDirectory("kiln-bench");
      try {
        coldStarts.add(startToFirstToken(dir, false));
        warmStarts.add(startToFirstToken(dir, i == starts - 1));
      } finally {
        delete(dir);
      }
      System.out.print(".");
      System.out.flush();
    }
    System.out.println();
    System.out.println();
    System.out.printf(Locale.ROOT, "| measure | median | min | max |%n|---|---|---|---|%n");
    row("start to first token, new data dir (ms)", coldStarts);
    row("start to first token, existing data dir (ms)", warmStarts);
    System.out.println(lastReport);
    return 0;
  }

  private String lastReport = "";

  @Option(
      names = "--all",
      description = "bench start: also run the volume, attach and compute benches on the measured server.")
  boolean all;

  /** {@code bench start}: the launcher timed to "Kiln ready" in each cache mode, then memory. */
  private int benchStart() throws Exception {
    Path launcher = Path.of(jarPath()).getParent().getParent().resolve("kiln");
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

  /** {@code bench volume}: one server, measured through the Cinder API. */
  private int benchVolumes() throws Exception {
    System.out.println("Kiln bench volume (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    Path dir = Files.createTempDirectory("kiln-bench");
    Process process = launch(dir);
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new VolumeBench(client, PASSWORD).run());
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  /** {@code bench compute}: one server with a fleet big enough for 10,000 servers, zero latency. */
  private int benchCompute() throws Exception {
    System.out.println("Kiln bench compute (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    System.out.println("JVM options: " + String.join(" ", jvmOptions()));
    Path dir = Files.createTempDirectory("kiln-bench");
    // In process first, while no server shares the machine.
    String scheduling = SchedulerBench.run(fleet);
    Process process = launch(dir, ComputeBench.serverOptions(fleet));
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new ComputeBench(client, PASSWORD, fleet, bootsOnly, boots).run());
      System.out.print(scheduling);
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  /** {@code bench attach}: one server, one booted instance, zero latency. */
  private int benchAttach() throws Exception {
    System.out.println("Kiln bench attach (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    System.out.println("JVM options: " + String.join(" ", jvmOptions()));
    Path dir = Files.createTempDirectory("kiln-bench");
    Process process = launch(dir, AttachBench.serverOptions());
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new AttachBench(client, PASSWORD).run());
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  /** {@code bench software}: one server, 50 script deployments in a stack, and metadata polls. */
  private int benchSoftware() throws Exception {
    System.out.println("Kiln bench software (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    Path dir = Files.createTempDirectory("kiln-bench");
    Process process = launch(dir, SoftwareBench.serverOptions());
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new SoftwareBench(client, PASSWORD).run());
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  /** {@code bench stacks}: one server, Heat's cloud types over HTTP (see {@link StackBench}). */
  private int benchStacks() throws Exception {
    System.out.println("Kiln bench stacks (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    Path dir = Files.createTempDirectory("kiln-bench");
    Process process = launch(dir, StackBench.serverOptions());
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new StackBench(client, PASSWORD).run());
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  /** {@code bench network}: one server, routers and floating IPs over the Neutron API. */
  private int benchNetwork() throws Exception {
    System.out.println("Kiln bench network (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    System.out.println("JVM options: " + String.join(" ", jvmOptions()));
    Path dir = Files.createTempDirectory("kiln-bench");
    Process process = launch(dir, NetworkBench.serverOptions());
    try {
      LocalClient client = new LocalClient(awaitReady(process));
      System.out.println();
      System.out.print(new NetworkBench(client, PASSWORD).run());
      return 0;
    } finally {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  @Option(names = "--rounds", description = "requests: timed requests of each call (default: ${DEFAULT-VALUE}).")
  int rounds = 1_000;

  @Option(names = "--big-fleet", description = "requests: hosts of the second fleet, for the server boot alone; 0 skips it (default: ${DEFAULT-VALUE}).")
  int bigFleet = 1_000;

  /**
   * {@code bench requests}: one server on 3 simulated hosts for every call, then one on 1,000
   * hosts for the server boot alone; zero simulated latency.
   */
  private int benchRequests() throws Exception {
    System.out.println("Kiln bench requests (" + Runtime.getRuntime().availableProcessors()
        + " cores, Java " + Runtime.version() + ")");
    System.out.println("JVM options: " + String.join(" ", jvmOptions()));
    System.out.println("load average before: " + loadAverage());
    for (int hosts : bigFleet > 0 ? new int[] {3, bigFleet} : new int[] {3}) {
      Path dir = Files.createTempDirectory("kiln-bench");
      Process process = launch(dir, ComputeBench.serverOptions(hosts));
      try {
        String url = awaitReady(process);
        long pid = process.pid();
        RequestsBench bench =
            new RequestsBench(new LocalClient(url), () -> new LocalClient(url), () -> cpuNanos(pid), PASSWORD, rounds);
        System.out.print(hosts == 3 ? bench.runAll(hosts) : bench.runServers(hosts));
      } finally {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
        delete(dir);
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

  private static Process launch(Path dataDir) throws Exception {
    return launch(dataDir, List.of());
  }

  private static Process launch(Path dataDir, List<String> serveOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions());
    command.addAll(
        List.of(
            "-jar", jarPath(), "serve", "--port", "0", "--data-dir", dataDir.toString(),
            "--admin-password", PASSWORD));
    command.addAll(serveOptions);
    // The server's log is dropped unless KILN_BENCH_LOG names a file for it (to learn why a
    // request the bench made failed).
    String log = System.getenv("KILN_BENCH_LOG");
    ProcessBuilder.Redirect stderr = log == null || log.isBlank()
        ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.appendTo(new java.io.File(log));
    return new ProcessBuilder(command).redirectError(stderr).start();
  }

  /**
   * Launches {@code kiln serve} as a new JVM and answers the milliseconds until a token is issued.
   * When {@code measure} is set, the running server is also measured before it is stopped.
   */
  private long startToFirstToken(Path dataDir, boolean measure) throws Exception {
    long started = System.nanoTime();
    Process process = launch(dataDir);
    try {
      String baseUrl = awaitReady(process);
      LocalClient client = new LocalClient(baseUrl);
      HttpResponse<String> first = client.issueToken(PASSWORD);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (measure) {
        lastReport = measure(process, client, first);
      }
      return millis;
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private String measure(Process process, LocalClient client, HttpResponse<String> first)
      throws Exception {
    String token = LocalClient.token(first);
    String path = "/identity/v3/users/" + LocalClient.userId(first);
    long rssAfterStart = rssKib(process.pid());
    for (int i = 0; i < 200; i++) {
      client.get(path, token); // warm-up, not timed
    }
    long[] validations = new long[requests];
    for (int i = 0; i < requests; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = client.get(path, token);
      validations[i] = System.nanoTime() - t;
      if (r.statusCode() != 200) {
        throw new IOException("authenticated GET answered " + r.statusCode());
      }
    }
    String metrics = client.get("/metrics", null).body();
    Matcher m = SERVER_MEDIAN.matcher(metrics);
    String serverMedian = m.find() ? String.format(Locale.ROOT, "%.3f", Double.parseDouble(m.group(1)) * 1000) : "n/a";
    long[] issued = new long[issues];
    for (int i = 0; i < issues; i++) {
      long t = System.nanoTime();
      client.issueToken(PASSWORD);
      issued[i] = System.nanoTime() - t;
    }
    Thread.sleep(5_000);
    long rssIdle = rssKib(process.pid());
    double hashMillis = hashMillis();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "| authenticated GET (token validated), client round trip (ms) | %.3f | p95 %.3f | |%n",
        ms(median(validations)), ms(percentile(validations, 95))));
    out.append(String.format(Locale.ROOT,
        "| authenticated GET, server-side median (ms) | %s | | |%n", serverMedian));
    out.append(String.format(Locale.ROOT,
        "| token issue, client round trip (ms) | %.1f | p95 %.1f | |%n",
        ms(median(issued)), ms(percentile(issued, 95))));
    out.append(String.format(Locale.ROOT,
        "| password hash (PBKDF2-SHA256, %d iterations) (ms) | %.1f | | |%n",
        PasswordHasher.DEFAULT_ITERATIONS, hashMillis));
    out.append(String.format(Locale.ROOT,
        "| resident memory after start (MiB) | %d | | |%n", rssAfterStart / 1024));
    out.append(String.format(Locale.ROOT,
        "| resident memory idle, after the load above (MiB) | %d | | |%n", rssIdle / 1024));
    return out.toString();
  }

  private static double hashMillis() {
    PasswordHasher hasher = new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS, new SecureRandom());
    long[] times = new long[15];
    for (int i = 0; i < times.length; i++) {
      long t = System.nanoTime();
      hasher.hash("bench-password");
      times[i] = System.nanoTime() - t;
    }
    return ms(median(Arrays.copyOfRange(times, 5, times.length)));
  }

  private static String awaitReady(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = READY.matcher(line);
      if (m.find()) {
        // Keep draining stdout so the server never blocks on a full pipe.
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        return m.group(1);
      }
    }
    throw new IOException("kiln serve exited before it was ready (exit " + process.exitValue() + ")");
  }

  /** The options this JVM was started with (the launcher's), so servers run the same way. */
  private static List<String> jvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-XX:AOTCacheOutput"))
        .toList();
  }

  private static String jarPath() throws Exception {
    Path path = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!path.toString().endsWith(".jar")) {
      throw new IllegalStateException("run the bench from the built jar: ./kiln bench identity");
    }
    return path.toString();
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static void row(String name, List<Long> values) {
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", name, median(v),
        Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0));
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
