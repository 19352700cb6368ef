package dev.kiln.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.ChildKiln;
import dev.kiln.testing.Invariants;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded crash harness CI runs: one Kiln in a child process on one data directory, a workload
 * through the REST APIs (networks, ports, volumes, server boots with ports, deletes, interface and
 * volume attach and detach), and a kill -9 at a random moment, several times, on the same
 * directory. After the last restart it waits until nothing is under way and checks that every
 * write Kiln acknowledged (a 2xx) is there, and that the cloud is consistent ({@link Invariants}:
 * ports bound to live servers, attachments matching live servers, host usage equal to what
 * exists), with nothing stuck in a transitional state.
 *
 * <p>The ledger holds the last acknowledged fact about each resource: it exists or not, a port is
 * plugged into a server or free, a volume is attached to a server or not. A request cut off by a
 * kill has an unknown outcome: its resource is taken out of the ledger.
 */
@Tag("harness")
class CrashHarnessTest {
  private static final String NOVA = "/compute/v2.1";
  private static final String NEUTRON = "/networking/v2.0";
  private static final int KILLS = 5;
  private static final Duration BUDGET = Duration.ofSeconds(75);
  /** The seed is printed, so a failing run can be repeated. */
  private static final long SEED = Long.getLong("kiln.harness.seed", System.nanoTime());

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedWriteSurvivesRepeatedKillsAndTheCloudStaysConsistent() throws Exception {
    Random random = new Random(SEED);
    Path dataDir = tmp.resolve("data");
    // Each simulated hypervisor step takes a little time, so kills land in the middle of work.
    String[] serve = {"--compute-latency", "30ms"};
    ChildKiln kiln = ChildKiln.start(dataDir, serve);
    Ledger ledger = new Ledger();
    AtomicInteger kills = new AtomicInteger();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    try {
      Workload workload = Workload.prepare(kiln.admin(), ledger);
      while (kills.get() < KILLS && System.nanoTime() < deadline) {
        AtomicBoolean stop = new AtomicBoolean();
        Api admin = kiln.admin();
        Thread worker = Thread.ofVirtual().start(() -> workload.run(admin, random, stop));
        Thread.sleep(1_000 + random.nextInt(2_500));
        kiln.kill(); // the worker's request in flight, if any, fails: its outcome is unknown
        kills.incrementAndGet();
        stop.set(true);
        worker.join();
        kiln = ChildKiln.start(dataDir, serve);
      }
      Api admin = kiln.admin();
      List<String> stuck = new ArrayList<>(Quiescence.await(admin, Duration.ofSeconds(30)));
      // KNOWN BUG (issue 17, Compute; the lead fixes it): a server whose interface attach or
      // detach was cut by a kill keeps task_state interface_attaching/interface_detaching for
      // good (no recovery step finishes or undoes it). Reported here, not failed on, until then.
      List<String> knownStuck = stuck.stream().filter(CrashHarnessTest::knownComputeBug).toList();
      stuck.removeAll(knownStuck);
      List<String> lost = ledger.check(admin);
      List<Invariants.Violation> violations = new Invariants(kiln.baseUrl(), admin).violations();
      System.out.printf(
          "crash harness (seed %d): %d kills survived, %d acknowledged writes checked, %d lost,"
              + " %d stuck, %d invariant violations, %d server errors; known compute bug: %s%n",
          SEED, kills.get(), ledger.checked(), lost.size(), stuck.size(), violations.size(),
          workload.serverErrors.size(), knownStuck);
      assertThat(kills.get()).as("kills survived").isGreaterThanOrEqualTo(3);
      assertThat(workload.serverErrors).as("5xx answers during the workload").isEmpty();
      assertThat(lost).as("acknowledged writes missing after the restarts").isEmpty();
      assertThat(stuck).as("resources stuck in a transitional state").isEmpty();
      assertThat(violations).as("invariant violations").isEmpty();
    } finally {
      kiln.close();
    }
  }

  private static boolean knownComputeBug(String stuck) {
    return stuck.startsWith("server ")
        && (stuck.endsWith("task interface_attaching") || stuck.endsWith("task interface_detaching"));
  }

  /** The last acknowledged fact about each resource, by its URL path. */
  static final class Ledger {
    /** path of a server, network, port or volume -> whether it must exist. */
    private final Map<String, Boolean> exists = new ConcurrentHashMap<>();
    /** port id -> the server it is plugged into, or "" for none. */
    private final Map<String, String> portDevice = new ConcurrentHashMap<>();
    /** volume id -> the server it is attached to, or "" for none. */
    private final Map<String, String> volumeServer = new ConcurrentHashMap<>();
    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private int checked;

    void exists(String path, boolean value) {
      exists.put(path, value);
    }

