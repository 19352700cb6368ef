package dev.kiln.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a running Kiln's services agree with each other, reading everything through the
 * public REST APIs as an admin, as an operator's audit script would: servers, ports and their
 * bindings, volumes and attachments, hypervisor usage. {@link #violations()} answers what is
 * inconsistent (empty when all is well); {@link #assertConsistent()} fails a test with the list.
 *
 * <p>The checks assume a settled cloud: call them once builds, deletes and attaches have finished.
 * Where a server is still moving (building, resizing, migrating, a task under way) the checks that
 * its in-between state would break are skipped for it, and say so below.
 */
public final class Invariants {
  private static final String NOVA = "/compute/v2.1";
  private static final String NEUTRON = "/networking/v2.0";
  private static final String COMPUTE_VERSION = "compute 2.79"; // embedded flavors (2.47), host attributes
  private static final String VOLUME_VERSION = "volume 3.27"; // the attachments API
  /**
   * Server states in which a host's usage legitimately differs from the sum of its servers'
   * flavors: during a resize or cold migration both hosts hold a claim until it is confirmed or
   * reverted (VERIFY_RESIZE counts on the source host too), a live migration holds both, a
   * building server may have claimed before it names its host, and an ERROR server may or may not
   * still hold its claim (a failed build gave it back, a failed delete did not).
   */
  private static final Set<String> UNSETTLED_STATES =
      Set.of("BUILD", "RESIZE", "VERIFY_RESIZE", "REVERT_RESIZE", "MIGRATING", "ERROR");
  /** Volume states that only an attach or detach under way explains. */
  private static final Set<String> TRANSIENT_VOLUME_STATES = Set.of("attaching", "detaching", "reserved");

  /** One broken rule: which rule, about what (an id or host), and what is wrong. */
  public record Violation(String rule, String subject, String detail) {
    @Override
    public String toString() {
      return rule + " [" + subject + "]: " + detail;
    }
  }

  private final Api compute;
  private final Api network;
  private final Api volume;
  private final String baseUrl;

  /** @param admin an Api with a token of a cloud admin */
  public Invariants(RunningKiln kiln, Api admin) {
    this(requireNonNull(kiln, "kiln is null").baseUrl(), admin);
  }

  /** For a Kiln reached by URL only (one in a child process, see {@link ChildKiln}). */
  public Invariants(String baseUrl, Api admin) {
    requireNonNull(baseUrl, "baseUrl is null");
    requireNonNull(admin, "admin is null");
    this.baseUrl = baseUrl;
    this.compute = admin.withHeader("OpenStack-API-Version", COMPUTE_VERSION);
    this.network = admin;
    this.volume = admin.withHeader("OpenStack-API-Version", VOLUME_VERSION);
  }

  /** Fails with every violation found, one a line. */
  public void assertConsistent() {
    List<Violation> found = violations();
    if (!found.isEmpty()) {
      StringBuilder message = new StringBuilder("Kiln is inconsistent:");
      found.forEach(v -> message.append("\n  ").append(v));
      throw new AssertionError(message.toString());
    }
  }

  /** Everything inconsistent now; empty when the services agree. */
  public List<Violation> violations() {
    Map<String, JsonNode> servers = byId(all(compute, NOVA + "/servers/detail?all_tenants=1", "servers"));
    List<JsonNode> ports = all(network, NEUTRON + "/ports", "ports");
    String cinder = "/volume/v3/" + adminProject();
    List<JsonNode> volumes = all(volume, cinder + "/volumes/detail?all_tenants=1", "volumes");
    List<JsonNode> attachments = all(volume, cinder + "/attachments/detail?all_tenants=1", "attachments");
    List<JsonNode> hypervisors = all(compute, NOVA + "/os-hypervisors/detail", "hypervisors");

    List<Violation> out = new ArrayList<>();
    checkVolumes(servers, volumes, attachments, out);
    checkServerVolumes(servers, attachments, out);
    checkPorts(servers, ports, out);
    checkHypervisors(servers, hypervisors, out);
    return out;
  }

  // Volumes

  private static void checkVolumes(
      Map<String, JsonNode> servers, List<JsonNode> volumes, List<JsonNode> attachments, List<Violation> out) {
    Map<String, List<JsonNode>> byVolume = new HashMap<>();
    for (JsonNode a : attachments) {
      byVolume.computeIfAbsent(a.path("volume_id").asText(), k -> new ArrayList<>()).add(a);
      String server = text(a, "instance");
      if (server == null) {
        out.add(new Violation("attachment-without-server", a.path("id").asText(),
            "attachment of volume " + a.path("volume_id").asText() + " names no server"));
      } else if (!servers.containsKey(server)) {
        out.add(new Violation("attachment-of-missing-server", a.path("id").asText(),
            "attachment of volume " + a.path("volume_id").asText() + " names server " + server + ", which does not exist"));
      }
    }
    for (JsonNode v : volumes) {
      String id = v.path("id").asText();
      String status = v.path("status").asText();
      List<JsonNode> own = byVolume.getOrDefault(id, List.of());
      if (status.equals("in-use") && own.isEmpty()) {
        out.add(new Violation("in-use-volume-without-attachment", id, "volume is in-use but has no attachment"));
      }
      if (TRANSIENT_VOLUME_STATES.contains(status)) {
        // Only an attach or detach under way for a server that is itself mid-task explains these.
        boolean explained =
            own.stream()
                .map(a -> servers.get(text(a, "instance")))
                .anyMatch(s -> s != null && !settled(s));
        if (!explained) {
          out.add(new Violation("volume-stuck", id, "volume is " + status + " but no server is attaching or detaching it"));
        }
      }
    }
  }

  /**
   * Every volume a settled server lists is attached to it in Block Storage, by one attachment; and
   * every attachment to a settled server is of a volume the server lists (a move's attachment left
   * behind outlives the volume's detach otherwise).
   */
  private static void checkServerVolumes(Map<String, JsonNode> servers, List<JsonNode> attachments, List<Violation> out) {
    Map<String, Integer> attached = new HashMap<>();
    for (JsonNode a : attachments) {
      attached.merge(a.path("volume_id").asText() + "/" + a.path("instance").asText(), 1, Integer::sum);
    }
    Set<String> listed = new HashSet<>();
    for (JsonNode s : servers.values()) {
      if (!settled(s)) {
        continue; // an attach, a detach or a move may be under way
      }
      for (JsonNode v : s.path("os-extended-volumes:volumes_attached")) {
        String volumeId = v.path("id").asText();
        String pair = volumeId + "/" + s.path("id").asText();
        listed.add(pair);
        int count = attached.getOrDefault(pair, 0);
        if (count == 0) {
          out.add(new Violation("server-volume-not-attached", s.path("id").asText(),
              "server lists volume " + volumeId + " but Block Storage has no attachment of it to the server"));
        } else if (count > 1) {
          out.add(new Violation("server-volume-attached-twice", s.path("id").asText(),
              "Block Storage has " + count + " attachments of volume " + volumeId + " to the server"));
        }
      }
    }
    for (JsonNode a : attachments) {
      JsonNode server = servers.get(text(a, "instance"));
      String pair = a.path("volume_id").asText() + "/" + a.path("instance").asText();
      if (server != null && settled(server) && !listed.contains(pair)) {
        out.add(new Violation("attachment-not-on-server", a.path("id").asText(),
            "attachment of volume " + a.path("volume_id").asText() + " to server " + server.path("id").asText()
                + ", which does not list the volume"));
      }
    }
  }

  // Ports

  private void checkPorts(Map<String, JsonNode> servers, List<JsonNode> ports, List<Violation> out) {
    for (JsonNode p : ports) {
      String id = p.path("id").asText();
      List<JsonNode> bindings = new ArrayList<>();
      ok(network.get(NEUTRON + "/ports/" + id + "/bindings"), "bindings of port " + id).path("bindings").forEach(bindings::add);
      List<String> activeHosts =
          bindings.stream().filter(b -> b.path("status").asText().equals("ACTIVE")).map(b -> b.path("host").asText()).toList();
      if (activeHosts.size() > 1) {
        out.add(new Violation("port-two-active-bindings", id, "port has ACTIVE bindings on " + activeHosts));
      }
      if (!p.path("device_owner").asText().startsWith("compute:")) {
        continue;
      }
      String serverId = p.path("device_id").asText();
      JsonNode server = servers.get(serverId);
      if (server == null) {
        out.add(new Violation("compute-port-without-server", id,
            "port is owned by " + p.path("device_owner").asText() + " for server '" + serverId + "', which does not exist"));
        continue;
      }
      Set<String> listed = new HashSet<>();
      server.path("addresses").forEach(net -> net.forEach(a -> listed.add(a.path("addr").asText())));
      for (JsonNode ip : p.path("fixed_ips")) {
        String address = ip.path("ip_address").asText();
        if (!listed.contains(address)) {
          out.add(new Violation("server-missing-port-address", id,
              "server " + serverId + " does not list the port's address " + address));
        }
      }
      String host = text(server, "OS-EXT-SRV-ATTR:host");
      if (activeHosts.size() == 1 && settled(server) && !activeHosts.getFirst().equals(host)) {
        // During a migration the port's binding moves before or after the server's host does.
        out.add(new Violation("port-binding-host-mismatch", id,
            "port's active binding is on " + activeHosts.getFirst() + " but server " + serverId + " is on " + host));
      }
    }
  }

  // Hypervisors

  private static void checkHypervisors(Map<String, JsonNode> servers, List<JsonNode> hypervisors, List<Violation> out) {
    Map<String, int[]> expected = new HashMap<>(); // host -> {vcpus, ram}
    Set<String> unsettledHosts = new HashSet<>();
    boolean hostlessBuild = false;
    for (JsonNode s : servers.values()) {
      String host = text(s, "OS-EXT-SRV-ATTR:host");
      if (host == null) {
        // A building server may have claimed on a host it does not name yet; then no host's
        // usage can be checked.
        hostlessBuild |= s.path("status").asText().equals("BUILD");
        continue;
      }
      if (!settled(s)) {
        unsettledHosts.add(host);
        continue;
      }
      int[] sum = expected.computeIfAbsent(host, h -> new int[2]);
      sum[0] += s.path("flavor").path("vcpus").asInt();
      sum[1] += s.path("flavor").path("ram").asInt();
    }
    if (hostlessBuild) {
      return;
    }
    for (JsonNode h : hypervisors) {
      String host = h.path("service").path("host").asText(h.path("hypervisor_hostname").asText());
      if (unsettledHosts.contains(host)) {
        continue; // a server there is resizing, migrating, building or in ERROR: see UNSETTLED_STATES
      }
      int[] sum = expected.getOrDefault(host, new int[2]);
      int vcpus = h.path("vcpus_used").asInt();
      int ram = h.path("memory_mb_used").asInt();
      if (vcpus != sum[0] || ram != sum[1]) {
        out.add(new Violation("hypervisor-usage-mismatch", host,
            "host reports " + vcpus + " vCPUs and " + ram + " MB used, but its servers' flavors add up to "
                + sum[0] + " vCPUs and " + sum[1] + " MB"));
      }
    }
  }

  /** A server with no state change under way (no task, not building, resizing or migrating). */
  private static boolean settled(JsonNode server) {
    return !UNSETTLED_STATES.contains(server.path("status").asText()) && text(server, "OS-EXT-STS:task_state") == null;
  }

  // Reading

  /** The project in the admin's Cinder URLs: any project the token may use will do for an admin. */
  private String adminProject() {
    JsonNode projects = ok(network.get("/identity/v3/auth/projects"), "the admin's projects").path("projects");
    if (projects.isEmpty()) {
      throw new IllegalStateException("the admin token may use no project, so Block Storage cannot be read");
    }
    return projects.get(0).path("id").asText();
  }

  /** Every item of a list, following its next links. */
  private List<JsonNode> all(Api api, String path, String collection) {
    List<JsonNode> items = new ArrayList<>();
    String next = path;
    Set<String> seen = new HashSet<>();
    while (next != null && seen.add(next)) {
      JsonNode page = ok(api.get(next), collection);
      page.path(collection).forEach(items::add);
      next = null;
      for (JsonNode link : page.path(collection + "_links")) {
        if (link.path("rel").asText().equals("next")) {
          next = relative(link.path("href").asText());
        }
      }
    }
    return items;
  }

  private String relative(String href) {
    if (href.startsWith(baseUrl)) {
      return href.substring(baseUrl.length());
    }
    URI uri = URI.create(href);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static JsonNode ok(Api.Response r, String what) {
    if (r.status() != 200) {
      throw new IllegalStateException("could not read " + what + ": " + r);
    }
    return r.json();
  }

  private static Map<String, JsonNode> byId(List<JsonNode> items) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    items.forEach(i -> out.put(i.path("id").asText(), i));
    return out;
  }

  /** A field's text, or null when it is missing, null or empty. */
  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }
}
