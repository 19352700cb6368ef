package dev.kiln.cli;

import dev.kiln.KilnConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code kiln bench start}: times {@code ./kiln serve} from the launcher's start to its "Kiln
 * ready" line, as a user sees it, on a new and on an existing data directory, with each class cache
 * the launcher can use; then measures one server's memory idle and after load, and its token
 * validation time from {@code /metrics}. It prints figures; it asserts nothing.
 */
final class StartBench {

  /** A way the launcher can start Kiln: its environment and what it means. */
  record Mode(String name, Map<String, String> env) {}

  static final List<Mode> MODES =
      List.of(
          new Mode("JDK AOT cache (default on JDK 25)", Map.of()),
          new Mode("AppCDS archive, no AOT cache (KILN_AOT=0; what JDK 21-24 get)", Map.of("KILN_AOT", "0")),
          new Mode("no class cache at all (KILN_AOT=0 KILN_CDS=0)", Map.of("KILN_AOT", "0", "KILN_CDS", "0")));

  private final Path launcher;
  private final int starts;
  private final int requests;
  private final boolean allBenches;

  StartBench(Path launcher, int starts, int requests, boolean allBenches) {
    this.launcher = launcher;
    this.starts = starts;
    this.requests = requests;
    this.allBenches = allBenches;
  }