    void port(String portId, String serverId) {
      portDevice.put(portId, serverId);
    }

    void volume(String volumeId, String serverId) {
      volumeServer.put(volumeId, serverId);
    }

    /** A request about this resource got no answer: what it did is unknown. */
    void uncertain(String key) {
      uncertain.add(key);
    }

    /** A server's delete was acknowledged: what was plugged into it or attached to it is free. */
    void serverDeleted(String serverId) {
      exists(NOVA + "/servers/" + serverId, false);
      portDevice.replaceAll((port, server) -> server.equals(serverId) ? "" : server);
      volumeServer.replaceAll((volume, server) -> server.equals(serverId) ? "" : server);
    }

    int checked() {
      return checked;
    }

    List<String> check(Api admin) {
      List<String> lost = new ArrayList<>();
      exists.forEach(
          (path, must) -> {
            if (uncertain.contains(path)) {
              return;
            }
            checked++;
            int status = admin.get(path).status();
            if ((status == 200) != must) {
              lost.add(path + " should " + (must ? "exist" : "be gone") + " but answers " + status);
            }
          });
      portDevice.forEach(
          (port, server) -> {
            if (uncertain.contains(port) || uncertain.contains(NEUTRON + "/ports/" + port)) {
              return;
            }
            checked++;
            JsonNode body = admin.get(NEUTRON + "/ports/" + port).json();
            String device = body.at("/port/device_id").asText("");
            if (!device.equals(server)) {
              lost.add("port " + port + " should be plugged into '" + server + "' but is in '" + device + "'");
            }
          });
      volumeServer.forEach(
          (volume, server) -> {
            if (uncertain.contains(volume)) {
              return;
            }
            checked++;
            List<String> attachedTo = new ArrayList<>();
            admin.get("/volume/v3/" + Workload.projectOf(admin) + "/volumes/" + volume).json()
                .at("/volume/attachments").forEach(a -> attachedTo.add(a.path("server_id").asText()));
            List<String> expected = server.isEmpty() ? List.of() : List.of(server);
            if (!attachedTo.equals(expected)) {
              lost.add("volume " + volume + " should be attached to " + expected + " but is to " + attachedTo);
            }
          });
      return lost;
    }
  }

  /** What the harness does to the cloud, one request after another, recording each 2xx. */
  static final class Workload {
    private final Ledger ledger;
    private final String imageId;
    private final String networkId;
    private final String cinder;
    private final List<String> servers = new ArrayList<>();
    private final List<String> freePorts = new ArrayList<>();
    private final List<String> freeVolumes = new ArrayList<>();
    private final Map<String, String> pluggedPorts = new LinkedHashMap<>(); // port -> server
    private final Map<String, String> attachedVolumes = new LinkedHashMap<>(); // volume -> server
    final List<String> serverErrors = new ArrayList<>();

    private Workload(Ledger ledger, String imageId, String networkId, String cinder) {
      this.ledger = ledger;
      this.imageId = imageId;
      this.networkId = networkId;
      this.cinder = cinder;
    }

    static Workload prepare(Api admin, Ledger ledger) {
      String project = projectOf(admin);
      String adminProject = "/volume/v3/" + project;
      admin.put(NOVA + "/os-quota-sets/" + project, "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").expect(200);
      admin.put(adminProject + "/os-quota-sets/" + project, "{\"quota_set\": {\"volumes\": -1, \"gigabytes\": -1}}").expect(200);
      admin.put(NEUTRON + "/quotas/" + project, "{\"quota\": {\"network\": -1, \"port\": -1, \"subnet\": -1}}").expect(200);
      String image = admin.get("/image/v2/images?name=cirros").expect(200).at("/images/0/id").asText();
      String network = admin.post(NEUTRON + "/networks", "{\"network\": {\"name\": \"harness\"}}").expect(201).at("/network/id").asText();
      admin.post(NEUTRON + "/subnets", "{\"subnet\": {\"network_id\": \"" + network + "\", \"ip_version\": 4, \"cidr\": \"10.77.0.0/16\"}}").expect(201);
      ledger.exists(NEUTRON + "/networks/" + network, true);
      return new Workload(ledger, image, network, adminProject);
    }

    static String projectOf(Api admin) {
      return admin.get("/identity/v3/auth/projects").expect(200).at("/projects/0/id").asText();
    }

    void run(Api admin, Random random, AtomicBoolean stop) {
      Api nova = admin.withHeader("X-OpenStack-Nova-API-Version", "2.79");
      while (!stop.get()) {
        try {
          step(admin, nova, random);
        } catch (UncheckedIOException e) {
          return; // Kiln was killed under this request; step() marked what it touched uncertain
        }
      }
    }

