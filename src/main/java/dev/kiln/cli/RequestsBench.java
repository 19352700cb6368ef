package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Json;
import dev.kiln.http.MetricsRegistries;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What {@code kiln bench requests} measures against a running Kiln: the cost of the calls that
 * test suites and automation make by the thousand, one at a time over a keep-alive connection,
 * each figure both as the client sees it and as Kiln's own {@code /metrics} timed it (from the
 * request's arrival to its answer, without the loopback and the client). Issue 16 sets the
 * targets; the README puts these figures next to real OpenStack's.
 *
 * <p>Each call is warmed up untimed first (a new JVM runs the first few hundred requests in the
 * interpreter), and Kiln's {@code /metrics} is read right after each call's timed run. The bench's
 * server keeps its percentiles over the last {@value #METRICS_WINDOW_SECONDS} seconds ({@link
 * MetricsRegistries#WINDOW_PROPERTY}), and each timed run starts once its warm-up has left that
 * window, so the server's figures are the timed run's alone, as the client's are (a timed run
 * longer than the window is read over its last seconds).
 *
 * <p>Why over 400 lines: every call's measurement is a short step of one sequence that shares the
 * client, the token, the server's CPU marks and the two tables it writes; split apart, each step
 * would need all of them. How the CPU is split by thread is {@link ThreadCpu}'s.
 */
final class RequestsBench {
  private static final String NET = "/networking/v2.0";
  private static final String NOVA = "/compute/v2.1";
  private static final String CONNECTOR =
      "{\"initiator\": \"iqn.1993-08.org.debian:01:bench\", \"ip\": \"127.0.0.1\", \"host\": \"kiln-compute-1\"}";
  /** 2.37: {@code networks} is required and may be "none". */
  private static final String BOOT_VERSION = "compute 2.37";

  private final LocalClient client;
  private final Supplier<LocalClient> newClient;
  private final String token;
  private final String project;
  private final int rounds;
  private int warmUp = -1;
  private final StringBuilder out = new StringBuilder();
  private final java.util.function.LongSupplier serverCpuNanos;
  private final long serverPid;
  /** The server's CPU time when the current call's timed run began. */
  private long phaseCpu;
  /** The server's CPU by kind of thread when the current call's timed run began. */
  private Map<ThreadCpu.Kind, Long> phaseThreads;
  /** Where each call's server CPU went, and what else it cost: a second table, after the first. */
  private final StringBuilder split = new StringBuilder();
  /** GETs the client made while it waited for the last volume or server to be ready, per round. */
  private double pollsPerRound = -1;
  private long polls;

  /**
   * @param newClient a new client with a connection of its own, for the parallel run
   * @param rounds timed requests of each call (the warm-up is a fifth of it, at least 50)
   */
  RequestsBench(LocalClient client, Supplier<LocalClient> newClient, long serverPid, String password, int rounds)
      throws Exception {
    this.client = client;
    this.serverPid = serverPid;
    this.serverCpuNanos = () -> BenchCommand.cpuNanos(serverPid);
    this.newClient = newClient;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.project = LocalClient.projectId(issued);
    this.rounds = rounds;
  }

  /** How far back the bench server's {@code /metrics} percentiles reach. */
  static final int METRICS_WINDOW_SECONDS = 10;

  /** The JVM options of the server this bench measures: the window of its percentiles. */
  static List<String> serverJvmOptions() {
    return List.of("-D" + MetricsRegistries.WINDOW_PROPERTY + "=" + METRICS_WINDOW_SECONDS);
  }

  /** The groups of calls a run can be narrowed to ({@code --only}), in the order they run. */
  static final List<String> GROUPS = List.of("ports", "volumes", "attachments", "servers", "parallel");

  /** Every call but the server boot, then the boot. */
  String runAll(int hosts) throws Exception {
    return runAll(hosts, GROUPS);
  }

