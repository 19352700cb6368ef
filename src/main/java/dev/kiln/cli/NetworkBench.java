package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code kiln bench network} measures against a running Kiln, over HTTP as a user's tool
 * would: the L3 cycle a template runs for each tier (router create, interface add on a subnet,
 * gateway set on the external network, floating IP create, associate with a port), each step and
 * all five together; and 1,000 floating IPs allocated from one /22, one after another and from 8
 * threads at once. It prints
 * figures and asserts nothing but that every request succeeded.
 */
final class NetworkBench {
  private static final int WARM_UP = 30;
  private static final int CYCLES = 200;
  private static final int FLOATING_IPS = 1000;
  private static final int PARALLEL = 8;
  private static final String NET = "/networking/v2.0";

  private final LocalClient client;
  private final String token;
  private final String project;
  /** The server process's CPU time so far (user and system, all its threads), in nanoseconds. */
  private final java.util.function.LongSupplier serverCpu;

  NetworkBench(LocalClient client, String password, java.util.function.LongSupplier serverCpu) throws Exception {
    this.client = client;
    this.serverCpu = serverCpu;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.project = LocalClient.projectId(issued);
  }

  /** The {@code kiln serve} options: the defaults. */
  static List<String> serverOptions() {
    return List.of();
  }

  String run() throws Exception {
    // Far past Neutron's default quotas (10 routers, 50 floating IPs, 100 networks).
    expect(200, call("PUT", NET + "/quotas/" + project,
        "{\"quota\": {\"network\": -1, \"subnet\": -1, \"port\": -1, \"router\": -1, \"floatingip\": -1}}"));
    String cycleExternal = externalNetwork("bench-public", "100.64.0.0/20");
    String[][] tiers = new String[WARM_UP + CYCLES][];
    for (int i = 0; i < tiers.length; i++) {
      tiers[i] = tier(i);
    }
    progress("%d tiers made", tiers.length);
    for (int i = 0; i < WARM_UP; i++) {
      cycle(tiers[i], cycleExternal, null, 0);
    }
    long[] totals = new long[CYCLES];
    long[][] steps = new long[5][CYCLES];
    long cycleCpu = serverCpu.getAsLong();
    for (int i = 0; i < CYCLES; i++) {
      long t = System.nanoTime();
      cycle(tiers[WARM_UP + i], cycleExternal, steps, i);
      totals[i] = System.nanoTime() - t;
    }
    cycleCpu = serverCpu.getAsLong() - cycleCpu;
    progress("%d L3 cycles", CYCLES);

    String bulkExternal = externalNetwork("bench-pool", "100.80.0.0/22");
    Set<String> addresses = new HashSet<>();
    long allocationCpu = serverCpu.getAsLong();
    long start = System.nanoTime();
    for (int i = 0; i < FLOATING_IPS; i++) {
      String body = expect(201, call("POST", NET + "/floatingips",
          "{\"floatingip\": {\"floating_network_id\": \"" + bulkExternal + "\"}}"));
      addresses.add(json(body).at("/floatingip/floating_ip_address").asText());
    }
    long allocation = System.nanoTime() - start;
    allocationCpu = serverCpu.getAsLong() - allocationCpu;
    progress("%d floating IPs", FLOATING_IPS);

    // The same from 8 client threads at once: the allocations queue on the external subnet's lock,
    // the rest of each request (token, JSON, quota) runs side by side.
    String parallelExternal = externalNetwork("bench-pool-2", "100.84.0.0/22");
    Set<String> parallelAddresses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    long parallelCpu = serverCpu.getAsLong();
    long parallelStart = System.nanoTime();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL)) {
      List<java.util.concurrent.Future<Void>> done = new java.util.ArrayList<>();
      for (int t = 0; t < PARALLEL; t++) {
        done.add(pool.submit(() -> {
          while (next.getAndIncrement() < FLOATING_IPS) {
            String body = expect(201, call("POST", NET + "/floatingips",
                "{\"floatingip\": {\"floating_network_id\": \"" + parallelExternal + "\"}}"));
            parallelAddresses.add(json(body).at("/floatingip/floating_ip_address").asText());
          }
          return null;
        }));
      }
      for (var f : done) {
        f.get();
      }
    }
    long parallel = System.nanoTime() - parallelStart;
    parallelCpu = serverCpu.getAsLong() - parallelCpu;
    progress("%d floating IPs from %d threads", FLOATING_IPS, PARALLEL);

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "(after %d untimed warm-up cycles)%n%n| measure | median | p95 |%n|---|---|---|%n", WARM_UP));
    out.append(String.format(Locale.ROOT,
        "| router create + interface add + gateway set + floating IP create + associate, %d cycles (ms) | %.2f | %.2f |%n",
        CYCLES, BenchCommand.ms(BenchCommand.median(totals)), BenchCommand.ms(BenchCommand.percentile(totals, 95))));
    String[] names = {"POST routers", "PUT add_router_interface (subnet)", "PUT routers (external_gateway_info)",
        "POST floatingips", "PUT floatingips (port_id)"};
    for (int s = 0; s < names.length; s++) {
      out.append(String.format(Locale.ROOT, "| - %s (ms) | %.2f | %.2f |%n", names[s],
          BenchCommand.ms(BenchCommand.median(steps[s])), BenchCommand.ms(BenchCommand.percentile(steps[s], 95))));
    }
    out.append(String.format(Locale.ROOT,
        "| %d floating IPs allocated one after another from one /22 (s) | %.2f | |%n", FLOATING_IPS, allocation / 1e9));
    out.append(String.format(Locale.ROOT,
        "| %d floating IPs allocated from one /22 by %d client threads at once (s) | %.2f | |%n", FLOATING_IPS, PARALLEL,
        parallel / 1e9));
    out.append(String.format(Locale.ROOT, "distinct addresses: %d of %d one after another, %d of %d at once%n",
        addresses.size(), FLOATING_IPS, parallelAddresses.size(), FLOATING_IPS));
    // The server's CPU per request (its JIT and GC threads included): on a shared machine, the
    // figure the others' work disturbs least, so the one to compare two builds by.
    out.append(String.format(Locale.ROOT,
        "server CPU (ms): %.3f per L3 cycle (five requests), %.3f per floating IP one after another, %.3f per"
            + " floating IP from %d threads%n",
        cycleCpu / 1e6 / CYCLES, allocationCpu / 1e6 / FLOATING_IPS, parallelCpu / 1e6 / FLOATING_IPS, PARALLEL));
    // Kiln's own view of the same requests, without the client, the loopback and the scheduler's
    // queue on a busy machine.
    String metrics = client.get("/metrics", null).body();
    out.append("server-side medians (ms):").append(System.lineSeparator());
    metrics.lines()
        .filter(l -> l.startsWith("kiln_http_server_requests_seconds{") && l.contains("quantile=\"0.5\""))
        .filter(l -> l.contains("/routers") || l.contains("/floatingips"))
        .filter(l -> !l.contains("status=\"4") && !l.contains("method=\"GET\""))
        .forEach(l -> out.append(String.format(Locale.ROOT, "  %s %s %s %.2f%n",
            field(l, "method"), field(l, "route"), field(l, "status"),
            Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000)));
    return out.toString();
  }

  /** A network with a subnet and a port on it, untimed: what a tier has before its router. */
  private String[] tier(int i) throws Exception {
    String network = json(expect(201, call("POST", NET + "/networks", "{\"network\": {\"name\": \"tier-" + i + "\"}}")))
        .at("/network/id").asText();
    String subnet = json(expect(201, call("POST", NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10." + (i / 250) + "."
            + (i % 250) + ".0/24\"}}"))).at("/subnet/id").asText();
    String port = json(expect(201, call("POST", NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\"}}")))
        .at("/port/id").asText();
    return new String[] {subnet, port};
  }

  private void cycle(String[] tier, String external, long[][] steps, int index) throws Exception {
    long t0 = System.nanoTime();
    String router = json(expect(201, call("POST", NET + "/routers", "{\"router\": {\"name\": \"bench\"}}")))
        .at("/router/id").asText();
    long t1 = System.nanoTime();
    expect(200, call("PUT", NET + "/routers/" + router + "/add_router_interface", "{\"subnet_id\": \"" + tier[0] + "\"}"));
    long t2 = System.nanoTime();
    expect(200, call("PUT", NET + "/routers/" + router,
        "{\"router\": {\"external_gateway_info\": {\"network_id\": \"" + external + "\"}}}"));
    long t3 = System.nanoTime();
    String fip = json(expect(201, call("POST", NET + "/floatingips",
        "{\"floatingip\": {\"floating_network_id\": \"" + external + "\"}}"))).at("/floatingip/id").asText();
    long t4 = System.nanoTime();
    expect(200, call("PUT", NET + "/floatingips/" + fip, "{\"floatingip\": {\"port_id\": \"" + tier[1] + "\"}}"));
    long t5 = System.nanoTime();
    if (steps != null) {
      long[] marks = {t0, t1, t2, t3, t4, t5};
      for (int s = 0; s < 5; s++) {
        steps[s][index] = marks[s + 1] - marks[s];
      }
    }
  }

  private String externalNetwork(String name, String cidr) throws Exception {
    String network = json(expect(201, call("POST", NET + "/networks",
        "{\"network\": {\"name\": \"" + name + "\", \"router:external\": true}}"))).at("/network/id").asText();
    expect(201, call("POST", NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\", \"enable_dhcp\": false}}"));
    return network;
  }

  private static String field(String metricLine, String name) {
    int start = metricLine.indexOf(name + "=\"") + name.length() + 2;
    return metricLine.substring(start, metricLine.indexOf('"', start));
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "  " + format + "%n", args);
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return client.send(method, path, token, null, body);
  }

  private static JsonNode json(String body) throws IOException {
    return Json.MAPPER.readTree(body);
  }
}
