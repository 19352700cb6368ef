package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.volume.BackendCapabilities;
import dev.kiln.volume.VolumeServices;
import dev.kiln.volume.Volumes;
import java.time.Instant;
import java.util.Locale;

/**
 * What Cinder tells about its storage: the scheduler's pools ({@code scheduler-stats/get_pools})
 * and a backend's capabilities (admins), the availability zones and the API extensions.
 */
final class BackendsApi {
  private static final String BACKEND_NAME = BackendCapabilities.BACKEND_NAME;
  private static final String VENDOR = BackendCapabilities.VENDOR;
  private static final String PROTOCOL = BackendCapabilities.PROTOCOL;
  private static final String DRIVER_VERSION = BackendCapabilities.DRIVER_VERSION;

  /** The API extensions Kiln's Block Storage implements: alias, name, updated, description. */
  private static final String[][] EXTENSIONS = {
    {"os-admin-actions", "AdminActions", "2012-08-25T00:00:00+00:00", "Enable admin actions."},
    {"capabilities", "Capabilities", "2015-08-31T00:00:00+00:00", "Capabilities support."},
    {"os-extended-services", "ExtendedServices", "2014-01-10T00:00:00+00:00", "Extended services support."},
    {"os-extended-snapshot-attributes", "ExtendedSnapshotAttributes", "2012-06-19T00:00:00+00:00",
        "Extended SnapshotAttributes support."},
    {"os-hosts", "Hosts", "2011-06-29T00:00:00+00:00", "Admin-only host administration."},
    {"os-quota-sets", "Quotas", "2011-08-08T00:00:00+00:00", "Quota management support."},
    {"scheduler-stats", "Scheduler_stats", "2014-09-07T00:00:00+00:00", "Scheduler stats support."},
    {"os-services", "Services", "2012-10-28T00:00:00+00:00", "Services support."},
    {"os-snapshot-actions", "SnapshotActions", "2013-07-16T00:00:00+00:00", "Enable snapshot manager actions."},
    {"os-types-extra-specs", "TypesExtraSpecs", "2011-08-24T00:00:00+00:00", "Type extra specs support."},
    {"os-types-manage", "TypesManage", "2011-08-24T00:00:00+00:00", "Types manage support."},
    {"os-volume-actions", "VolumeActions", "2012-05-31T00:00:00+00:00", "Enable volume actions."},
    {"os-vol-host-attr", "VolumeHostAttribute", "2011-11-03T00:00:00+00:00", "Expose host as an attribute of a volume."},
    {"os-vol-image-meta", "VolumeImageMetadata", "2012-12-07T00:00:00+00:00",
        "Show image metadata associated with the volume."},
    {"os-vol-mig-status-attr", "VolumeMigStatusAttribute", "2013-08-08T00:00:00+00:00",
        "Expose migration_status as an attribute of a volume."},
    {"os-vol-tenant-attr", "VolumeTenantAttribute", "2011-11-03T00:00:00+00:00",
        "Expose the internal project_id as an attribute of a volume."},
    {"os-volume-type-access", "VolumeTypeAccess", "2014-06-26T00:00:00+00:00", "Volume type access support."},
  };

  private final VolumeServices services;

  BackendsApi(VolumeServices services) {
    this.services = requireNonNull(services, "services is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v3/{project_id}/scheduler-stats/get_pools", Access.AUTHENTICATED, this::pools)
        .get("/v3/{project_id}/capabilities/{host}", Access.AUTHENTICATED, this::capabilities)
        .get("/v3/{project_id}/os-availability-zone", Access.AUTHENTICATED, this::zones)
        .get("/v3/{project_id}/extensions", Access.AUTHENTICATED, this::extensions);
  }

  private ApiResponse pools(ApiRequest request) {
    CinderProject.of(request);
    long allocated = services.allocatedGb(request.caller().actor());
    boolean detail = request.query("detail").map(v -> v.toLowerCase(Locale.ROOT))
        .map(v -> v.equals("true") || v.equals("1") || v.equals("yes") || v.equals("on") || v.equals("t") || v.equals("y"))
        .orElse(false);
    ObjectNode pool = Json.object();
    pool.put("name", VolumeServices.POOL);
    if (detail) {
      ObjectNode c = pool.putObject("capabilities");
      c.put("pool_name", "pool");
      c.put("volume_backend_name", BACKEND_NAME);
      c.put("vendor_name", VENDOR);
      c.put("driver_version", DRIVER_VERSION);
      c.put("storage_protocol", PROTOCOL);
      c.put("total_capacity_gb", VolumeServices.POOL_CAPACITY_GB);
      c.put("free_capacity_gb", Math.max(0, VolumeServices.POOL_CAPACITY_GB - allocated));
      c.put("allocated_capacity_gb", allocated);
      c.put("reserved_percentage", 0);
      c.put("QoS_support", false);
      c.put("multiattach", true);
      c.put("thin_provisioning_support", true);
      c.put("timestamp", VolumeViews.time(Instant.now()));
    }
    ObjectNode body = Json.object();
    body.putArray("pools").add(pool);
    return ApiResponse.ok(body);
  }

  /** A backend's capabilities; the host may name the backend or its pool. */
  private ApiResponse capabilities(ApiRequest request) {
    CinderProject.of(request);
    if (!request.caller().isAdmin()) {
      throw ApiError.forbidden("Policy doesn't allow volume_extension:capabilities to be performed.");
    }
    String host = request.pathParam("host");
    if (!host.equals(VolumeServices.BACKEND) && !host.equals(VolumeServices.POOL)) {
      throw ApiError.notFound("ServiceNotFound", "Service " + host + " could not be found.");
    }
    ObjectNode body = Json.object();
    body.put("namespace", "OS::Storage::Capabilities::" + VolumeServices.BACKEND);
    body.put("vendor_name", VENDOR);
    body.put("volume_backend_name", BACKEND_NAME);
    body.put("pool_name", "pool");
    body.put("driver_version", DRIVER_VERSION);
    body.put("storage_protocol", PROTOCOL);
    body.putNull("display_name");
    body.putNull("description");
    body.putNull("visibility");
    body.putArray("replication_targets");
    ObjectNode properties = body.putObject("properties");
    properties.putObject("thin_provisioning")
        .put("title", "Thin Provisioning").put("description", "Sets thin provisioning.").put("type", "boolean");
    properties.putObject("multiattach")
        .put("title", "Multiattach").put("description", "Volumes may be attached to several servers.").put("type", "boolean");
    return ApiResponse.ok(body);
  }

  private ApiResponse zones(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode zones = Json.array();
    ObjectNode zone = zones.addObject();
    zone.put("zoneName", Volumes.AVAILABILITY_ZONE);
    zone.putObject("zoneState").put("available", true);
    return ApiResponse.ok(Json.wrap("availabilityZoneInfo", zones));
  }

  private ApiResponse extensions(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode list = Json.array();
    for (String[] e : EXTENSIONS) {
      ObjectNode o = list.addObject();
      o.put("alias", e[0]);
      o.put("name", e[1]);
      o.put("updated", e[2]);
      o.put("description", e[3]);
      o.putArray("links");
    }
    return ApiResponse.ok(Json.wrap("extensions", list));
  }
}