  /** The calls of {@code groups} (see {@link #GROUPS}), in their usual order. */
  String runAll(int hosts, List<String> groups) throws Exception {
    header(hosts);
    liftQuotas();
    if (groups.contains("ports")) {
      ports(network("bench-ports", "10.0.0.0/16"));
    }
    if (groups.contains("volumes")) {
      volumes();
    }
    if (groups.contains("attachments")) {
      attachments();
    }
    if (groups.contains("servers")) {
      servers(hosts);
    }
    if (groups.contains("parallel")) {
      parallelPorts(network("bench-parallel", "10.1.0.0/16"));
    }
    return out.append(splitTable()).toString();
  }

  /** The server boot alone, for a fleet of another size. */
  String runServers(int hosts) throws Exception {
    header(hosts);
    liftQuotas();
    servers(hosts);
    return out.append(splitTable()).toString();
  }

  private void header(int hosts) {
    out.append(String.format(Locale.ROOT,
        "%n(%,d simulated hosts, zero simulated latency; %d timed requests of each call after %d untimed)%n%n"
            + "| call | server p50 | server p95 | client p50 | client p95 | server CPU per call |%n|---|---|---|---|---|---|%n",
        hosts, rounds, warmUp()));
  }

  private int warmUp() {
    return warmUp >= 0 ? warmUp : Math.max(50, rounds / 5);
  }

  /**
   * Sets the untimed requests of each call before its timed run ({@code --warm-up}); negative
   * keeps the default, a fifth of the rounds and at least 50. The JIT is still compiling after
   * the default's (see the README's "Session 7"): a longer warm-up shows the steadier state.
   */
  RequestsBench warmUp(int requests) {
    this.warmUp = requests;
    return this;
  }

  private void liftQuotas() throws Exception {
    expect(200, call("PUT", NET + "/quotas/" + project, null,
        "{\"quota\": {\"network\": -1, \"subnet\": -1, \"port\": -1}}"));
    expect(200, call("PUT", "/volume/v3/" + project + "/os-quota-sets/" + project, null,
        "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}"));
    expect(200, call("PUT", NOVA + "/os-quota-sets/" + project, null,
        "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}"));
  }

  private String network(String name, String cidr) throws Exception {
    String network = json(expect(201, call("POST", NET + "/networks", null,
        "{\"network\": {\"name\": \"" + name + "\"}}"))).at("/network/id").asText();
    expect(201, call("POST", NET + "/subnets", null,
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\"}}"));
    return network;
  }

