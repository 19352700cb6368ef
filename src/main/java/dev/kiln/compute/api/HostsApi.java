package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostService;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.servers.ServerUsage;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /os-hosts} (admin only, removed in 2.43 as in Nova): the hosts of Nova's enabled services
 * with their zone, a compute host's resources (total, used now, what its servers' flavors add up
 * to, and that per project), and the host update and power actions. A host's {@code status}
 * enables or disables its compute service, as in {@code os-services}; maintenance mode and the
 * power actions answer 501 for an existing host, as Nova's libvirt driver does, and change nothing.
 */
final class HostsApi {
  private static final String HOSTS = "/v2.1/os-hosts";
  private static final String HOST = HOSTS + "/{host}";
  private static final Set<String> SWITCH = Set.of("enable", "disable", "Enable", "Disable", "ENABLE", "DISABLE");

  private final Fleet fleet;
  private final ServerUsage usage;

  HostsApi(Fleet fleet, ServerUsage usage) {
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.usage = requireNonNull(usage, "usage is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(HOSTS, Access.ADMIN, this::list)
        .get(HOST, Access.ADMIN, this::show)
        .put(HOST, Access.ADMIN, this::update)
        .get(HOST + "/startup", Access.ADMIN, request -> power(request, "startup"))
        .get(HOST + "/shutdown", Access.ADMIN, request -> power(request, "shutdown"))
        .get(HOST + "/reboot", Access.ADMIN, request -> power(request, "reboot"));
  }

  private static void before243(ApiRequest request) {
    if (Nova.atLeast(request, 43)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  /** The enabled services' hosts; a blank zone is no filter, an unknown one lists nothing. */
  private ApiResponse list(ApiRequest request) {
    before243(request);
    String zone = request.query("zone").orElse("");
    ObjectNode body = Json.object();
    ArrayNode hosts = body.putArray("hosts");
    for (HostService s : fleet.services()) {
      if (!s.disabled() && (zone.isEmpty() || zone.equals(s.zone()))) {
        hosts.addObject()
            .put("host_name", s.host())
            .put("service", s.binary().startsWith("nova-") ? s.binary().substring(5) : s.binary())
            .put("zone", s.zone());
      }
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    before243(request);
    String name = request.pathParam("host");
    Hypervisor host =
        fleet.hypervisor(name)
            .orElseThrow(() -> ApiError.notFound("ComputeHostNotFound", "Compute host " + name + " could not be found."));
    ObjectNode body = Json.object();
    ArrayNode resources = body.putArray("host");
    resource(resources, name, "(total)", host.capacity());
    resource(resources, name, "(used_now)", host.used());
    int vcpus = 0;
    int memory = 0;
    int disk = 0;
    var projects = usage.onHost(name);
    for (ServerUsage.HostedUse use : projects) {
      vcpus += use.vcpus();
      memory += use.memoryMb();
      disk += use.diskGb();
    }
    resource(resources, name, "(used_max)", new Resources(vcpus, memory, disk));
    for (ServerUsage.HostedUse use : projects) {
      resource(resources, name, use.projectId(), new Resources(use.vcpus(), use.memoryMb(), use.diskGb()));
    }
    return ApiResponse.ok(body);
  }

  private static void resource(ArrayNode resources, String host, String project, Resources r) {
    resources.addObject()
        .putObject("resource")
        .put("host", host)
        .put("project", project)
        .put("cpu", r.vcpus())
        .put("memory_mb", r.ramMb())
        .put("disk_gb", r.diskGb());
  }

  /**
   * {@code {"status": "enable"|"disable", "maintenance_mode": ...}}: each given field must be one of
   * Nova's words. Maintenance mode is checked before anything changes, so a request that asks for
   * it changes nothing.
   */
  private ApiResponse update(ApiRequest request) {
    before243(request);
    String name = request.pathParam("host");
    JsonNode body = request.body();
    if (!body.isObject()) {
      throw Nova.invalid("body", body, "is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("status") && !field.equals("maintenance_mode")) {
        throw Nova.invalid("body", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    Boolean enable = onOff(body, "status");
    Boolean maintenance = onOff(body, "maintenance_mode");
    if (enable == null && maintenance == null) {
      throw Nova.invalid("body", body, "'status' or 'maintenance_mode' is a required property");
    }
    existing(name);
    if (maintenance != null) {
      throw notSupported();
    }
    try {
      fleet.updateService(name, Fleet.COMPUTE_BINARY, new Fleet.ServiceChange(!enable, null, null));
    } catch (ServiceException e) {
      throw hostNotFound(name);
    }
    ObjectNode answer = Json.object();
    answer.put("host", name);
    answer.put("status", enable ? "enabled" : "disabled");
    return ApiResponse.ok(answer);
  }

  /** The power actions: the simulated hosts, like libvirt's, cannot be powered from the API. */
  private ApiResponse power(ApiRequest request, String action) {
    before243(request);
    existing(request.pathParam("host"));
    throw notSupported();
  }

  private static Boolean onOff(JsonNode body, String field) {
    if (!body.has(field)) {
      return null;
    }
    JsonNode value = body.get(field);
    if (!value.isTextual() || !SWITCH.contains(value.textValue())) {
      throw Nova.invalid(field, value, "is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']");
    }
    return value.textValue().toLowerCase(Locale.ROOT).equals("enable");
  }

  private void existing(String name) {
    if (fleet.hypervisor(name).isEmpty()) {
      throw hostNotFound(name);
    }
  }

  private static ApiError hostNotFound(String name) {
    return ApiError.notFound("HostNotFound", "Host " + name + " could not be found.");
  }

  private static ApiError notSupported() {
    return new ApiError(501, "HTTPNotImplemented", "The requested functionality is not supported.");
  }
}
