package dev.kiln.reliability;

import static dev.kiln.reliability.CrashLedger.NEUTRON;
import static dev.kiln.reliability.CrashLedger.NOVA;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a crash harness does to the cloud, one request after another from one thread, recording
 * each 2xx in the {@link CrashLedger}: networks, ports, volumes, server boots with ports, deletes,
 * interface and volume attach and detach, live and cold migrations, resizes with their confirm or
 * revert, Heat stack creates and deletes (a stack of a random string, a none, a port and a
 * volume), and 4 MiB object writes. It counts the requests it sent, by kind, so a harness can say
 * what it exercised.
 */
final class CrashWorkload {
  /** The container the large writes go to. */
  static final String LARGE_WRITES = "harness-large";

  /**
   * A large write's body: 4 MiB, so that a kill may land while the store is writing one, as the
   * issue's "large writes mixed in" asks (a long-lived data directory once lost writes after one).
   */
  private static final String LARGE_BODY = "k".repeat(4 * 1024 * 1024);

  /** The name every harness stack, and the port and volume it makes, starts with. */
  static final String STACK_PREFIX = "hs-";

  /** The name of every server the workload boots (the list of untracked ones filters on it). */
  private static final String SERVER_NAME = "h-vm";
  /** Steps between two rounds of deleting untracked servers. */
  private static final int REAP_EVERY = 50;

  private final CrashLedger ledger;
  private final String imageId;
  private final String networkId;
  private final String cinder;
  private final String heat;
  private final String objects;
  private final AtomicInteger objectNames = new AtomicInteger();
  private final List<String> servers = new ArrayList<>();
  private final List<String> freePorts = new ArrayList<>();
  private final List<String> freeVolumes = new ArrayList<>();
  private final Map<String, String> pluggedPorts = new LinkedHashMap<>(); // port -> server
  private final Map<String, String> attachedVolumes = new LinkedHashMap<>(); // volume -> server
  private final List<String> resized = new ArrayList<>(); // servers whose flavor is now 2
  private final List<String> verifying = new ArrayList<>(); // a resize or cold migration accepted
  private final List<String> stacks = new ArrayList<>(); // stack paths whose create was accepted
  private final AtomicInteger stackNames = new AtomicInteger();
  final List<String> serverErrors = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

  private CrashWorkload(CrashLedger ledger, String imageId, String networkId, String project) {
    this.ledger = ledger;
    this.imageId = imageId;
    this.networkId = networkId;
    this.cinder = "/volume/v3/" + project;
    this.heat = "/heat-api/v1/" + project;
    this.objects = "/object-store/v1/AUTH_" + project + "/" + LARGE_WRITES;
  }

  /** Lifts the admin project's quotas and makes the network the workload boots on. */
  static CrashWorkload prepare(Api admin, CrashLedger ledger) {
    String project = projectOf(admin);
    String volumes = "/volume/v3/" + project;
    admin.put(NOVA + "/os-quota-sets/" + project, "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").expect(200);
    admin.put(volumes + "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}").expect(200);
    admin.put(NEUTRON + "/quotas/" + project, "{\"quota\": {\"network\": -1, \"port\": -1, \"subnet\": -1}}").expect(200);
    String image = admin.get("/image/v2/images?name=cirros").expect(200).at("/images/0/id").asText();
    String network = admin.post(NEUTRON + "/networks", "{\"network\": {\"name\": \"harness\"}}").expect(201).at("/network/id").asText();
    admin.post(NEUTRON + "/subnets", "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10.77.0.0/16\"}}").expect(201);
    ledger.exists(NEUTRON + "/networks/" + network, true);
    admin.put("/object-store/v1/AUTH_" + project + "/" + LARGE_WRITES, null).expect(201);
    return new CrashWorkload(ledger, image, network, project);
  }

  static String projectOf(Api admin) {
    return admin.get("/identity/v3/auth/projects").expect(200).at("/projects/0/id").asText();
  }

  /**
   * Sends requests until {@code stop}, each to the node {@code nodes} gives. When a node dies under
   * a request, what the request touched is forgotten; the workload then ends if {@code
   * endOnFailure} (one node: nothing answers until the restart), or carries on with the next node.
   */
  void run(Supplier<Api> nodes, Random random, AtomicBoolean stop, boolean endOnFailure) {
    int steps = 0;
    while (!stop.get()) {
      Api admin = nodes.get();
      if (admin == null) {
        return;
      }
      try {
        Api nova = admin.withHeader("X-OpenStack-Nova-API-Version", "2.79");
        if (++steps % REAP_EVERY == 0) {
          reapUntracked(nova);
        }
        step(admin, nova, random);
      } catch (UncheckedIOException e) {
        if (endOnFailure) {
          return; // Kiln was killed under this request; step() marked what it touched uncertain
        }
      }
    }
  }

