package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code kiln bench compute} measures against a running Kiln with zero simulated latency:
 * booting 100 and then 1,000 servers, each with a port on one network, from the first POST until
 * the list shows none still building; then growing to 10,000 servers and timing the detailed
 * server list a page of 100 at a time, at the top, deep behind a marker, and walked end to end.
 * The fleet's size is a choice ({@code --fleet}), so that boots on 3 hosts and on 1,000 can be
 * compared; {@code --boots-only} stops after the boots. It prints figures and asserts nothing.
 */
final class ComputeBench {
  static final int DEFAULT_HOSTS = 10;
  /** The fleet holds 11,000 m1.tiny servers (1 vCPU, 512 MiB, 1 GiB), spread over its hosts. */
  private static final int FLEET_CAPACITY = 11_000;
  private static final int TOTAL = 10_000;
  private static final int WARM_UP = 50;
  private static final int BULK_BATCH = 1_000;
  private static final int PAGE = 100;
  private static final int LIST_REQUESTS = 200;
  private static final int THREADS = 8;
  /** 2.37: {@code networks} is required and may be "none". */
  private static final String BOOT_VERSION = "compute 2.37";
  private static final String NOVA = "/compute/v2.1";

  private final LocalClient client;
  private final String token;
  private final int hosts;
  private final boolean bootsOnly;
  private final int batch;
  private String imageId;
  private String networkId;
  private int booted;

  ComputeBench(LocalClient client, String password, int hosts, boolean bootsOnly, int batch) throws Exception {
    this.client = client;
    this.token = LocalClient.token(client.issueToken(password));
    this.hosts = hosts;
    this.bootsOnly = bootsOnly;
    if (batch < 1 || batch > TOTAL - WARM_UP - 100) {
      throw new IllegalArgumentException("--boots must be from 1 to " + (TOTAL - WARM_UP - 100));
    }
    this.batch = batch;
  }

  /** The {@code kiln serve} options for a fleet of {@code hosts} that fits every server the bench boots. */
  static List<String> serverOptions(int hosts) {
    if (hosts < 1) {
      throw new IllegalArgumentException("--fleet must be at least 1");
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      names.add("bench-compute-" + i);
    }
    int perHost = (FLEET_CAPACITY + hosts - 1) / hosts;
    return List.of(
        "--compute-hosts", String.join(",", names),
        "--compute-host-vcpus", Integer.toString(perHost),
        "--compute-host-ram-mb", Integer.toString(perHost * 512),
        "--compute-host-disk-gb", Integer.toString(perHost),
        "--compute-latency", "zero");
  }

