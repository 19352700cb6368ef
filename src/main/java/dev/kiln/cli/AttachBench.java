package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * What {@code kiln bench attach} measures against a running Kiln with zero simulated latency, on
 * one booted server: the interface cycle (a user's port attached with {@code os-interface} and
 * detached again, free for another server) and the volume cycle ({@code os-volume_attachments}
 * attach, polled until the volume is in-use, detach, polled until it is available). Each cycle is
 * timed from the client. It prints figures and asserts nothing.
 */
final class AttachBench {
  private static final int WARM_UP = 50;
  private static final int INTERFACE_CYCLES = 500;
  /** Volume cycles timed unless {@code --volume-cycles} says otherwise. */
  static final int VOLUME_CYCLES = 300;
  private static final int LIVE_MIGRATIONS = 100;
  private static final java.time.Duration POLL = java.time.Duration.ofNanos(250_000);
  /** 2.37: {@code networks} is required and may be "none". */
  private static final String NOVA_VERSION = "compute 2.37";
  private static final String NOVA = "/compute/v2.1";
  private static final String NET = "/networking/v2.0";

  private final LocalClient client;
  private final String token;
  private final String cinder;
  private final int volumeCycles;

  AttachBench(LocalClient client, String password) throws Exception {
    this(client, password, VOLUME_CYCLES);
  }

  /**
   * @param volumeCycles volume cycles to time: a rare race shows only over many thousands (README,
   *     "December 6: a detach that raced its own task")
   */
  AttachBench(LocalClient client, String password, int volumeCycles) throws Exception {
    this.client = client;
    this.volumeCycles = volumeCycles;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.cinder = "/volume/v3/" + LocalClient.projectId(issued);
  }

  /** The {@code kiln serve} options: the default fleet, no simulated latency. */
  static List<String> serverOptions() {
    return List.of("--compute-latency", "zero");
  }

