package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bounded fuzz harness CI runs: for each REST endpoint that takes a body, a valid body is
 * broken in every way a careless or hostile client breaks one (malformed JSON, wrong types, nulls,
 * over-long strings, deep nesting, huge numbers, bad UUIDs, unknown fields, wrong content types,
 * lone surrogates, duplicate keys, oversized bodies), and each answer must be a 4xx or a 2xx, never
 * a 5xx; a 4xx to an update must leave the resource as it was; Kiln must be healthy after.
 *
 * <p>The mutations are generated from a seeded {@link Random} (printed), so a failure repeats.
 */
@Tag("harness")
class FuzzHarnessTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final String NOVA = "/compute/v2.1";
  private static final String NEUTRON = "/networking/v2.0";
  private static final long SEED = Long.getLong("kiln.fuzz.seed", System.nanoTime());
  private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("kiln.fuzz.seconds", 50));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String token;
  private static String projectId;
  private static final List<Endpoint> endpoints = new ArrayList<>();

  /** One endpoint: method, path, a valid body, and where its resource can be read back. */
  record Endpoint(String method, String path, String validBody, String readBack) {}

  @BeforeAll
  static void resources() {
    Tenant admin = Tenant.admin(kiln);
    token = admin.token();
    projectId = admin.projectId();
    Api api = admin.api();
    String image = Cloud.cirros(api);
    String network = Cloud.network(api, "fuzz-net", "10.99.0.0/24");
    String port = api.post(NEUTRON + "/ports", "{\"port\": {\"network_id\": \"" + network + "\"}}").expect(201).at("/port/id").asText();
    String cinder = "/volume/v3/" + projectId;
    String volume = Cloud.availableVolume(api, cinder, "fuzz-vol");
    String server = Cloud.bootActive(api, image, network, "fuzz-vm");
    String user = api.post("/identity/v3/users", "{\"user\": {\"name\": \"fuzz-user\", \"password\": \"pw\"}}").expect(201).at("/user/id").asText();
    String project = api.post("/identity/v3/projects", "{\"project\": {\"name\": \"fuzz-project\"}}").expect(201).at("/project/id").asText();

    // Identity
    endpoints.add(new Endpoint("POST", "/identity/v3/projects", "{\"project\": {\"name\": \"p\", \"description\": \"d\", \"enabled\": true}}", null));
    endpoints.add(new Endpoint("PATCH", "/identity/v3/projects/" + project, "{\"project\": {\"description\": \"d\"}}", "/identity/v3/projects/" + project));
    endpoints.add(new Endpoint("POST", "/identity/v3/users", "{\"user\": {\"name\": \"u\", \"password\": \"pw\", \"email\": \"a@b.c\"}}", null));
    endpoints.add(new Endpoint("PATCH", "/identity/v3/users/" + user, "{\"user\": {\"description\": \"d\"}}", "/identity/v3/users/" + user));
    endpoints.add(new Endpoint("POST", "/identity/v3/auth/tokens",
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"fuzz-user\", \"domain\": {\"id\": \"default\"}, \"password\": \"pw\"}}}}}", null));
    // Block Storage
    endpoints.add(new Endpoint("POST", cinder + "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"v\", \"description\": \"d\", \"metadata\": {\"k\": \"v\"}}}", null));
    endpoints.add(new Endpoint("PUT", cinder + "/volumes/" + volume, "{\"volume\": {\"name\": \"v2\", \"description\": \"d\"}}", cinder + "/volumes/" + volume));
    endpoints.add(new Endpoint("POST", cinder + "/volumes/" + volume + "/metadata", "{\"metadata\": {\"k\": \"v\"}}", cinder + "/volumes/" + volume));
    endpoints.add(new Endpoint("POST", cinder + "/volumes/" + volume + "/action", "{\"os-extend\": {\"new_size\": 1}}", cinder + "/volumes/" + volume));
    endpoints.add(new Endpoint("POST", cinder + "/attachments",
        "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + server + "\", \"connector\": {\"host\": \"h\", \"initiator\": \"i\"}}}", cinder + "/volumes/" + volume));
    // Image
    endpoints.add(new Endpoint("POST", "/image/v2/images", "{\"name\": \"i\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\", \"tags\": [\"t\"]}", null));
    // Networking (findings here are the lead's to fix)
    endpoints.add(new Endpoint("POST", NEUTRON + "/networks", "{\"network\": {\"name\": \"n\", \"description\": \"d\", \"admin_state_up\": true}}", null));
    endpoints.add(new Endpoint("PUT", NEUTRON + "/networks/" + network, "{\"network\": {\"name\": \"n2\"}}", NEUTRON + "/networks/" + network));
    endpoints.add(new Endpoint("PUT", NEUTRON + "/ports/" + port, "{\"port\": {\"name\": \"p2\", \"description\": \"d\"}}", NEUTRON + "/ports/" + port));
    endpoints.add(new Endpoint("POST", NEUTRON + "/subnets",
        "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10.98.0.0/24\", \"name\": \"s\"}}", null));
    // Compute (findings here are the lead's to fix)
    endpoints.add(new Endpoint("POST", NOVA + "/servers",
        "{\"server\": {\"name\": \"s\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": \"none\", \"description\": \"d\"}}", null));
    endpoints.add(new Endpoint("PUT", NOVA + "/servers/" + server, "{\"server\": {\"name\": \"s2\", \"description\": \"d\"}}", NOVA + "/servers/" + server));
    endpoints.add(new Endpoint("POST", NOVA + "/servers/" + server + "/action", "{\"lock\": {\"locked_reason\": \"r\"}}", null));
    endpoints.add(new Endpoint("POST", NOVA + "/os-keypairs", "{\"keypair\": {\"name\": \"k\"}}", null));
    moreEndpoints(api, image, network, port, cinder, volume, server, user, project);
  }

  /** The other services' and calls' bodies: orchestration, routers and their kin, actions. */
  private static void moreEndpoints(
      Api api, String image, String network, String port, String cinder, String volume, String server, String user,
      String project) {
    String subnet = api.get(NEUTRON + "/subnets?network_id=" + network).expect(200).at("/subnets/0/id").asText();
    String router = api.post(NEUTRON + "/routers", "{\"router\": {\"name\": \"fuzz-router\"}}").expect(201).at("/router/id").asText();
    String group = api.post(NEUTRON + "/security-groups", "{\"security_group\": {\"name\": \"fuzz-sg\"}}").expect(201)
        .at("/security_group/id").asText();
    String heat = "/heat-api/v1/" + projectId;
    // Networking
    endpoints.add(new Endpoint("POST", NEUTRON + "/ports",
        "{\"port\": {\"network_id\": \"" + network + "\", \"name\": \"p\", \"fixed_ips\": [{\"subnet_id\": \"" + subnet
            + "\"}], \"allowed_address_pairs\": [{\"ip_address\": \"10.99.0.200\"}], \"binding:vnic_type\": \"normal\"}}", null));
    endpoints.add(new Endpoint("PUT", NEUTRON + "/subnets/" + subnet,
        "{\"subnet\": {\"name\": \"s2\", \"dns_nameservers\": [\"8.8.8.8\"], \"host_routes\": []}}", NEUTRON + "/subnets/" + subnet));
    endpoints.add(new Endpoint("POST", NEUTRON + "/routers", "{\"router\": {\"name\": \"r\", \"admin_state_up\": true}}", null));
    endpoints.add(new Endpoint("PUT", NEUTRON + "/routers/" + router,
        "{\"router\": {\"name\": \"r2\", \"routes\": []}}", NEUTRON + "/routers/" + router));
    endpoints.add(new Endpoint("PUT", NEUTRON + "/routers/" + router + "/add_router_interface",
        "{\"subnet_id\": \"" + subnet + "\"}", null));
    endpoints.add(new Endpoint("POST", NEUTRON + "/security-group-rules",
        "{\"security_group_rule\": {\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\", \"protocol\": \"tcp\","
            + " \"port_range_min\": 22, \"port_range_max\": 22, \"remote_ip_prefix\": \"10.0.0.0/8\", \"ethertype\": \"IPv4\"}}", null));
    endpoints.add(new Endpoint("POST", NEUTRON + "/subnetpools",
        "{\"subnetpool\": {\"name\": \"sp\", \"prefixes\": [\"10.200.0.0/16\"], \"default_prefixlen\": 24}}", null));
    endpoints.add(new Endpoint("POST", NEUTRON + "/floatingips", "{\"floatingip\": {\"floating_network_id\": \"" + network + "\"}}", null));
    // Compute
    endpoints.add(new Endpoint("POST", NOVA + "/servers/" + server + "/metadata", "{\"metadata\": {\"k\": \"v\"}}",
        NOVA + "/servers/" + server + "/metadata"));
    endpoints.add(new Endpoint("POST", NOVA + "/os-server-groups", "{\"server_group\": {\"name\": \"g\", \"policy\": \"anti-affinity\"}}", null));
    endpoints.add(new Endpoint("POST", NOVA + "/flavors",
        "{\"flavor\": {\"name\": \"f\", \"ram\": 64, \"vcpus\": 1, \"disk\": 1, \"swap\": 0, \"rxtx_factor\": 1.0}}", null));
    endpoints.add(new Endpoint("POST", NOVA + "/servers/" + server + "/action",
        "{\"createImage\": {\"name\": \"snap\", \"metadata\": {\"k\": \"v\"}}}", null));
    endpoints.add(new Endpoint("POST", NOVA + "/servers/" + server + "/os-interface",
        "{\"interfaceAttachment\": {\"net_id\": \"" + network + "\", \"tag\": \"t\"}}", null));
    endpoints.add(new Endpoint("POST", NOVA + "/servers/" + server + "/os-volume_attachments",
        "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\", \"device\": \"/dev/vdb\"}}", null));
    // Block Storage
    endpoints.add(new Endpoint("POST", cinder + "/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"name\": \"s\", \"force\": true}}", null));
    endpoints.add(new Endpoint("POST", cinder + "/types", "{\"volume_type\": {\"name\": \"t\", \"extra_specs\": {\"k\": \"v\"}}}", null));
    // Image
    endpoints.add(new Endpoint("PATCH", "/image/v2/images/" + image, "[{\"op\": \"replace\", \"path\": \"/min_ram\", \"value\": 0}]", null));
    // Identity
    endpoints.add(new Endpoint("POST", "/identity/v3/roles", "{\"role\": {\"name\": \"r\", \"description\": \"d\"}}", null));
    endpoints.add(new Endpoint("POST", "/identity/v3/groups", "{\"group\": {\"name\": \"g\", \"description\": \"d\"}}", null));
    endpoints.add(new Endpoint("POST", "/identity/v3/domains", "{\"domain\": {\"name\": \"d\", \"enabled\": false}}", null));
    endpoints.add(new Endpoint("POST", "/identity/v3/users/" + user + "/application_credentials",
        "{\"application_credential\": {\"name\": \"a\", \"roles\": [{\"name\": \"member\"}], \"unrestricted\": false}}", null));
    // Orchestration
    String template = "{\"heat_template_version\": \"2018-08-31\", \"parameters\": {\"n\": {\"type\": \"number\", \"default\": 1}},"
        + " \"resources\": {\"r\": {\"type\": \"OS::Heat::RandomString\", \"properties\": {\"length\": {\"get_param\": \"n\"}}}}}";
    endpoints.add(new Endpoint("POST", heat + "/stacks",
        "{\"stack_name\": \"fz\", \"template\": " + template + ", \"parameters\": {\"n\": 4}, \"timeout_mins\": 5}", null));
    endpoints.add(new Endpoint("POST", heat + "/validate", "{\"template\": " + template + "}", null));
    endpoints.add(new Endpoint("POST", heat + "/software_configs",
        "{\"name\": \"c\", \"group\": \"script\", \"config\": \"#!/bin/sh\\ntrue\", \"inputs\": [{\"name\": \"i\", \"type\": \"String\"}],"
            + " \"outputs\": [{\"name\": \"o\"}]}", null));
  }

  @Test
  void noInputGivesA5xxOrChangesAResourceItRefused() throws Exception {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    long deadline = System.nanoTime() + BUDGET.toNanos();
    outer:
    for (int round = 0; ; round++) {
      for (Endpoint endpoint : endpoints) {
        if (System.nanoTime() > deadline) {
          break outer;
        }
        Mutation mutation = Mutation.pick(random, endpoint.validBody());
        String before = endpoint.readBack() == null ? null : snapshot(endpoint.readBack());
        Answer answer = send(endpoint, mutation);
        sent++;
        String what = endpoint.method() + " " + endpoint.path() + " with " + mutation.name() + " -> " + answer.status();
        if (answer.status() >= 500) {
          failures.add(what + " " + answer.body());
        } else if (answer.status() >= 400 && before != null) {
          String after = snapshot(endpoint.readBack());
          if (!before.equals(after)) {
            failures.add(what + " changed the resource: " + before + " => " + after);
          }
        }
      }
      if (round > 10_000) {
        break;
      }
    }
    assertThat(kiln.api().get("/healthz").status()).isEqualTo(200);
    System.out.printf("fuzz harness (seed %d): %d requests, %d failures%n", SEED, sent, failures.size());
    assertThat(sent).isGreaterThan(500);
    assertThat(failures).as("5xx answers, or resources changed by a refused request").isEmpty();
  }

  /**
   * The resource as read back, less what changes on its own: timestamps, links, and a server's
   * task state (an image upload an earlier createImage began ends while the harness runs).
   */
  private static String snapshot(String path) {
    Answer answer = send("GET", path, null, null);
    try {
      JsonNode node = JSON.readTree(answer.body());
      strip(node);
      return node.toString();
    } catch (IOException e) {
      return answer.body();
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(List.of("updated_at", "updated", "links", "OS-EXT-STS:task_state"));
      object.elements().forEachRemaining(FuzzHarnessTest::strip);
    } else if (node.isArray()) {
      node.forEach(FuzzHarnessTest::strip);
    }
  }

  private static Answer send(Endpoint endpoint, Mutation mutation) {
    return send(endpoint.method(), endpoint.path(), mutation.body(), mutation.contentType());
  }

  private static Answer send(String method, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(kiln.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-Auth-Token", token)
            .header("OpenStack-API-Version", path.startsWith("/volume") ? "volume 3.60" : "compute 2.79");
    if (contentType != null) {
      // Glance's PATCH takes JSON patches: their media type stands for JSON there.
      boolean imagePatch = method.equals("PATCH") && path.startsWith("/image/") && contentType.equals("application/json");
      request.header("Content-Type", imagePatch ? "application/openstack-images-v2.1-json-patch" : contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Answer(int status, String body) {}

  /** One broken body, named for the report. */
  record Mutation(String kind, String name, String body, String contentType) {
    private static final String JSON_TYPE = "application/json";

    static Mutation pick(Random random, String valid) {
      JsonNode tree;
      try {
        tree = JSON.readTree(valid);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> paths = new ArrayList<>();
      leaves(tree, "", paths);
      String target = paths.get(random.nextInt(paths.size()));
      return switch (random.nextInt(16)) {
        case 0 -> new Mutation("malformed", "truncated JSON", valid.substring(0, random.nextInt(valid.length())), JSON_TYPE);
        case 1 -> replace(tree, target, "null", n -> null);
        case 2 -> replace(tree, target, "a number", n -> JSON.getNodeFactory().numberNode(random.nextInt()));
        case 3 -> replace(tree, target, "a boolean", n -> JSON.getNodeFactory().booleanNode(true));
        case 4 -> replace(tree, target, "a list", n -> JSON.createArrayNode().add("x"));
        case 5 -> replace(tree, target, "an object", n -> JSON.createObjectNode().put("x", 1));
        case 6 -> replace(tree, target, "a 256-character string", n -> JSON.getNodeFactory().textNode("x".repeat(256)));
        case 7 -> replace(tree, target, "a 70,000-character string", n -> JSON.getNodeFactory().textNode("y".repeat(70_000)));
        case 8 -> replace(tree, target, "a lone surrogate", n -> JSON.getNodeFactory().textNode("a\uD800b"));
        case 9 -> replace(tree, target, "a bad UUID", n -> JSON.getNodeFactory().textNode("not-a-uuid-" + random.nextInt(1000)));
        case 10 -> new Mutation("huge-number", "a huge number", valid.replaceFirst(":\\s*(\"[^\"]*\"|\\d+|true|false)", ": 1" + "0".repeat(400)), JSON_TYPE);
        case 11 -> new Mutation("deep-nesting", "deep nesting", "[".repeat(5_000) + "]".repeat(5_000), JSON_TYPE);
        case 12 -> new Mutation("unknown-field", "an unknown field", addUnknown(tree), JSON_TYPE);
        case 13 -> new Mutation("duplicate-key", "a duplicate key", valid.replaceFirst("\\{", "{\"dup\": 1, \"dup\": 2, "), JSON_TYPE);
        case 14 -> new Mutation("content-type", "Content-Type text/plain", valid, random.nextBoolean() ? "text/plain" : "application/x-www-form-urlencoded");
        default -> new Mutation("oversized", "a 200 KB body", valid.replaceFirst("\\{", "{\"pad\": \"" + "z".repeat(200_000) + "\", "), JSON_TYPE);
      };
    }

    private static Mutation replace(JsonNode tree, String path, String what, Function<JsonNode, JsonNode> value) {
      JsonNode copy = tree.deepCopy();
      int slash = path.lastIndexOf('/');
      JsonNode parent = slash <= 0 ? copy : copy.at(path.substring(0, slash));
      String field = path.substring(slash + 1);
      if (parent instanceof ObjectNode object) {
        JsonNode replacement = value.apply(object.get(field));
        if (replacement == null) {
          object.putNull(field);
        } else {
          object.set(field, replacement);
        }
      }
      return new Mutation("field-" + what.replace(' ', '-'), path + " as " + what, copy.toString(), JSON_TYPE);
    }

    private static String addUnknown(JsonNode tree) {
      JsonNode copy = tree.deepCopy();
      Iterator<JsonNode> inner = copy.elements();
      JsonNode target = inner.hasNext() && inner.next() instanceof ObjectNode o ? o : copy;
      if (target instanceof ObjectNode object) {
        object.put("kiln_fuzz_unknown", 1);
      }
      return copy.toString();
    }

    private static void leaves(JsonNode node, String path, List<String> out) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          leaves(node.get(i), path + "/" + i, out);
        }
      } else if (node instanceof ObjectNode object) {
        object.fieldNames().forEachRemaining(f -> {
          out.add(path + "/" + f);
          leaves(object.get(f), path + "/" + f, out);
        });
      }
    }
  }
}