  private void ports(String network) throws Exception {
    String body = "{\"port\": {\"network_id\": \"" + network + "\"}}";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < warmUp(); i++) {
      ids.add(json(expect(201, call("POST", NET + "/ports", null, body))).at("/port/id").asText());
    }
    long[] creates = new long[rounds];
    startPhase();
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      String created = expect(201, call("POST", NET + "/ports", null, body));
      creates[i] = System.nanoTime() - t;
      ids.add(json(created).at("/port/id").asText());
    }
    row("POST /v2.0/ports", "POST", "/networking/v2.0/ports", "201", creates);

    String one = NET + "/ports/" + ids.getFirst();
    row("GET /v2.0/ports/{id}", "GET", "/networking/v2.0/ports/{", "200", timed(() -> expect(200, call("GET", one, null, null))));

    String list = NET + "/ports?network_id=" + network + "&limit=100";
    long[] lists = timed(() -> {
      String page = expect(200, call("GET", list, null, null));
      if (json(page).path("ports").size() != 100) {
        throw new IOException("the list did not hold 100 ports");
      }
    });
    row("GET /v2.0/ports?limit=100 (100 ports)", "GET", "/networking/v2.0/ports\"", "200", lists);
  }

  private void volumes() throws Exception {
    String v3 = "/volume/v3/" + project;
    String body = "{\"volume\": {\"size\": 1}}";
    for (int i = 0; i < warmUp(); i++) {
      String id = json(expect(202, call("POST", v3 + "/volumes", null, body))).at("/volume/id").asText();
      awaitVolume(v3, id);
    }
    long[] posts = new long[rounds];
    long[] available = new long[rounds];
    long[] serverAvailable = new long[rounds];
    startPhase();
    polls = 0;
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      String created = expect(202, call("POST", v3 + "/volumes", null, body));
      long answered = System.nanoTime();
      posts[i] = answered - t;
      JsonNode volume = awaitVolume(v3, json(created).at("/volume/id").asText());
      available[i] = System.nanoTime() - answered;
      serverAvailable[i] = stampNanos(volume.path("updated_at").asText()) - stampNanos(volume.path("created_at").asText());
    }
    pollsPerRound = (double) polls / rounds;
    row("POST /volumes", "POST", "/volumes\"", "202", posts);
    out.append(String.format(Locale.ROOT, "| volume `available` after the POST's answer | %s | %s | %.3f | %.3f | (with its GETs) |%n",
        "created_at→updated_at " + fmt(BenchCommand.median(serverAvailable)), fmt(BenchCommand.percentile(serverAvailable, 95)),
        BenchCommand.ms(BenchCommand.median(available)), BenchCommand.ms(BenchCommand.percentile(available, 95))));
  }

  private JsonNode awaitVolume(String v3, String id) throws Exception {
    while (true) {
      polls++;
      JsonNode volume = json(call("GET", v3 + "/volumes/" + id, null, null).body()).path("volume");
      String status = volume.path("status").asText();
      if (status.equals("available")) {
        return volume;
      }
      if (!status.equals("creating")) {
        throw new IOException("volume " + id + " ended " + status);
      }
      Thread.onSpinWait();
    }
  }

  private void attachments() throws Exception {
    String v3 = "/volume/v3/" + project;
    String volume = json(expect(202, call("POST", v3 + "/volumes", null,
        "{\"volume\": {\"size\": 1, \"multiattach\": true}}"))).at("/volume/id").asText();
    awaitVolume(v3, volume);
    for (int i = 0; i < warmUp(); i++) {
      cycle(v3, volume, i, null, 0);
    }
    long[][] steps = new long[4][rounds];
    startPhase();
    long cycleCpu = phaseCpu;
    for (int i = 0; i < rounds; i++) {
      cycle(v3, volume, warmUp() + i, steps, i);
    }
    cycleCpu = (serverCpuNanos.getAsLong() - cycleCpu) / rounds;
    splitRow("the four attachment calls together", rounds, null);
    phaseCpu = -1;
    phaseThreads = null;
    row("POST /attachments", "POST", "/attachments\"", "200", steps[0]);
    row("PUT /attachments/{id} (connector)", "PUT", "/attachments/{", "200", steps[1]);
    row("POST /attachments/{id}/action (os-complete)", "POST", "/action\"", "204", steps[2]);
    row("DELETE /attachments/{id}", "DELETE", "/attachments/{", "200", steps[3]);
    out.append(String.format(Locale.ROOT, "| the four attachment calls together | | | | | %.3f |%n", BenchCommand.ms(cycleCpu)));
  }

  private void cycle(String v3, String volume, int i, long[][] steps, int index) throws Exception {
    String server = java.util.UUID.nameUUIDFromBytes(("bench-server-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    long t0 = System.nanoTime();
    String id = json(expect(200, call("POST", v3 + "/attachments", "volume 3.44",
        "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + server + "\"}}")))
        .at("/attachment/id").asText();
    long t1 = System.nanoTime();
    expect(200, call("PUT", v3 + "/attachments/" + id, "volume 3.44", "{\"attachment\": {\"connector\": " + CONNECTOR + "}}"));
    long t2 = System.nanoTime();
    expect(204, call("POST", v3 + "/attachments/" + id + "/action", "volume 3.44", "{\"os-complete\": null}"));
    long t3 = System.nanoTime();
    expect(200, call("DELETE", v3 + "/attachments/" + id, "volume 3.44", null));
    long t4 = System.nanoTime();
    if (steps != null) {
      long[] marks = {t0, t1, t2, t3, t4};
      for (int s = 0; s < 4; s++) {
        steps[s][index] = marks[s + 1] - marks[s];
      }
    }
  }

  private void servers(int hosts) throws Exception {
    String image = json(expect(200, call("GET", "/image/v2/images?name=cirros", null, null))).at("/images/0/id").asText();
    String body = "{\"server\": {\"name\": \"bench\", \"flavorRef\": \"1\", \"imageRef\": \"" + image
        + "\", \"networks\": \"none\"}}";
    // The warm-up's servers are deleted, each before the next boot, so that a warm-up long enough
    // for the JIT to finish (20,000) fits on 3 hosts; the timed boots' servers are kept.
    for (int i = 0; i < warmUp(); i++) {
      String id = json(expect(202, call("POST", NOVA + "/servers", BOOT_VERSION, body))).at("/server/id").asText();
      awaitServer(id);
      expect(204, call("DELETE", NOVA + "/servers/" + id, null, null));
      awaitGone(id);
    }
    int boots = Math.min(rounds, 1_000);
    long[] posts = new long[boots];
    long[] active = new long[boots];
    startPhase();
    polls = 0;
    for (int i = 0; i < boots; i++) {
      long t = System.nanoTime();
      String created = expect(202, call("POST", NOVA + "/servers", BOOT_VERSION, body));
      long answered = System.nanoTime();
      posts[i] = answered - t;
      awaitServer(json(created).at("/server/id").asText());
      active[i] = System.nanoTime() - answered;
    }
    pollsPerRound = (double) polls / boots;
    row(String.format(Locale.ROOT, "POST /servers (networks \"none\"), %,d hosts", hosts), "POST", "/compute/v2.1/servers\"", "202", posts);
    out.append(String.format(Locale.ROOT, "| server `ACTIVE` after the POST's answer, %,d hosts | | | %.3f | %.3f | (with its GETs) |%n", hosts,
        BenchCommand.ms(BenchCommand.median(active)), BenchCommand.ms(BenchCommand.percentile(active, 95))));
  }

  /** Waits until the deleted server is gone (404); a delete that ends in ERROR stops the bench. */
  private void awaitGone(String id) throws Exception {
    while (true) {
      var answer = call("GET", NOVA + "/servers/" + id, null, null);
      if (answer.statusCode() == 404) {
        return;
      }
      if (json(expect(200, answer)).at("/server/status").asText().equals("ERROR")) {
        throw new IOException("server " + id + " ended ERROR while being deleted");
      }
      Thread.onSpinWait();
    }
  }

  private void awaitServer(String id) throws Exception {
    while (true) {
      polls++;
      String status = json(expect(200, call("GET", NOVA + "/servers/" + id, null, null))).at("/server/status").asText();
      if (status.equals("ACTIVE")) {
        return;
      }
      if (!status.equals("BUILD")) {
        throw new IOException("server " + id + " ended " + status);
      }
      Thread.onSpinWait();
    }
  }

  /** One port create as a client of the parallel run sends it: the answer's status and body. */
  @FunctionalInterface
  private interface Create {
    SocketClient.Response send() throws Exception;
  }

  /**
   * Port creates from 8 client threads, each over its own keep-alive connection, for a fixed count:
   * first from bare sockets ({@link SocketClient}), whose own cost is small beside the server's, so
   * that the rate is the server's; then from the JDK's HTTP client, the bench's usual client, whose
   * CPU on the same cores shows in its lower rate. Each run starts once the one before has left
   * the window of the server's percentiles.
   */
  private void parallelPorts(String network) throws Exception {
    String body = "{\"port\": {\"network_id\": \"" + network + "\"}}";
    String path = NET + "/ports";
    List<SocketClient> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      parallelCreates("bare sockets", () -> {
        SocketClient own = new SocketClient(client.baseUrl());
        sockets.add(own);
        return () -> own.send("POST", path, token, body);
      });
    } finally {
      for (SocketClient socket : sockets) {
        socket.close();
      }
    }
    parallelCreates("the JDK's HTTP client", () -> {
      LocalClient own = newClient.get();
      return () -> {
        HttpResponse<String> r = own.send("POST", path, token, null, body);
        return new SocketClient.Response(r.statusCode(), r.body());
      };
    });
  }

  private void parallelCreates(String clientKind, Supplier<Create> newCreate) throws Exception {
    int threads = 8;
    int total = Math.max(4_000, rounds * 4);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    List<String> errorText = java.util.Collections.synchronizedList(new ArrayList<>());
    awaitWindowPassed();
    long start = System.nanoTime();
    long cpuStart = serverCpuNanos.getAsLong();
    long clientCpuStart = BenchCommand.cpuNanos(ProcessHandle.current().pid());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Create create = newCreate.get();
        done.add(pool.submit(() -> {
          while (next.getAndIncrement() < total) {
            try {
              SocketClient.Response r = create.send();
              if (r.status() != 201) {
                errors.incrementAndGet();
                if (errorText.size() < 3) {
                  errorText.add(r.status() + " " + r.body());
                }
              }
            } catch (Exception e) {
              errors.incrementAndGet();
              if (errorText.size() < 3) {
                errorText.add(e.toString());
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    long nanos = System.nanoTime() - start;
    long cpu = (serverCpuNanos.getAsLong() - cpuStart) / total;
    long clientCpu = (BenchCommand.cpuNanos(ProcessHandle.current().pid()) - clientCpuStart) / total;
    String metrics = client.get("/metrics", null).body();
    out.append(String.format(Locale.ROOT,
        "| %,d port creates from %d keep-alive client threads (%s; the client's CPU per create %s ms) | %s | %s | %.0f creates/s | %d errors | %s |%n",
        total, threads, clientKind, fmt(clientCpu), quantile(metrics, "POST", "/networking/v2.0/ports\"", "201", "0.5"),
        quantile(metrics, "POST", "/networking/v2.0/ports\"", "201", "0.95"), total / (nanos / 1e9), errors.get(), fmt(cpu)));
    for (String e : errorText) {
      out.append("  error: ").append(e).append(System.lineSeparator());
    }
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  private long[] timed(Call call) throws Exception {
    for (int i = 0; i < warmUp(); i++) {
      call.run();
    }
    long[] times = new long[rounds];
    startPhase();
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      call.run();
      times[i] = System.nanoTime() - t;
    }
    return times;
  }

  /** One table row: Kiln's own p50 and p95 for the route (read now), and the client's. */
  private void row(String name, String method, String routeEnd, String status, long[] client) throws Exception {
    // The CPU the server spent per call of the timed run (its JIT and GC threads included): less
    // at the mercy of other work on a shared machine than the wall-clock figures.
    String cpu = phaseCpu < 0 ? "" : fmt((serverCpuNanos.getAsLong() - phaseCpu) / client.length);
    String metrics = this.client.get("/metrics", null).body();
    if (phaseThreads != null) {
      splitRow(name, client.length, statements(metrics, method, routeEnd, status));
    }
    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %s |%n", name,
        quantile(metrics, method, routeEnd, status, "0.5"), quantile(metrics, method, routeEnd, status, "0.95"),
        BenchCommand.ms(BenchCommand.median(client)), BenchCommand.ms(BenchCommand.percentile(client, 95)), cpu));
    System.err.printf(Locale.ROOT, "  %s done%n", name);
  }

  /**
   * Marks the start of a call's timed run, once the requests before it have left the window of
   * the server's percentiles: the server's CPU, in all and by kind of thread.
   */
  private void startPhase() throws InterruptedException {
    awaitWindowPassed();
    phaseThreads = ThreadCpu.snapshot(serverPid);
    phaseCpu = serverCpuNanos.getAsLong();
  }

  private static void awaitWindowPassed() throws InterruptedException {
    Thread.sleep((METRICS_WINDOW_SECONDS + 1) * 1_000L);
  }

  /**
   * One row of the second table: the server's CPU per call of the timed run by kind of thread,
   * the statements the request ran, and the GETs the client polled with while it waited.
   */
  private void splitRow(String name, int calls, String statements) {
    Map<ThreadCpu.Kind, Long> cpu = ThreadCpu.perCall(phaseThreads, ThreadCpu.snapshot(serverPid), calls);
    split.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name,
        fmt(cpu.get(ThreadCpu.Kind.WORK)), fmt(cpu.get(ThreadCpu.Kind.JIT)), fmt(cpu.get(ThreadCpu.Kind.GC)),
        fmt(cpu.get(ThreadCpu.Kind.OTHER)), statements == null ? "" : statements,
        pollsPerRound < 0 ? "" : String.format(Locale.ROOT, "%.1f", pollsPerRound)));
    pollsPerRound = -1;
  }

  private String splitTable() {
    if (split.isEmpty()) {
      return "";
    }
    return String.format(Locale.ROOT,
        "%nWhere the server's CPU per call went (ms; the kernel counts it in 10 ms ticks, so short runs are coarse),"
            + " the SQL statements each request ran (the mean over its warm-up and timed run) and the GETs the client"
            + " polled with per call while it waited:%n%n"
            + "| call | requests and tasks (virtual threads) | JIT compilers | GC and VM thread | other threads"
            + " | statements per request | GETs polled |%n|---|---|---|---|---|---|---|%n")
        + split;
  }

  /** The mean of {@code kiln_http_server_statements} for one route, as the quantiles are found. */
  static String statements(String metrics, String method, String routePart, String status) {
    double[] sumCount = new double[2];
    String[] what = {"sum", "count"};
    for (int i = 0; i < 2; i++) {
      String prefix = "kiln_http_server_statements_" + what[i] + "{";
      int index = i;
      metrics.lines()
          .filter(l -> l.startsWith(prefix))
          .filter(l -> l.contains("method=\"" + method + "\"") && l.contains("status=\"" + status + "\""))
          .filter(l -> {
            int at = l.indexOf("route=\"");
            return at >= 0 && l.substring(at, l.indexOf('"', at + 7) + 1).contains(routePart);
          })
          .findFirst()
          .ifPresent(l -> sumCount[index] = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
    }
    return sumCount[1] == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", sumCount[0] / sumCount[1]);
  }

  /**
   * A quantile of {@code kiln_http_server_requests_seconds} in milliseconds, for the one route
   * whose pattern contains {@code routePart} (a route's end is written with its closing quote).
   */
  static String quantile(String metrics, String method, String routePart, String status, String q) {
    return metrics.lines()
        .filter(l -> l.startsWith("kiln_http_server_requests_seconds{"))
        .filter(l -> l.contains("method=\"" + method + "\"") && l.contains("status=\"" + status + "\"")
            && l.contains("quantile=\"" + q + "\""))
        .filter(l -> {
          int at = l.indexOf("route=\"");
          return at >= 0 && l.substring(at).contains(routePart) && l.substring(at, l.indexOf('"', at + 7) + 1).contains(routePart);
        })
        .map(l -> String.format(Locale.ROOT, "%.3f", Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000))
        .findFirst()
        .orElse("n/a");
  }

  /** A Cinder timestamp (microseconds at most) as nanoseconds since the epoch. */
  private static long stampNanos(String stamp) {
    String iso = stamp.endsWith("Z") || stamp.contains("+") ? stamp : stamp + "Z";
    java.time.Instant instant = java.time.Instant.parse(iso);
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static String fmt(long nanos) {
    return String.format(Locale.ROOT, "%.3f", BenchCommand.ms(nanos));
  }

  private HttpResponse<String> call(String method, String path, String apiVersion, String body) throws Exception {
    return apiVersion == null
        ? client.send(method, path, token, null, body)
        : client.sendVersioned(method, path, token, apiVersion, body);
  }

  private static JsonNode json(String body) throws IOException {
    return Json.MAPPER.readTree(body);
  }
}