  String run() throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("| start of `./kiln serve` to \"Kiln ready\" (ms, wall clock) | new data dir: median | min | max | existing data dir: median | min | max |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (Mode mode : MODES) {
      Path warm = Files.createTempDirectory("kiln-bench-start");
      try {
        stop(awaitReady(launch(warm, mode, List.of())).process()); // records the mode's cache, untimed
      } finally {
        delete(warm);
      }
      long[] fresh = new long[starts];
      long[] existing = new long[starts];
      for (int i = 0; i < starts; i++) {
        Path dir = Files.createTempDirectory("kiln-bench-start");
        try {
          fresh[i] = timeToReady(dir, mode);
          existing[i] = timeToReady(dir, mode);
        } finally {
          delete(dir);
        }
        System.out.print(".");
        System.out.flush();
      }
      out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |%n", mode.name(),
          BenchCommand.median(fresh), min(fresh), max(fresh),
          BenchCommand.median(existing), min(existing), max(existing)));
    }
    System.out.println();
    System.out.println(out); // now, so that a long --all run does not hold it back
    return loadAndMemory();
  }

  private long timeToReady(Path dir, Mode mode) throws Exception {
    long started = System.nanoTime();
    Running running = awaitReady(launch(dir, mode, List.of()));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    stop(running.process());
    return millis;
  }

  /** One server, default mode: memory after start, token validations, then the other benches. */
  private String loadAndMemory() throws Exception {
    Path dir = Files.createTempDirectory("kiln-bench-start");
    Running running = awaitReady(launch(dir, MODES.getFirst(), ComputeBench.serverOptions(ComputeBench.DEFAULT_HOSTS)));
    long ready = System.nanoTime();
    Process process = running.process();
    StringBuilder out = new StringBuilder("| measure | value |\n|---|---|\n");
    try {
      Thread.sleep(3_000);
      row(out, "resident memory 3 s after start (MiB)", rssKib(process.pid()) / 1024);
      long quietAfter = awaitQuiet(process.pid(), ready);
      // The launcher has the C heap trimmed every 2 s: what the JIT freed last is given back at
      // the next trim, so the reading waits for one.
      Thread.sleep(2_500);
      row(out, "resident memory idle: once its CPU is quiet (" + quietAfter + " s after start) and the C heap trimmed (MiB)", rssKib(process.pid()) / 1024);
      String password = KilnConfig.DEFAULT_ADMIN_PASSWORD;
      LocalClient client = new LocalClient(running.baseUrl());
      HttpResponse<String> issued = client.issueToken(password);
      String token = LocalClient.token(issued);
      String path = "/identity/v3/users/" + LocalClient.userId(issued);
      for (int i = 0; i < 500; i++) {
        client.get(path, token); // warm-up, and the cache fills
      }
      long[] rounds = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t = System.nanoTime();
        HttpResponse<String> r = client.get(path, token);
        rounds[i] = System.nanoTime() - t;
        if (r.statusCode() != 200) {
          throw new IOException("authenticated GET answered " + r.statusCode());
        }
      }
      String metrics = client.get("/metrics", null).body();
      row(out, "token validation, server side, p50 (ms)", quantile(metrics, "kiln_token_validation_seconds", "", "0.5"));
      row(out, "token validation, server side, p95 (ms)", quantile(metrics, "kiln_token_validation_seconds", "", "0.95"));
      String userRoute = "route=\"/identity/v3/users/\\{user_id\\}\"";
      row(out, "authenticated GET of a user, server side, p50 (ms)",
          quantile(metrics, "kiln_http_server_requests_seconds", userRoute, "0.5"));
      row(out, "authenticated GET of a user, server side, p95 (ms)",
          quantile(metrics, "kiln_http_server_requests_seconds", userRoute, "0.95"));
      row(out, "authenticated GET of a user, client round trip, p50 (ms)",
          String.format(Locale.ROOT, "%.3f", BenchCommand.ms(BenchCommand.median(rounds))));
      long[] issues = new long[50];
      for (int i = 0; i < issues.length; i++) {
        long t = System.nanoTime();
        client.issueToken(password);
        issues[i] = System.nanoTime() - t;
      }
      row(out, "token issue, client round trip, p50 (ms)",
          String.format(Locale.ROOT, "%.1f", BenchCommand.ms(BenchCommand.median(issues))));
      row(out, "resident memory after the token load (MiB)", rssKib(process.pid()) / 1024);
      if (allBenches) {
        System.out.print(new VolumeBench(client, password).run());
        row(out, "resident memory after `bench volume` too (MiB)", rssKib(process.pid()) / 1024);
        System.out.print(new AttachBench(client, password).run());
        row(out, "resident memory after `bench attach` too (MiB)", rssKib(process.pid()) / 1024);
        System.out.print(new ComputeBench(client, password, ComputeBench.DEFAULT_HOSTS, false, 1_000).run());
        row(out, "resident memory after `bench compute` too (MiB)", rssKib(process.pid()) / 1024);
      }
      Thread.sleep(10_000);
      row(out, "resident memory, idle 10 s after all of the above (MiB)", rssKib(process.pid()) / 1024);
      if (allBenches) {
        // H2 keeps the pages of the last 45 s of commits (its RETENTION_TIME), and Kiln's idle
        // collection and the C heap trim give memory back once the server is quiet: read again after.
        Thread.sleep(50_000);
        row(out, "resident memory, idle 60 s after all of the above (MiB)", rssKib(process.pid()) / 1024);
      }
      return out.toString();
    } finally {
      stop(process);
      delete(dir);
    }
  }

  /**
   * Waits until the server's process used under 2% of a core over the last 2 s (the JIT compilers
   * are what still run seconds after a start, and their arenas count as resident memory while they
   * do), at most until 30 s after {@code readyNanos}; answers the whole seconds since then.
   */
  private static long awaitQuiet(long pid, long readyNanos) throws InterruptedException {
    long window = TimeUnit.SECONDS.toNanos(2);
    List<long[]> samples = new ArrayList<>(); // {when, cpu}
    while (true) {
      long now = System.nanoTime();
      samples.addLast(new long[] {now, BenchCommand.cpuNanos(pid)});
      while (samples.size() > 1 && now - samples.get(1)[0] >= window) {
        samples.remove(0);
      }
      long[] oldest = samples.getFirst();
      boolean quiet = now - oldest[0] >= window && samples.getLast()[1] - oldest[1] < window / 50;
      long since = TimeUnit.NANOSECONDS.toSeconds(now - readyNanos);
      if (quiet || since >= 30) {
        return since;
      }
      Thread.sleep(250);
    }
  }

  private Process launch(Path dataDir, Mode mode, List<String> serveOptions) throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString(), "serve", "--port", "0", "--data-dir", dataDir.toString()));
    command.addAll(serveOptions);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(BenchServer.serverLog());
    builder.environment().remove("KILN_ADMIN_PASSWORD"); // the default password, as a new user has it
    builder.environment().remove("KILN_AOT");
    builder.environment().remove("KILN_CDS");
    builder.environment().remove("KILN_JAVA_OPTS");
    // As for the other benches' servers, KILN_BENCH_SERVER_OPTS adds JVM options to the measured
    // server only (native memory tracking, a flight recording), through the launcher.
    String extra = System.getenv("KILN_BENCH_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      builder.environment().put("KILN_JAVA_OPTS", extra.strip());
    }
    builder.environment().putAll(mode.env());
    return builder.start();
  }

  private record Running(Process process, String baseUrl) {}

  private static Running awaitReady(Process process) throws IOException {
    return new Running(process, BenchServer.awaitReady(process));
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** A Prometheus quantile in milliseconds, or "n/a". */
  static String quantile(String metrics, String name, String labelRegex, String quantile) {
    Pattern p =
        Pattern.compile(
            Pattern.quote(name) + "\\{[^}]*" + labelRegex + "[^}]*quantile=\"" + Pattern.quote(quantile)
                + "\"[^}]*\\} (\\S+)");
    Matcher m = p.matcher(metrics);
    return m.find() ? String.format(Locale.ROOT, "%.3f", Double.parseDouble(m.group(1)) * 1000) : "n/a";
  }

  private static void row(StringBuilder out, String name, Object value) {
    out.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static long min(long[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static long max(long[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