  String run() throws Exception {
    String imageId = json(expect(200, call("GET", "/image/v2/images?name=cirros", null))).at("/images/0/id").asText();
    String networkId =
        json(expect(201, call("POST", NET + "/networks", "{\"network\": {\"name\": \"bench-attach\"}}"))).at("/network/id").asText();
    expect(201, call("POST", NET + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + networkId + "\", \"ip_version\": 4, \"cidr\": \"10.20.0.0/24\"}}"));
    String server =
        json(expect(202, call("POST", NOVA + "/servers",
            "{\"server\": {\"name\": \"bench-attach\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": \"none\"}}"))).at("/server/id").asText();
    while (!json(expect(200, call("GET", NOVA + "/servers/" + server, null))).at("/server/status").asText().equals("ACTIVE")) {
      Thread.sleep(5);
    }
    String port =
        json(expect(201, call("POST", NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\", \"name\": \"bench\"}}")))
            .at("/port/id").asText();
    String volume = json(expect(202, call("POST", cinder + "/volumes", "{\"volume\": {\"size\": 1}}"))).at("/volume/id").asText();
    awaitVolume(volume, "available");

    // Untimed: the first cycles of a new JVM run in the interpreter; the figures are for a warm one.
    for (int i = 0; i < WARM_UP; i++) {
      interfaceCycle(server, port);
      volumeCycle(server, volume, null, 0);
    }
    long[] interfaces = new long[INTERFACE_CYCLES];
    for (int i = 0; i < INTERFACE_CYCLES; i++) {
      long t = System.nanoTime();
      interfaceCycle(server, port);
      interfaces[i] = System.nanoTime() - t;
    }
    progress("%d interface cycles", INTERFACE_CYCLES);
    long[] volumes = new long[volumeCycles];
    long[][] phases = new long[4][volumeCycles];
    for (int i = 0; i < volumeCycles; i++) {
      long t = System.nanoTime();
      volumeCycle(server, volume, phases, i);
      volumes[i] = System.nanoTime() - t;
    }
    progress("%d volume cycles", volumeCycles);
    long[] migrations = liveMigrations(imageId, networkId);
    progress("%d live migrations", LIVE_MIGRATIONS);
    boolean portFree = json(expect(200, call("GET", NET + "/ports/" + port, null))).at("/port/device_id").asText().isEmpty();
    String volumeStatus = json(expect(200, call("GET", cinder + "/volumes/" + volume, null))).at("/volume/status").asText();

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "(after %d untimed warm-up cycles of each)%n%n| measure | median | p95 |%n|---|---|---|%n", WARM_UP));
    out.append(String.format(Locale.ROOT,
        "| interface attach + detach of a user port, %d cycles (ms) | %.2f | %.2f |%n", INTERFACE_CYCLES,
        BenchCommand.ms(BenchCommand.median(interfaces)), BenchCommand.ms(BenchCommand.percentile(interfaces, 95))));
    out.append(String.format(Locale.ROOT,
        "| volume attach to in-use + detach to available, %d cycles (ms) | %.2f | %.2f |%n", volumeCycles,
        BenchCommand.ms(BenchCommand.median(volumes)), BenchCommand.ms(BenchCommand.percentile(volumes, 95))));
    out.append(String.format(Locale.ROOT,
        "| live migration of a server with 2 ports and 2 volumes, %d moves, POST to settled on the new host (ms) | %.2f | %.2f |%n",
        LIVE_MIGRATIONS, BenchCommand.ms(BenchCommand.median(migrations)),
        BenchCommand.ms(BenchCommand.percentile(migrations, 95))));
    String[] steps = {"POST os-volume_attachments answered", "then until in-use (the attach task)",
        "DELETE answered", "then until available (the detach task)"};
    for (int p = 0; p < steps.length; p++) {
      out.append(String.format(Locale.ROOT, "| - %s (ms) | %.2f | %.2f |%n", steps[p],
          BenchCommand.ms(BenchCommand.median(phases[p])), BenchCommand.ms(BenchCommand.percentile(phases[p], 95))));
    }
    out.append(String.format(Locale.ROOT, "afterwards: port %s, volume %s%n", portFree ? "free" : "STILL BOUND", volumeStatus));
    // Kiln's own view of the same requests, without the client and the loopback.
    String metrics = client.get("/metrics", null).body();
    out.append("server-side medians (ms):").append(System.lineSeparator());
    metrics.lines()
        .filter(l -> l.startsWith("kiln_http_server_requests_seconds{") && l.contains("quantile=\"0.5\""))
        .filter(l -> l.contains("os-interface") || l.contains("os-volume_attachments") || l.contains("/volumes/{volume_id}\""))
        .forEach(l -> out.append(String.format(Locale.ROOT, "  %s %s %.2f%n",
            field(l, "method"), field(l, "route"), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000)));
    return out.toString();
  }

  /**
   * Live-migrates a server with a port Compute made, a user's port and two attached volumes back
   * and forth, timing each move from the POST until the server shows its new host with no task.
   */
  private long[] liveMigrations(String imageId, String networkId) throws Exception {
    String userPort =
        json(expect(201, call("POST", NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}")))
            .at("/port/id").asText();
    String server =
        json(expect(202, call("POST", NOVA + "/servers",
            "{\"server\": {\"name\": \"bench-live\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": [{\"uuid\": \"" + networkId + "\"}, {\"port\": \"" + userPort + "\"}]}}")))
            .at("/server/id").asText();
    while (!json(expect(200, call("GET", NOVA + "/servers/" + server, null))).at("/server/status").asText().equals("ACTIVE")) {
      Thread.sleep(5);
    }
    for (int i = 0; i < 2; i++) {
      String volume = json(expect(202, call("POST", cinder + "/volumes", "{\"volume\": {\"size\": 1}}"))).at("/volume/id").asText();
      awaitVolume(volume, "available");
      expect(200, call("POST", NOVA + "/servers/" + server + "/os-volume_attachments",
          "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}"));
      awaitVolume(volume, "in-use");
    }
    long[] times = new long[LIVE_MIGRATIONS];
    for (int i = -10; i < LIVE_MIGRATIONS; i++) {
      String from = json(expect(200, call("GET", NOVA + "/servers/" + server, null))).at("/server/OS-EXT-SRV-ATTR:host").asText();
      long t = System.nanoTime();
      expect(202, call("POST", NOVA + "/servers/" + server + "/action",
          "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}"));
      while (true) {
        JsonNode shown = json(expect(200, call("GET", NOVA + "/servers/" + server, null))).get("server");
        if (shown.get("OS-EXT-STS:task_state").isNull()) {
          if (shown.get("OS-EXT-SRV-ATTR:host").asText().equals(from)) {
            throw new IOException("live migration of " + server + " did not move it: " + shown);
          }
          break;
        }
        Thread.sleep(POLL);
      }
      if (i >= 0) {
        times[i] = System.nanoTime() - t; // the first ten are untimed warm-up
      }
    }
    return times;
  }

  /** POST os-interface, DELETE it: the detach answers once the port is unbound and free again. */
  private void interfaceCycle(String server, String port) throws Exception {
    expect(200, call("POST", NOVA + "/servers/" + server + "/os-interface",
        "{\"interfaceAttachment\": {\"port_id\": \"" + port + "\"}}"));
    expect(202, call("DELETE", NOVA + "/servers/" + server + "/os-interface/" + port, null));
  }

  /**
   * POST os-volume_attachments, poll until in-use, DELETE, poll until available; when {@code
   * phases} is given, the four steps' times go into row {@code index} of it.
   */
  private void volumeCycle(String server, String volume, long[][] phases, int index) throws Exception {
    long t0 = System.nanoTime();
    expect(200, call("POST", NOVA + "/servers/" + server + "/os-volume_attachments",
        "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}"));
    long t1 = System.nanoTime();
    awaitVolume(volume, "in-use");
    long t2 = System.nanoTime();
    expect(202, call("DELETE", NOVA + "/servers/" + server + "/os-volume_attachments/" + volume, null));
    long t3 = System.nanoTime();
    awaitVolume(volume, "available");
    long t4 = System.nanoTime();
    if (phases != null) {
      phases[0][index] = t1 - t0;
      phases[1][index] = t2 - t1;
      phases[2][index] = t3 - t2;
      phases[3][index] = t4 - t3;
    }
  }

  private void awaitVolume(String volume, String wanted) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      JsonNode shown = json(expect(200, call("GET", cinder + "/volumes/" + volume, null))).path("volume");
      String status = shown.path("status").asText();
      if (status.equals(wanted)) {
        return;
      }
      if (System.nanoTime() > deadline || status.equals("error")) {
        throw new IOException(
            "volume " + volume + " is " + status + " (updated " + shown.path("updated_at").asText() + ", "
                + shown.path("attachments").size() + " attachments), waited for " + wanted);
      }
      // A short pause between polls: on a small machine a poll loop without one takes the CPU
      // the attach task needs.
      Thread.sleep(POLL);
    }
  }

  private static String field(String metricLine, String name) {
    int start = metricLine.indexOf(name + "=\"") + name.length() + 2;
    return metricLine.substring(start, metricLine.indexOf('"', start));
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "  " + format + "%n", args);
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return client.sendVersioned(method, path, token, NOVA_VERSION, body);
  }

  private static JsonNode json(String body) throws IOException {
    return Json.MAPPER.readTree(body);
  }
}