  int requestsSent() {
    return sent.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void step(Api admin, Api nova, Random random) {
    switch (random.nextInt(18)) {
      case 0 -> createNetwork(admin);
      case 1, 2 -> createPort(admin);
      case 3 -> createVolume(admin);
      case 4 -> boot(nova, random);
      case 5 -> deleteServer(nova, random);
      case 6 -> attachInterface(nova, random);
      case 7 -> detachInterface(nova, random);
      case 8 -> attachVolume(nova, random);
      case 9 -> detachVolume(nova, random);
      case 10 -> liveMigrate(nova, random);
      case 11 -> coldMigrate(nova, random);
      case 12 -> resize(nova, random);
      case 13, 14 -> confirmOrRevert(nova, random);
      case 15 -> createStack(admin);
      case 16 -> deleteStack(admin, random);
      default -> writeLargeObject(admin);
    }
  }

  /** A 4 MiB object: once answered 201 it must still be there after any kill. */
  private void writeLargeObject(Api admin) {
    String path = objects + "/big-" + objectNames.incrementAndGet();
    Api.Response r =
        call("large object write", admin.withHeader("Content-Type", "application/octet-stream"), "PUT", path, LARGE_BODY, path);
    if (r.status() == 201) {
      ledger.exists(path, true);
    }
  }

  private void createNetwork(Api admin) {
    Api.Response r = call("network create", admin, "POST", NEUTRON + "/networks", "{\"network\": {\"name\": \"h-net\"}}", null);
    if (r.status() == 201) {
      ledger.exists(NEUTRON + "/networks/" + r.json().at("/network/id").asText(), true);
    }
  }

  private void createPort(Api admin) {
    Api.Response r = call("port create", admin, "POST", NEUTRON + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}", null);
    if (r.status() == 201) {
      String port = r.json().at("/port/id").asText();
      ledger.exists(NEUTRON + "/ports/" + port, true);
      ledger.port(port, "");
      freePorts.add(port);
    }
  }

  private void createVolume(Api admin) {
    Api.Response r = call("volume create", admin, "POST", cinder + "/volumes", "{\"volume\": {\"size\": 1}}", null);
    if (r.status() == 202) {
      String volume = r.json().at("/volume/id").asText();
      ledger.exists(cinder + "/volumes/" + volume, true);
      ledger.volume(volume, "");
      freeVolumes.add(volume);
    }
  }

  private void boot(Api nova, Random random) {
    String networks = "[{\"uuid\": \"" + networkId + "\"}]";
    String port = null;
    if (!freePorts.isEmpty() && random.nextBoolean()) {
      port = freePorts.remove(random.nextInt(freePorts.size()));
      networks = "[{\"port\": \"" + port + "\"}]";
    }
    Api.Response r =
        call("server boot", nova, "POST", NOVA + "/servers",
            "{\"server\": {\"name\": \"" + SERVER_NAME + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                + "\", \"networks\": " + networks + "}}",
            port);
    if (r.status() == 202) {
      String server = r.json().at("/server/id").asText();
      ledger.exists(NOVA + "/servers/" + server, true);
      servers.add(server);
      if (port != null) {
        ledger.port(port, server);
        pluggedPorts.put(port, server);
      }
    } else if (port != null && r.status() < 500) {
      freePorts.add(port);
    }
  }

  /**
   * Deletes the workload's servers it no longer tracks: those whose boot answer a kill cut off
   * (their ids never came back) and those it forgot after a kill cut a request about them. Left,
   * they kept their hosts' claims, and a long run filled the fleet until every boot failed (the
   * harness then exercised less and less). What was plugged into or attached to them is uncertain
   * in the ledger already; their deletes give it back.
   */
  private void reapUntracked(Api nova) {
    Api.Response listed = call("server list", nova, "GET", NOVA + "/servers?name=" + SERVER_NAME, null, null);
    if (listed.status() != 200) {
      return;
    }
    for (JsonNode s : listed.json().path("servers")) {
      String server = s.path("id").asText();
      if (!servers.contains(server)) {
        call("untracked server delete", nova, "DELETE", NOVA + "/servers/" + server, null, null);
      }
    }
  }

  private void deleteServer(Api nova, Random random) {
    if (servers.size() < 3) {
      return;
    }
    String server = servers.remove(random.nextInt(servers.size()));
    Api.Response r = call("server delete", nova, "DELETE", NOVA + "/servers/" + server, null, NOVA + "/servers/" + server);
    if (r.status() == 204) {
      ledger.serverDeleted(server);
      resized.remove(server);
      verifying.remove(server);
      pluggedPorts.entrySet().removeIf(e -> {
        if (e.getValue().equals(server)) {
          freePorts.add(e.getKey());
          return true;
        }
        return false;
      });
      attachedVolumes.entrySet().removeIf(e -> {
        if (e.getValue().equals(server)) {
          freeVolumes.add(e.getKey());
          return true;
        }
        return false;
      });
    } else if (r.status() == 409) {
      servers.add(server); // busy (a move under way): try again later
    }
  }

  private void attachInterface(Api nova, Random random) {
    if (servers.isEmpty() || freePorts.isEmpty()) {
      return;
    }
    String server = servers.get(random.nextInt(servers.size()));
    String port = freePorts.get(random.nextInt(freePorts.size()));
    Api.Response r =
        call("interface attach", nova, "POST", NOVA + "/servers/" + server + "/os-interface",
            "{\"interfaceAttachment\": {\"port_id\": \"" + port + "\"}}", port);
    if (r.status() == 200) {
      freePorts.remove(port);
      ledger.port(port, server);
      pluggedPorts.put(port, server);
    }
  }

  private void detachInterface(Api nova, Random random) {
    if (pluggedPorts.size() < 2) {
      return;
    }
    List<String> plugged = new ArrayList<>(pluggedPorts.keySet());
    String port = plugged.get(random.nextInt(plugged.size()));
    String server = pluggedPorts.get(port);
    Api.Response r = call("interface detach", nova, "DELETE", NOVA + "/servers/" + server + "/os-interface/" + port, null, port);
    if (r.status() == 202) {
      pluggedPorts.remove(port);
      ledger.port(port, "");
      freePorts.add(port);
    }
  }

  private void attachVolume(Api nova, Random random) {
    if (servers.isEmpty() || freeVolumes.isEmpty()) {
      return;
    }
    String server = servers.get(random.nextInt(servers.size()));
    String volume = freeVolumes.get(random.nextInt(freeVolumes.size()));
    Api.Response r =
        call("volume attach", nova, "POST", NOVA + "/servers/" + server + "/os-volume_attachments",
            "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\"}}", volume);
    if (r.status() == 200) {
      freeVolumes.remove(volume);
      ledger.volume(volume, server);
      attachedVolumes.put(volume, server);
    }
  }

  private void detachVolume(Api nova, Random random) {
    if (attachedVolumes.isEmpty()) {
      return;
    }
    List<String> attached = new ArrayList<>(attachedVolumes.keySet());
    String volume = attached.get(random.nextInt(attached.size()));
    String server = attachedVolumes.get(volume);
    Api.Response r =
        call("volume detach", nova, "DELETE", NOVA + "/servers/" + server + "/os-volume_attachments/" + volume, null, volume);
    if (r.status() == 202) {
      attachedVolumes.remove(volume);
      ledger.volume(volume, "");
      freeVolumes.add(volume);
    }
  }

  /**
   * A live migration to a host the scheduler picks. Whatever happens to it (done, rolled back,
   * cut by a kill), the server stays, with the same ports and one attachment per volume: the
   * ledger's facts about it hold, so a cut request forgets nothing.
   */
  private void liveMigrate(Api nova, Random random) {
    if (servers.isEmpty()) {
      return;
    }
    String server = servers.get(random.nextInt(servers.size()));
    call("live migration", nova, "POST", NOVA + "/servers/" + server + "/action",
        "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}", null);
  }

  private void coldMigrate(Api nova, Random random) {
    if (servers.isEmpty()) {
      return;
    }
    String server = servers.get(random.nextInt(servers.size()));
    Api.Response r = call("cold migration", nova, "POST", NOVA + "/servers/" + server + "/action", "{\"migrate\": null}", null);
    if (r.status() == 202 && !verifying.contains(server)) {
      verifying.add(server);
    }
  }

  private void resize(Api nova, Random random) {
    List<String> small = servers.stream().filter(s -> !resized.contains(s)).toList();
    if (small.isEmpty()) {
      return;
    }
    String server = small.get(random.nextInt(small.size()));
    Api.Response r = call("resize", nova, "POST", NOVA + "/servers/" + server + "/action", "{\"resize\": {\"flavorRef\": \"2\"}}", null);
    if (r.status() == 202) {
      resized.add(server);
      if (!verifying.contains(server)) {
        verifying.add(server);
      }
    }
  }

  /** A server whose move waits in VERIFY_RESIZE is confirmed or reverted, at random. */
  private void confirmOrRevert(Api nova, Random random) {
    if (verifying.isEmpty()) {
      return;
    }
    String server = verifying.get(random.nextInt(verifying.size()));
    Api.Response shown = call("server show", nova, "GET", NOVA + "/servers/" + server, null, null);
    String status = shown.status() == 200 ? shown.json().at("/server/status").asText() : "";
    if (status.equals("RESIZE")) {
      return; // still moving
    }
    if (!status.equals("VERIFY_RESIZE")) {
      verifying.remove(server); // the move failed and was undone, or the server is gone
      return;
    }
    boolean confirm = random.nextBoolean();
    Api.Response r =
        call(confirm ? "resize confirm" : "resize revert", nova, "POST", NOVA + "/servers/" + server + "/action",
            confirm ? "{\"confirmResize\": null}" : "{\"revertResize\": null}", null);
    if (r.status() == 204 || r.status() == 202) {
      verifying.remove(server);
    }
  }

  /** A small stack: a random string, a none, a port on the harness network and a 1 GB volume. */
  private void createStack(Api admin) {
    String name = STACK_PREFIX + stackNames.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    String template =
        "{\"heat_template_version\": \"2018-08-31\","
            + " \"parameters\": {\"net\": {\"type\": \"string\"}, \"tag\": {\"type\": \"string\"}},"
            + " \"resources\": {"
            + "  \"secret\": {\"type\": \"OS::Heat::RandomString\", \"properties\": {\"length\": 12}},"
            + "  \"nothing\": {\"type\": \"OS::Heat::None\"},"
            + "  \"port\": {\"type\": \"OS::Neutron::Port\", \"properties\": {\"network\": {\"get_param\": \"net\"}, \"name\": {\"get_param\": \"tag\"}}},"
            + "  \"vol\": {\"type\": \"OS::Cinder::Volume\", \"properties\": {\"size\": 1, \"name\": {\"get_param\": \"tag\"}}}}}";
    String body =
        "{\"stack_name\": \"" + name + "\", \"template\": " + template + ", \"parameters\": {\"net\": \""
            + networkId + "\", \"tag\": \"" + name + "\"}, \"timeout_mins\": 5}";
    Api.Response r = call("stack create", admin, "POST", heat + "/stacks", body, null);
    if (r.status() == 201) {
      String path = heat + "/stacks/" + name + "/" + r.json().at("/stack/id").asText();
      ledger.stack(path, true);
      stacks.add(path);
    }
  }

  private void deleteStack(Api admin, Random random) {
    if (stacks.size() < 2) {
      return;
    }
    String path = stacks.remove(random.nextInt(stacks.size()));
    Api.Response r = call("stack delete", admin, "DELETE", path, null, path);
    if (r.status() == 204) {
      ledger.stack(path, false);
    } else if (r.status() == 409) {
      stacks.add(path);
    }
  }

  /**
   * Sends one request; a 5xx is recorded as a finding. When Kiln dies under it, the resource it
   * touched ({@code touches}) is marked uncertain and the failure is passed on.
   */
  private Api.Response call(String kind, Api api, String method, String path, String body, String touches) {
    sent.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    try {
      Api.Response r = api.send(method, path, body);
      if (r.status() >= 500) {
        serverErrors.add(method + " " + path + " -> " + r);
      }
      return r;
    } catch (UncheckedIOException e) {
      if (touches != null) {
        forget(touches);
      }
      throw e;
    }
  }

  /**
   * A request about this resource (a path, or a port or volume id) went unanswered: the ledger
   * stops checking it, and the workload stops using it. For a server, that covers what is plugged
   * into it or attached to it too.
   */
  private void forget(String touches) {
    ledger.uncertain(touches);
    stacks.remove(touches);
    String serverId = touches.startsWith(NOVA + "/servers/") ? touches.substring((NOVA + "/servers/").length()) : null;
    if (serverId != null) {
      servers.remove(serverId);
      verifying.remove(serverId);
      pluggedPorts.forEach((port, server) -> {
        if (server.equals(serverId)) {
          ledger.uncertain(port);
        }
      });
      attachedVolumes.forEach((volume, server) -> {
        if (server.equals(serverId)) {
          ledger.uncertain(volume);
        }
      });
      pluggedPorts.values().removeIf(serverId::equals);
      attachedVolumes.values().removeIf(serverId::equals);
    }
    freePorts.remove(touches);
    freeVolumes.remove(touches);
    pluggedPorts.remove(touches);
    attachedVolumes.remove(touches);
  }

  /** Kinds of request sent, for the harness's report. */
  Set<String> kindsSent() {
    return sent.keySet();
  }
}
