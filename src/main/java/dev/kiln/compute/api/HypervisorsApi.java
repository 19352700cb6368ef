package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostedServers;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code /os-hypervisors} (admin only): the fleet's compute hosts with their capacity and usage.
 * Integer ids before microversion 2.53 and UUIDs from it; paging from 2.33; the hostname pattern
 * and {@code with_servers} query parameters from 2.53, which replace the search and servers routes.
 */
final class HypervisorsApi {
  private static final String HYPERVISORS = "/v2.1/os-hypervisors";
  /** What the simulated hosts report as their hypervisor: QEMU 8.2, as a DevStack host would. */
  static final String HYPERVISOR_TYPE = "QEMU";
  static final int HYPERVISOR_VERSION = 8_002_000;
  private static final String HOST_IP = "127.0.0.1";
  private static final Pattern FQDN = Pattern.compile("^[a-zA-Z0-9-._]*$");

  private final Fleet fleet;

  HypervisorsApi(Fleet fleet) {
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(HYPERVISORS, Access.ADMIN, r -> list(r, false))
        .get(HYPERVISORS + "/detail", Access.ADMIN, r -> list(r, true))
        .get(HYPERVISORS + "/statistics", Access.ADMIN, this::statistics)
        .get(HYPERVISORS + "/{id}", Access.ADMIN, this::show)
        .get(HYPERVISORS + "/{id}/uptime", Access.ADMIN, this::uptime)
        .get(HYPERVISORS + "/{pattern}/search", Access.ADMIN, r -> search(r, false))
        .get(HYPERVISORS + "/{pattern}/servers", Access.ADMIN, r -> search(r, true));
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    boolean v253 = Nova.atLeast(request, 53);
    Nova.onlyQuery(request, 53, "limit", "marker", "hypervisor_hostname_pattern", "with_servers");
    String pattern = v253 ? request.query("hypervisor_hostname_pattern").orElse(null) : null;
    boolean withServers = v253 && Nova.boolQuery(request, "with_servers");
    boolean paged = Nova.atLeast(request, 33);
    List<Hypervisor> all = fleet.hypervisors();
    List<Hypervisor> shown;
    boolean more = false;
    if (pattern != null) {
      if (request.query("limit").isPresent() || request.query("marker").isPresent()) {
        throw ApiError.badRequest(
            "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.");
      }
      shown = matching(all, pattern);
    } else if (paged) {
      PageRequest paging = PageRequest.from(request);
      int start = 0;
      if (paging.marker() != null) {
        int index = indexOf(all, paging.marker(), v253);
        if (index < 0) {
          throw ApiError.badRequest("marker [" + paging.marker() + "] not found");
        }
        start = index + 1;
      }
      int end = paging.limit() == null ? all.size() : (int) Math.min(all.size(), (long) start + paging.limit());
      shown = all.subList(start, end);
      more = end < all.size();
    } else {
      shown = all;
    }
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("hypervisors");
    for (Hypervisor h : shown) {
      items.add(view(request, h, detail, withServers ? servers(h) : null, withServers));
    }
    if (more && !shown.isEmpty()) {
      body.set(
          "hypervisors_links",
          Nova.nextLinks(request, detail ? "os-hypervisors/detail" : "os-hypervisors", id(request, shown.getLast())));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Nova.onlyQuery(request, 53, "with_servers");
    boolean withServers = Nova.atLeast(request, 53) && Nova.boolQuery(request, "with_servers");
    Hypervisor h = find(request, request.pathParam("id"));
    return ApiResponse.ok(Json.wrap("hypervisor", view(request, h, true, withServers ? servers(h) : null, withServers)));
  }

  private ApiResponse uptime(ApiRequest request) {
    Hypervisor h = find(request, request.pathParam("id"));
    ObjectNode o = view(request, h, false, null, false);
    o.put("uptime", uptimeText(fleet.time(), fleet.uptime()));
    return ApiResponse.ok(Json.wrap("hypervisor", o));
  }

  private ApiResponse search(ApiRequest request, boolean withServers) {
    if (Nova.atLeast(request, 53)) {
      throw ApiError.notFound("HTTPNotFound", "The resource could not be found.");
    }
    List<Hypervisor> found = matching(fleet.hypervisors(), request.pathParam("pattern"));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("hypervisors");
    for (Hypervisor h : found) {
      items.add(view(request, h, false, withServers ? servers(h) : null, false));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse statistics(ApiRequest request) {
    Fleet.Statistics s = fleet.statistics();
    ObjectNode o = Json.object();
    o.put("count", s.count());
    o.put("vcpus_used", s.used().vcpus());
    o.put("local_gb_used", s.used().diskGb());
    o.put("memory_mb", s.capacity().ramMb());
    o.put("current_workload", 0);
    o.put("vcpus", s.capacity().vcpus());
    o.put("running_vms", s.runningVms());
    o.put("free_disk_gb", s.free().diskGb());
    o.put("disk_available_least", s.free().diskGb());
    o.put("local_gb", s.capacity().diskGb());
    o.put("free_ram_mb", s.free().ramMb());
    o.put("memory_mb_used", s.used().ramMb());
    return ApiResponse.ok(Json.wrap("hypervisor_statistics", o));
  }

  // Views

  private static ObjectNode view(
      ApiRequest request, Hypervisor h, boolean detail, List<HostedServers.Server> servers, boolean withServers) {
    boolean v253 = Nova.atLeast(request, 53);
    ObjectNode o = Json.object();
    if (v253) {
      o.put("id", h.uuid());
    } else {
      o.put("id", h.id());
    }
    o.put("hypervisor_hostname", h.hostname());
    o.put("state", h.service().isUp() ? "up" : "down");
    o.put("status", h.service().disabled() ? "disabled" : "enabled");
    if (detail) {
      o.put("hypervisor_type", HYPERVISOR_TYPE);
      o.put("hypervisor_version", HYPERVISOR_VERSION);
      o.put("host_ip", HOST_IP);
      ObjectNode service = o.putObject("service");
      if (v253) {
        service.put("id", h.service().uuid());
      } else {
        service.put("id", h.service().id());
      }
      service.put("host", h.hostname());
      service.put("disabled_reason", h.service().disabledReason());
      o.put("vcpus", h.capacity().vcpus());
      o.put("memory_mb", h.capacity().ramMb());
      o.put("local_gb", h.capacity().diskGb());
      o.put("vcpus_used", h.used().vcpus());
      o.put("memory_mb_used", h.used().ramMb());
      o.put("local_gb_used", h.used().diskGb());
      o.put("free_ram_mb", h.free().ramMb());
      o.put("free_disk_gb", h.free().diskGb());
      o.put("current_workload", 0);
      o.put("running_vms", h.runningVms());
      o.put("disk_available_least", h.free().diskGb());
      ObjectNode cpu = cpuInfo(h);
      if (Nova.atLeast(request, 28)) {
        o.set("cpu_info", cpu);
      } else {
        o.put("cpu_info", cpu.toString());
      }
    }
    if (servers != null && !servers.isEmpty()) {
      ArrayNode list = o.putArray("servers");
      servers.forEach(s -> list.addObject().put("name", s.name()).put("uuid", s.uuid()));
    } else if (withServers && Nova.atLeast(request, 75)) {
      o.putArray("servers");
    }
    return o;
  }

  /** What libvirt would report of the simulated host's CPU. */
  private static ObjectNode cpuInfo(Hypervisor h) {
    ObjectNode cpu = Json.object();
    cpu.put("arch", "x86_64");
    cpu.put("model", "Kiln-Simulated");
    cpu.put("vendor", "Kiln");
    ObjectNode topology = cpu.putObject("topology");
    topology.put("cells", 1);
    topology.put("sockets", 1);
    topology.put("cores", h.capacity().vcpus());
    topology.put("threads", 1);
    cpu.putArray("features");
    return cpu;
  }

  /** Like the first line of {@code uptime}, which is what Nova's drivers report. */
  static String uptimeText(Instant at, Duration up) {
    LocalTime now = LocalTime.ofInstant(at, ZoneOffset.UTC).withNano(0);
    long days = up.toDays();
    long hours = up.toHoursPart();
    long minutes = up.toMinutesPart();
    String since =
        (days > 0 ? days + (days == 1 ? " day, " : " days, ") : "")
            + (hours > 0 ? String.format(Locale.ROOT, "%2d:%02d", hours, minutes) : minutes + " min");
    return " " + now + " up " + since + ",  0 users,  load average: 0.00, 0.00, 0.00";
  }

  // Lookups

  private List<HostedServers.Server> servers(Hypervisor h) {
    return fleet.hostedServers().on(h.hostname());
  }

  private Hypervisor find(ApiRequest request, String id) {
    boolean v253 = Nova.atLeast(request, 53);
    if (v253 && !Nova.isUuidLike(id)) {
      throw ApiError.badRequest("Invalid uuid " + id);
    }
    if (!v253 && !id.matches("-?[0-9]{1,9}")) {
      throw notFound(id);
    }
    List<Hypervisor> all = fleet.hypervisors();
    int index = indexOf(all, id, v253);
    if (index < 0) {
      throw notFound(id);
    }
    return all.get(index);
  }

  private static int indexOf(List<Hypervisor> all, String id, boolean byUuid) {
    for (int i = 0; i < all.size(); i++) {
      Hypervisor h = all.get(i);
      if (byUuid ? h.uuid().equalsIgnoreCase(id) : String.valueOf(h.id()).equals(id.strip())) {
        return i;
      }
    }
    return -1;
  }

  private static List<Hypervisor> matching(List<Hypervisor> all, String pattern) {
    if (pattern.isEmpty() || pattern.length() > 255 || !FQDN.matcher(pattern).matches()) {
      throw ApiError.badRequest(
          "Invalid input for query parameters hypervisor_hostname_pattern. Value: " + pattern
              + ". It must be 1 to 255 letters, digits, '-', '.' or '_'.");
    }
    String needle = pattern.toLowerCase(Locale.ROOT);
    List<Hypervisor> found = new ArrayList<>();
    for (Hypervisor h : all) {
      if (h.hostname().toLowerCase(Locale.ROOT).contains(needle)) {
        found.add(h);
      }
    }
    if (found.isEmpty()) {
      throw ApiError.notFound("HTTPNotFound", "No hypervisor matching '" + pattern + "' could be found.");
    }
    return found;
  }

  private static String id(ApiRequest request, Hypervisor h) {
    return Nova.atLeast(request, 53) ? h.uuid() : String.valueOf(h.id());
  }

  private static ApiError notFound(String id) {
    return ApiError.notFound("HTTPNotFound", "Hypervisor with ID '" + id + "' could not be found.");
  }
}