  String run() throws Exception {
    // The bench boots far past Nova's and Neutron's default quotas (10 servers, 500 ports).
    String project = json(expect(200, get("/identity/v3/projects?name=admin", null))).at("/projects/0/id").asText();
    expect(200, call("PUT", NOVA + "/os-quota-sets/" + project, null,
        "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}"));
    expect(200, call("PUT", "/networking/v2.0/quotas/" + project, null, "{\"quota\": {\"port\": -1}}"));
    imageId = json(expect(200, get("/image/v2/images?name=cirros", null))).at("/images/0/id").asText();
    networkId =
        json(expect(201, call("POST", "/networking/v2.0/networks", null, "{\"network\": {\"name\": \"bench\"}}")))
            .at("/network/id").asText();
    expect(201, call("POST", "/networking/v2.0/subnets", null,
        "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.0/16\"}}"));
    String withPort = "[{\"uuid\": \"" + networkId + "\"}]";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "(%,d hosts; after %d untimed warm-up boots with ports)%n%n| measure | result | notes |%n|---|---|---|%n",
        hosts, WARM_UP));

    // Untimed: the first boots of a new JVM run in the interpreter; the figures are for a warm one.
    Batch warmUp = boot(WARM_UP, "bench-w-", withPort);
    progress("warm-up: %d servers with ports in %d ms", WARM_UP, warmUp.millis);
    Batch hundred = boot(100, "bench-a-", withPort);
    progress("100 servers with ports in %d ms", hundred.millis);
    out.append(String.format(Locale.ROOT,
        "| 100 servers, each with a port, first POST to all ACTIVE | %d ms | %s |%n", hundred.millis, hundred.notes()));
    Batch second = boot(batch, "bench-b-", withPort);
    progress("%,d servers with ports in %d ms", batch, second.millis);
    out.append(String.format(Locale.ROOT,
        "| %,d servers, each with a port, first POST to all ACTIVE | %d ms | %s |%n", batch, second.millis,
        second.notes()));
    if (bootsOnly) {
      return out.toString();
    }
    long bulkMillis = 0;
    int bulkServers = 0;
    int bulkErrors = 0;
    while (booted < TOTAL) {
      Batch b = boot(Math.min(BULK_BATCH, TOTAL - booted), "bench-c-" + booted + "-", "\"none\"");
      bulkMillis += b.millis;
      bulkServers += b.count;
      bulkErrors += b.errors;
      progress("%,d servers", booted);
    }
    out.append(String.format(Locale.ROOT,
        "| growing to %,d servers: %,d more, networks \"none\", in batches of %,d | %,d ms | %.0f servers/s; %d in ERROR |%n",
        TOTAL, bulkServers, BULK_BATCH, bulkMillis, bulkServers * 1000.0 / Math.max(1, bulkMillis), bulkErrors));

    String detail = NOVA + "/servers/detail?limit=" + PAGE;
    // Walk every page first: it checks the markers and finds a deep one.
    long walkStart = System.nanoTime();
    List<String> ids = new ArrayList<>();
    String next = detail;
    int pages = 0;
    while (next != null) {
      JsonNode page = json(expect(200, get(next, null)));
      pages++;
      page.path("servers").forEach(s -> ids.add(s.path("id").asText()));
      JsonNode link = page.at("/servers_links/0/href");
      next = link.isMissingNode() ? null : link.asText().substring(link.asText().indexOf(NOVA));
    }
    long walkMillis = (System.nanoTime() - walkStart) / 1_000_000;
    int distinct = new HashSet<>(ids).size();

    progress("walked %d pages in %d ms", pages, walkMillis);
    long[] first = time(detail, null);
    long[] firstLatest = time(detail, "compute 2.79");
    // A marker 150 rows from the end: the page after it holds servers with ports and addresses.
    String deepMarker = ids.get(Math.max(0, ids.size() - 150));
    long[] deep = time(detail + "&marker=" + deepMarker, null);
    long[] summary = time(NOVA + "/servers?limit=" + PAGE, null);
    long[] named = time(detail + "&name=" + URLEncoder.encode("^bench-a-1", StandardCharsets.UTF_8), null);
    out.append(String.format(Locale.ROOT,
        "| `GET /servers/detail?limit=100` at %,d servers, first page | median %.1f ms | p95 %.1f ms, %d requests |%n",
        ids.size(), BenchCommand.ms(BenchCommand.median(first)), BenchCommand.ms(BenchCommand.percentile(first, 95)),
        LIST_REQUESTS));
    out.append(String.format(Locale.ROOT,
        "| the same at microversion 2.79 (host_status and more) | median %.1f ms | p95 %.1f ms |%n",
        BenchCommand.ms(BenchCommand.median(firstLatest)), BenchCommand.ms(BenchCommand.percentile(firstLatest, 95))));
    out.append(String.format(Locale.ROOT,
        "| the same behind a marker %,d rows deep (servers with ports) | median %.1f ms | p95 %.1f ms |%n",
        ids.size() - 150, BenchCommand.ms(BenchCommand.median(deep)), BenchCommand.ms(BenchCommand.percentile(deep, 95))));
    out.append(String.format(Locale.ROOT,
        "| `GET /servers?limit=100` (summary), first page | median %.1f ms | p95 %.1f ms |%n",
        BenchCommand.ms(BenchCommand.median(summary)), BenchCommand.ms(BenchCommand.percentile(summary, 95))));
    out.append(String.format(Locale.ROOT,
        "| `GET /servers/detail?limit=100&name=^bench-a-1` (11 match, all %,d rows scanned) | median %.1f ms | p95 %.1f ms |%n",
        ids.size(), BenchCommand.ms(BenchCommand.median(named)), BenchCommand.ms(BenchCommand.percentile(named, 95))));
    out.append(String.format(Locale.ROOT,
        "| walking all %,d servers, 100 a page, by `servers_links` | %d ms | %d pages, %,d distinct servers |%n",
        ids.size(), walkMillis, pages, distinct));
    return out.toString();
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "  " + format + "%n", args);
  }

  /** What one batch of boots took. */
  private record Batch(int count, long millis, int errors, long postMillis) {
    String notes() {
      return String.format(Locale.ROOT, "POSTs done after %d ms (%d threads); %d in ERROR", postMillis, THREADS, errors);
    }
  }

  /**
   * Boots {@code count} servers from {@value #THREADS} client threads, then polls the list for
   * servers still building (one row is enough to know) until there are none.
   */
  private Batch boot(int count, String namePrefix, String networks) throws Exception {
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String body =
            "{\"server\": {\"name\": \"" + namePrefix + i + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": " + networks + "}}";
        futures.add(pool.submit(() -> expect(202, call("POST", NOVA + "/servers", BOOT_VERSION, body))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    long posted = System.nanoTime();
    while (!json(expect(200, get(NOVA + "/servers?status=BUILD&limit=1", null))).path("servers").isEmpty()) {
      Thread.sleep(5);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    booted += count;
    int errors = json(expect(200, get(NOVA + "/servers?status=ERROR", null))).path("servers").size();
    return new Batch(count, millis, errors, (posted - start) / 1_000_000);
  }

  /** Times {@value #LIST_REQUESTS} GETs of {@code path} after 20 untimed ones. */
  private long[] time(String path, String version) throws Exception {
    for (int i = 0; i < 20; i++) {
      expect(200, get(path, version));
    }
    long[] times = new long[LIST_REQUESTS];
    for (int i = 0; i < LIST_REQUESTS; i++) {
      long t = System.nanoTime();
      expect(200, get(path, version));
      times[i] = System.nanoTime() - t;
    }
    return times;
  }

  private HttpResponse<String> get(String path, String version) throws Exception {
    return call("GET", path, version, null);
  }

  private HttpResponse<String> call(String method, String path, String version, String body) throws Exception {
    return version == null
        ? client.send(method, path, token, null, body)
        : client.sendVersioned(method, path, token, version, body);
  }

  private static JsonNode json(String body) throws IOException {
    return Json.MAPPER.readTree(body);
  }
}
