package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code kiln bench stacks} measures against a running Kiln (zero simulated latency), over
 * HTTP, for Heat's cloud types: a stack of 50 servers, each with its own port and a volume attached
 * to it, from the create call to CREATE_COMPLETE; and the seed's port move (a second server takes
 * the first one's port in one update, and a second update gives it back), each update from its
 * call to UPDATE_COMPLETE.
 */
final class StackBench {
  private static final int SERVERS = 50;
  /** Timed port moves each way, after {@link #COLD_MOVES} timed apart as the JIT's warm-up. */
  private static final int MOVES = 30;
  /**
   * The first moves of a fresh server run code no earlier request ran (the update planner, the
   * interface steps) and wait for the JIT: they are reported apart, like the other benches' warm-up.
   */
  private static final int COLD_MOVES = 10;
  private static final String NOVA = "/compute/v2.1";

  private final LocalClient client;
  private final String token;
  private final String project;

  StackBench(LocalClient client, String password) throws Exception {
    this.client = client;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.project = LocalClient.projectId(issued);
  }

  static List<String> serverOptions() {
    // 50 m1.tiny servers and the port move's two on the default 3 hosts need more than 16 vCPUs each.
    return List.of("--compute-latency", "zero", "--compute-host-vcpus", "64");
  }

  String run() throws Exception {
    expect(200, client.send("PUT", NOVA + "/os-quota-sets/" + project, token, null,
        "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}"));
    expect(200, client.send("PUT", "/volume/v3/" + project + "/os-quota-sets/" + project, token, null,
        "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}"));
    String network = Json.MAPPER.readTree(expect(201, client.send("POST", "/networking/v2.0/networks", token, null,
        "{\"network\": {\"name\": \"bench-stacks\"}}"))).at("/network/id").asText();
    expect(201, client.send("POST", "/networking/v2.0/subnets", token, null,
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10.98.0.0/22\"}}"));

    long start = System.nanoTime();
    String id = create("bench-fifty", fifty(network));
    String created = awaitStatus("bench-fifty/" + id, "CREATE");
    String fiftyFigure = String.format(Locale.ROOT, "%.2f s, %s", (System.nanoTime() - start) / 1e9, created);
    progress("50-server stack: %s", fiftyFigure);

    String move = create("bench-move", oneServer(network));
    awaitStatus("bench-move/" + move, "CREATE");
    long[] coldThere = new long[COLD_MOVES];
    long[] coldBack = new long[COLD_MOVES];
    for (int i = 0; i < COLD_MOVES; i++) {
      coldThere[i] = update("bench-move/" + move, twoServers(network));
      coldBack[i] = update("bench-move/" + move, oneServer(network));
    }
    long[] there = new long[MOVES];
    long[] back = new long[MOVES];
    for (int i = 0; i < MOVES; i++) {
      there[i] = update("bench-move/" + move, twoServers(network));
      back[i] = update("bench-move/" + move, oneServer(network));
    }
    progress("%d port moves each way after %d", MOVES, COLD_MOVES);

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "| measure | target | figure |%n|---|---|---|%n"));
    out.append(String.format(Locale.ROOT,
        "| %d servers, each with its own OS::Neutron::Port and an OS::Cinder::Volume attached, create call to the stack's end | < 2 s | %s |%n",
        SERVERS, fiftyFigure));
    out.append(String.format(Locale.ROOT,
        "| the seed's port move to my_instance2, update call to UPDATE_COMPLETE, median of %d after %d (ms; max %.1f) | < 50 ms | %.1f |%n",
        MOVES, COLD_MOVES, BenchCommand.ms(max(there)), BenchCommand.ms(BenchCommand.median(there))));
    out.append(String.format(Locale.ROOT,
        "| the port moved back to my_instance, median of %d after %d (ms; max %.1f) | < 50 ms | %.1f |%n",
        MOVES, COLD_MOVES, BenchCommand.ms(max(back)), BenchCommand.ms(BenchCommand.median(back))));
    out.append(String.format(Locale.ROOT,
        "| the first %d moves of the server, each way (ms, medians; max %.1f) | | %.1f and %.1f |%n",
        COLD_MOVES, BenchCommand.ms(Math.max(max(coldThere), max(coldBack))),
        BenchCommand.ms(BenchCommand.median(coldThere)), BenchCommand.ms(BenchCommand.median(coldBack))));
    return out.toString();
  }

  private String create(String name, String template) throws Exception {
    return Json.MAPPER.readTree(expect(201, client.send("POST", "/heat-api/v1/" + project + "/stacks", token, null,
        "{\"stack_name\": \"" + name + "\", \"template\": " + Json.MAPPER.writeValueAsString(template) + "}")))
        .at("/stack/id").asText();
  }

  /** One update of the stack to {@code template}; answers the nanoseconds from the call to its end. */
  private long update(String stack, String template) throws Exception {
    long t = System.nanoTime();
    expect(202, client.send("PUT", "/heat-api/v1/" + project + "/stacks/" + stack, token, null,
        "{\"template\": " + Json.MAPPER.writeValueAsString(template) + "}"));
    String status = awaitStatus(stack, "UPDATE");
    long took = System.nanoTime() - t;
    if (!status.equals("UPDATE_COMPLETE")) {
      throw new IOException("the port move ended " + status);
    }
    return took;
  }

  /** The stack's status once its {@code action} is over (polled every millisecond). */
  private String awaitStatus(String stack, String action) throws Exception {
    long until = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < until) {
      JsonNode s = Json.MAPPER.readTree(expect(200, client.get("/heat-api/v1/" + project + "/stacks/" + stack, token)))
          .at("/stack");
      String status = s.at("/stack_status").asText();
      if (status.startsWith(action + "_") && !status.endsWith("IN_PROGRESS")) {
        return status.endsWith("FAILED") ? status + " (" + s.at("/stack_status_reason").asText() + ")" : status;
      }
      Thread.sleep(1);
    }
    throw new IOException(stack + " did not finish in 300 s");
  }

  private static String fifty(String network) {
    ObjectNode t = Json.object();
    t.put("heat_template_version", "2018-08-31");
    ObjectNode resources = t.putObject("resources");
    for (int i = 0; i < SERVERS; i++) {
      resources.putObject("port" + i).put("type", "OS::Neutron::Port").putObject("properties").put("network", network);
      ObjectNode server = resources.putObject("server" + i).put("type", "OS::Nova::Server").putObject("properties");
      server.put("image", "cirros").put("flavor", "m1.tiny");
      server.putArray("networks").addObject().putObject("port").put("get_resource", "port" + i);
      resources.putObject("volume" + i).put("type", "OS::Cinder::Volume").putObject("properties").put("size", 1);
      ObjectNode attach = resources.putObject("attach" + i).put("type", "OS::Cinder::VolumeAttachment").putObject("properties");
      attach.putObject("instance_uuid").put("get_resource", "server" + i);
      attach.putObject("volume_id").put("get_resource", "volume" + i);
    }
    return t.toString();
  }

  /** The seed's first template: my_instance on instance_port. */
  private static String oneServer(String network) {
    return """
        heat_template_version: 2013-05-23
        resources:
          my_instance:
            type: OS::Nova::Server
            properties: {image: cirros, flavor: m1.tiny, networks: [{port: {Ref: instance_port}}]}
          instance_port:
            type: OS::Neutron::Port
            properties: {network: %s}
        """.formatted(network);
  }

  /** The seed's second template: my_instance2 takes the port, my_instance lists no networks. */
  private static String twoServers(String network) {
    return """
        heat_template_version: 2013-05-23
        resources:
          my_instance:
            type: OS::Nova::Server
            properties: {image: cirros, flavor: m1.tiny}
          my_instance2:
            type: OS::Nova::Server
            properties: {image: cirros, flavor: m1.tiny, networks: [{port: {Ref: instance_port}}]}
          instance_port:
            type: OS::Neutron::Port
            properties: {network: %s}
        """.formatted(network);
  }

  private static long max(long[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, format + "%n", args);
  }
}