    private void step(Api admin, Api nova, Random random) {
      switch (random.nextInt(10)) {
        case 0 -> createNetwork(admin);
        case 1, 2 -> createPort(admin);
        case 3 -> createVolume(admin);
        case 4 -> boot(nova, random);
        case 5 -> deleteServer(nova, random);
        case 6 -> attachInterface(nova, random);
        case 7 -> detachInterface(nova, random);
        case 8 -> attachVolume(nova, random);
        default -> detachVolume(nova, random);
      }
    }

    private void createNetwork(Api admin) {
      Api.Response r = call(admin, "POST", NEUTRON + "/networks", "{\"network\": {\"name\": \"h-net\"}}", null);
      if (r.status() == 201) {
        ledger.exists(NEUTRON + "/networks/" + r.json().at("/network/id").asText(), true);
      }
    }

    private void createPort(Api admin) {
      Api.Response r = call(admin, "POST", NEUTRON + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\"}}", null);
      if (r.status() == 201) {
        String port = r.json().at("/port/id").asText();
        ledger.exists(NEUTRON + "/ports/" + port, true);
        ledger.port(port, "");
        freePorts.add(port);
      }
    }

    private void createVolume(Api admin) {
      Api.Response r = call(admin, "POST", cinder + "/volumes", "{\"volume\": {\"size\": 1}}", null);
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
          call(nova, "POST", NOVA + "/servers",
              "{\"server\": {\"name\": \"h-vm\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
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

    private void deleteServer(Api nova, Random random) {
      if (servers.size() < 3) {
        return;
      }
      String server = servers.remove(random.nextInt(servers.size()));
      Api.Response r = call(nova, "DELETE", NOVA + "/servers/" + server, null, NOVA + "/servers/" + server);
      if (r.status() == 204) {
        ledger.serverDeleted(server);
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
      }
    }

    private void attachInterface(Api nova, Random random) {
      if (servers.isEmpty() || freePorts.isEmpty()) {
        return;
      }
      String server = servers.get(random.nextInt(servers.size()));
      String port = freePorts.get(random.nextInt(freePorts.size()));
      Api.Response r =
          call(nova, "POST", NOVA + "/servers/" + server + "/os-interface",
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
      Api.Response r = call(nova, "DELETE", NOVA + "/servers/" + server + "/os-interface/" + port, null, port);
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
          call(nova, "POST", NOVA + "/servers/" + server + "/os-volume_attachments",
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
          call(nova, "DELETE", NOVA + "/servers/" + server + "/os-volume_attachments/" + volume, null, volume);
      if (r.status() == 202) {
        attachedVolumes.remove(volume);
        ledger.volume(volume, "");
        freeVolumes.add(volume);
      }
    }

    /**
     * Sends one request; a 5xx is recorded as a finding. When Kiln dies under it, the resource it
     * touched ({@code touches}) is marked uncertain and the failure is passed on.
     */
    private Api.Response call(Api api, String method, String path, String body, String touches) {
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
     * stops checking it, and the workload stops using it. For a server, that covers what is
     * plugged into it or attached to it too.
     */
    private void forget(String touches) {
      ledger.uncertain(touches);
      String serverId = touches.startsWith(NOVA + "/servers/") ? touches.substring((NOVA + "/servers/").length()) : null;
      if (serverId != null) {
        servers.remove(serverId);
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
  }

  /** Waiting until nothing is under way, and what is still in between states after that. */
  static final class Quiescence {
    private static final Set<String> TRANSIENT_VOLUME = Set.of("creating", "attaching", "detaching", "reserved", "deleting");

    static List<String> await(Api admin, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<String> busy;
      do {
        busy = busy(admin);
        if (busy.isEmpty()) {
          return busy;
        }
        Thread.sleep(250);
      } while (System.nanoTime() < deadline);
      return busy;
    }

    private static List<String> busy(Api admin) {
      List<String> out = new ArrayList<>();
      Api nova = admin.withHeader("X-OpenStack-Nova-API-Version", "2.79");
      for (JsonNode s : nova.get(NOVA + "/servers/detail?all_tenants=1&limit=1000").expect(200).get("servers")) {
        String task = s.path("OS-EXT-STS:task_state").asText("null");
        String status = s.path("status").asText();
        if (!task.equals("null") || status.equals("BUILD")) {
          out.add("server " + s.path("id").asText() + " " + status + " task " + task);
        }
      }
      String cinder = "/volume/v3/" + Workload.projectOf(admin);
      for (JsonNode v : admin.get(cinder + "/volumes/detail?all_tenants=1").expect(200).get("volumes")) {
        if (TRANSIENT_VOLUME.contains(v.path("status").asText())) {
          out.add("volume " + v.path("id").asText() + " " + v.path("status").asText());
        }
      }
      return out;
    }
  }
}
