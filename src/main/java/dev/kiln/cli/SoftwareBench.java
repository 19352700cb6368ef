package dev.kiln.cli;

import static dev.kiln.cli.LocalClient.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * What {@code kiln bench software} measures against a running Kiln (zero simulated boot latency),
 * over HTTP: a stack of 50 SOFTWARE_CONFIG servers with one script deployment each, from the create
 * call to CREATE_COMPLETE (each server's in-instance agent polls, runs the script and signals
 * back); and a server's metadata poll as its stack user makes it (os-collect-config's heat
 * collector: GET …/resources/{server}/metadata with the stack user's token).
 */
final class SoftwareBench {
  private static final int SERVERS = 50;
  private static final int POLLS = 1000;
  private static final String NOVA = "/compute/v2.1";

  private final LocalClient client;
  private final String token;
  private final String project;

  SoftwareBench(LocalClient client, String password) throws Exception {
    this.client = client;
    HttpResponse<String> issued = client.issueToken(password);
    this.token = LocalClient.token(issued);
    this.project = LocalClient.projectId(issued);
  }

  static List<String> serverOptions() {
    // The default fleet (3 hosts of 16 vCPUs) has room for 48 m1.tiny servers; the bench boots
    // 51 (the poll stack's one and the 50), so each host gets room for all of them.
    return List.of("--compute-latency", "zero", "--compute-host-vcpus", "64");
  }

  String run() throws Exception {
    expect(200, client.send("PUT", NOVA + "/os-quota-sets/" + project, token, null,
        "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}"));
    String network = Json.MAPPER.readTree(expect(201, client.send("POST", "/networking/v2.0/networks", token, null,
        "{\"network\": {\"name\": \"bench-software\"}}"))).at("/network/id").asText();
    expect(201, client.send("POST", "/networking/v2.0/subnets", token, null,
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10.99.0.0/22\"}}"));

    // The metadata poll first, on a stack of one server, as that server's stack user (its
    // os-collect-config heat settings) polls it.
    String one = createStack("bench-poll", network, 1);
    if (!awaitDone("bench-poll/" + one).equals("CREATE_COMPLETE")) {
      throw new IOException("bench-poll did not complete");
    }
    JsonNode heat = Json.MAPPER.readTree(expect(200, client.get("/heat-api/v1/" + project + "/stacks/bench-poll/" + one
        + "/resources/server0/metadata", token))).at("/metadata/os-collect-config/heat");
    String userToken = stackUserToken(heat);
    String path = "/heat-api/v1/" + heat.get("project_id").asText() + "/stacks/" + heat.get("stack_id").asText()
        + "/resources/" + heat.get("resource_name").asText() + "/metadata";
    long[] polls = new long[POLLS];
    for (int i = 0; i < 200; i++) {
      expect(200, client.get(path, userToken));
    }
    for (int i = 0; i < POLLS; i++) {
      long t = System.nanoTime();
      expect(200, client.get(path, userToken));
      polls[i] = System.nanoTime() - t;
    }
    progress("%d metadata polls", POLLS);

    long start = System.nanoTime();
    String outcome;
    try {
      String id = createStack("bench-software", network, SERVERS);
      String status = awaitDone("bench-software/" + id);
      outcome = String.format(Locale.ROOT, "%.2f s, %s", (System.nanoTime() - start) / 1e9, status);
    } catch (IOException e) {
      outcome = String.format(Locale.ROOT, "failed after %.2f s: %s", (System.nanoTime() - start) / 1e9,
          e.getMessage().length() > 400 ? e.getMessage().substring(0, 400) : e.getMessage());
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "| measure | target | figure |%n|---|---|---|%n"));
    out.append(String.format(Locale.ROOT,
        "| %d SOFTWARE_CONFIG servers with one script deployment each, create call to the stack's end | < 5 s | %s |%n",
        SERVERS, outcome));
    out.append(String.format(Locale.ROOT,
        "| metadata poll as the stack user, median of %d after 200 untimed (ms; p95 %.2f) | < 2 ms | %.2f |%n",
        POLLS, BenchCommand.ms(BenchCommand.percentile(polls, 95)), BenchCommand.ms(BenchCommand.median(polls))));
    return out.toString();
  }

  private String createStack(String name, String network, int servers) throws Exception {
    return Json.MAPPER.readTree(expect(201, client.send("POST", "/heat-api/v1/" + project + "/stacks", token, null,
        "{\"stack_name\": \"" + name + "\", \"template\": " + template(network, servers) + "}"))).at("/stack/id").asText();
  }

  private String template(String network, int servers) {
    ObjectNode t = Json.object();
    t.put("heat_template_version", "2018-08-31");
    ObjectNode resources = t.putObject("resources");
    ObjectNode config = resources.putObject("config");
    config.put("type", "OS::Heat::SoftwareConfig");
    ObjectNode cp = config.putObject("properties");
    cp.put("group", "script");
    cp.putArray("outputs").addObject().put("name", "result");
    cp.put("config", "#!/bin/sh\necho -n done > $heat_outputs_path.result\n");
    for (int i = 0; i < servers; i++) {
      ObjectNode server = resources.putObject("server" + i);
      server.put("type", "OS::Nova::Server");
      ObjectNode sp = server.putObject("properties");
      sp.put("image", "cirros");
      sp.put("flavor", "m1.tiny");
      sp.putArray("networks").addObject().put("network", network);
      sp.put("user_data_format", "SOFTWARE_CONFIG");
      ObjectNode deployment = resources.putObject("deployment" + i);
      deployment.put("type", "OS::Heat::SoftwareDeployment");
      ObjectNode dp = deployment.putObject("properties");
      dp.putObject("config").put("get_resource", "config");
      dp.putObject("server").put("get_resource", "server" + i);
    }
    return t.toString();
  }

  private String awaitDone(String name) throws Exception {
    long until = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < until) {
      JsonNode stack = Json.MAPPER.readTree(expect(200, client.get("/heat-api/v1/" + project + "/stacks/" + name, token)))
          .at("/stack");
      String status = stack.at("/stack_status").asText();
      if (status.endsWith("FAILED")) {
        return status + " (" + stack.at("/stack_status_reason").asText() + ")";
      }
      if (!status.endsWith("IN_PROGRESS")) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new IOException(name + " did not finish in 300 s");
  }

  private String stackUserToken(JsonNode heat) throws Exception {
    String body = "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \""
        + heat.get("user_id").asText() + "\", \"password\": \"" + heat.get("password").asText()
        + "\"}}}, \"scope\": {\"project\": {\"id\": \"" + heat.get("project_id").asText() + "\"}}}}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(heat.get("auth_url").asText() + "/auth/tokens"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IOException("stack user login answered " + r.statusCode() + ": " + r.body());
    }
    return r.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, format + "%n", args);
  }
}
