package dev.kiln.cli;

import dev.kiln.identity.PasswordHasher;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln bench identity}: cold starts to the first token on a new and on an existing data
 * directory, then, on the last server, token validation and issue and its memory.
 */
final class IdentityBench {
  private static final Pattern SERVER_MEDIAN =
      Pattern.compile(
          "kiln_http_server_requests_seconds\\{[^}]*route=\"/identity/v3/users/\\{user_id\\}\""
              + "[^}]*status=\"200\"[^}]*quantile=\"0\\.5\"\\} (\\S+)");

  private final int starts;
  private final int requests;
  private final int issues;
  private String lastReport = "";

  IdentityBench(int starts, int requests, int issues) {
    this.starts = starts;
    this.requests = requests;
    this.issues = issues;
  }

  String run() throws Exception {
    List<Long> coldStarts = new ArrayList<>();
    List<Long> warmStarts = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      Path dir = Files.createTempDirectory("kiln-bench");
      try {
        coldStarts.add(startToFirstToken(dir, false));
        warmStarts.add(startToFirstToken(dir, i == starts - 1));
      } finally {
        BenchCommand.delete(dir);
      }
      System.out.print(".");
      System.out.flush();
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n%n| measure | median | min | max |%n|---|---|---|---|%n"));
    row(out, "start to first token, new data dir (ms)", coldStarts);
    row(out, "start to first token, existing data dir (ms)", warmStarts);
    return out.append(lastReport).append(System.lineSeparator()).toString();
  }

  /**
   * Starts a server on {@code dataDir} (kept: a second start finds it) and answers the
   * milliseconds until a token is issued; with {@code measure}, measures the running server too.
   */
  private long startToFirstToken(Path dataDir, boolean measure) throws Exception {
    long started = System.nanoTime();
    try (BenchServer server = BenchServer.startOn(dataDir)) {
      LocalClient client = server.client();
      HttpResponse<String> first = client.issueToken(BenchServer.PASSWORD);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (measure) {
        lastReport = measure(server.pid(), client, first);
      }
      return millis;
    }
  }

  private String measure(long pid, LocalClient client, HttpResponse<String> first) throws Exception {
    String token = LocalClient.token(first);
    String path = "/identity/v3/users/" + LocalClient.userId(first);
    long rssAfterStart = rssKib(pid);
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
      client.issueToken(BenchServer.PASSWORD);
      issued[i] = System.nanoTime() - t;
    }
    Thread.sleep(5_000);
    long rssIdle = rssKib(pid);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "| authenticated GET (token validated), client round trip (ms) | %.3f | p95 %.3f | |%n",
        BenchCommand.ms(BenchCommand.median(validations)), BenchCommand.ms(BenchCommand.percentile(validations, 95))));
    out.append(String.format(Locale.ROOT,
        "| authenticated GET, server-side median (ms) | %s | | |%n", serverMedian));
    out.append(String.format(Locale.ROOT,
        "| token issue, client round trip (ms) | %.1f | p95 %.1f | |%n",
        BenchCommand.ms(BenchCommand.median(issued)), BenchCommand.ms(BenchCommand.percentile(issued, 95))));
    out.append(String.format(Locale.ROOT,
        "| password hash (PBKDF2-SHA256, %d iterations) (ms) | %.1f | | |%n",
        PasswordHasher.DEFAULT_ITERATIONS, hashMillis()));
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
    return BenchCommand.ms(BenchCommand.median(Arrays.copyOfRange(times, 5, times.length)));
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static void row(StringBuilder out, String name, List<Long> values) {
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", name, BenchCommand.median(v),
        Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0)));
  }
}
