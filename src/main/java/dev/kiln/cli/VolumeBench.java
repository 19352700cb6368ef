package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code kiln bench volume} measures against a running Kiln: volume create to available,
 * one attachment cycle (reserve, connect, complete, delete), and many cycles at once across many
 * multiattach volumes, checking afterwards that no attachment is left and every volume is
 * available again.
 */
final class VolumeBench {
  private static final String CONNECTOR =
      "{\"initiator\": \"iqn.1993-08.org.debian:01:bench\", \"ip\": \"127.0.0.1\", \"host\": \"kiln-compute-1\"}";
  private static final int CREATES = 200;
  private static final int CYCLES = 300;
  private static final int CONCURRENT_VOLUMES = 100;
  private static final int CONCURRENT_CYCLES = 1000;
  private static final int THREADS = 32;

  private final LocalClient client;
  private final String token;
  private final String v3;

  VolumeBench(LocalClient client, String password) throws Exception {
    this.client = client;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.v3 = "/volume/v3/" + LocalClient.projectId(issued);
    // Room for the bench's volumes in the admin project's quota.
    call("PUT", "/volume/v3/" + LocalClient.projectId(issued) + "/os-quota-sets/" + LocalClient.projectId(issued),
        null, "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}");
  }

  String run() throws Exception {
    long[] creates = new long[CREATES];
    for (int i = 0; i < CREATES; i++) {
      long t = System.nanoTime();
      String id = createAvailable(false);
      creates[i] = System.nanoTime() - t;
      call("DELETE", v3 + "/volumes/" + id, null, null);
    }
    String volume = createAvailable(false);
    long[] cycles = new long[CYCLES];
    for (int i = 0; i < CYCLES; i++) {
      long t = System.nanoTime();
      cycle(volume, serverId(i));
      cycles[i] = System.nanoTime() - t;
    }
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < CONCURRENT_VOLUMES; i++) {
      shared.add(createAvailable(true));
    }
    AtomicInteger failures = new AtomicInteger();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < CONCURRENT_CYCLES; i++) {
        String target = shared.get(i % CONCURRENT_VOLUMES);
        String server = serverId(i);
        futures.add(pool.submit(() -> {
          try {
            cycle(target, server);
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    long concurrentMillis = (System.nanoTime() - started) / 1_000_000;
    int leftover = Json.MAPPER.readTree(call("GET", v3 + "/attachments", "3.27", null).body()).get("attachments").size();
    int notAvailable = 0;
    for (String id : shared) {
      JsonNode v = Json.MAPPER.readTree(call("GET", v3 + "/volumes/" + id, null, null).body()).get("volume");
      if (!v.get("status").asText().equals("available") || !v.get("attachments").isEmpty()) {
        notAvailable++;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "| measure | median | p95 |%n|---|---|---|%n"));
    out.append(String.format(Locale.ROOT, "| volume create to available, %d volumes (ms) | %.2f | %.2f |%n", CREATES,
        BenchCommand.ms(BenchCommand.median(creates)), BenchCommand.ms(BenchCommand.percentile(creates, 95))));
    out.append(String.format(Locale.ROOT,
        "| attachment create + update + complete + delete, %d cycles (ms) | %.2f | %.2f |%n", CYCLES,
        BenchCommand.ms(BenchCommand.median(cycles)), BenchCommand.ms(BenchCommand.percentile(cycles, 95))));
    out.append(String.format(Locale.ROOT,
        "| %d concurrent cycles on %d multiattach volumes, %d threads | %d ms in all | %d failed cycles, %d attachments left, %d volumes not available |%n",
        CONCURRENT_CYCLES, CONCURRENT_VOLUMES, THREADS, concurrentMillis, failures.get(), leftover, notAvailable));
    return out.toString();
  }

  private void cycle(String volume, String server) throws Exception {
    JsonNode created = Json.MAPPER.readTree(expect(200, call("POST", v3 + "/attachments", "3.44",
        "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + server + "\"}}")));
    String id = created.at("/attachment/id").asText();
    expect(200, call("PUT", v3 + "/attachments/" + id, "3.44", "{\"attachment\": {\"connector\": " + CONNECTOR + "}}"));
    expect(204, call("POST", v3 + "/attachments/" + id + "/action", "3.44", "{\"os-complete\": null}"));
    expect(200, call("DELETE", v3 + "/attachments/" + id, "3.44", null));
  }

  /** Creates a volume and polls until it leaves {@code creating}; answers its id. */
  private String createAvailable(boolean multiattach) throws Exception {
    String body = "{\"volume\": {\"size\": 1" + (multiattach ? ", \"multiattach\": true" : "") + "}}";
    String id = Json.MAPPER.readTree(expect(202, call("POST", v3 + "/volumes", null, body))).at("/volume/id").asText();
    while (true) {
      String status = Json.MAPPER.readTree(call("GET", v3 + "/volumes/" + id, null, null).body()).at("/volume/status").asText();
      if (status.equals("available")) {
        return id;
      }
      if (!status.equals("creating")) {
        throw new IOException("volume " + id + " ended " + status);
      }
      Thread.onSpinWait();
    }
  }

  private HttpResponse<String> call(String method, String path, String version, String body) throws Exception {
    return client.send(method, path, token, version, body);
  }

  /** A made-up instance id: Block Storage takes only UUIDs for instance_uuid, as Cinder does. */
  private static String serverId(int i) {
    return java.util.UUID.nameUUIDFromBytes(("bench-server-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }
}
