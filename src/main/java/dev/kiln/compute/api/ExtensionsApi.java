package dev.kiln.compute.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /extensions} and {@code /extensions/{alias}}: the fixed list Nova v2.1 shows to
 * clients that still discover features the v2 way. Nova's list does not change with what is
 * deployed (microversions replaced extensions), so Kiln shows the same aliases and names; the
 * descriptions are Kiln's own. An alias not in the list is a 404.
 */
final class ExtensionsApi {
  private static final String NAMESPACE = "http://docs.openstack.org/compute/ext/fake_xml";
  private static final String UPDATED = "2014-12-03T00:00:00Z";

  /** alias, name and description, sorted by alias as Nova sorts them. */
  private static final String[][] LIST = {
    {"NMN", "Multinic", "Several networks per server."},
    {"OS-DCF", "DiskConfig", "The disk config attribute of servers."},
    {"OS-EXT-AZ", "ExtendedAvailabilityZone", "A server's availability zone."},
    {"OS-EXT-IMG-SIZE", "ImageSize", "Image sizes in image listings."},
    {"OS-EXT-IPS", "ExtendedIps", "The type of each server address."},
    {"OS-EXT-IPS-MAC", "ExtendedIpsMac", "The MAC of each server address."},
    {"OS-EXT-SRV-ATTR", "ExtendedServerAttributes", "Host and instance attributes of servers."},
    {"OS-EXT-STS", "ExtendedStatus", "vm, task and power states of servers."},
    {"OS-FLV-DISABLED", "FlavorDisabled", "Whether a flavor is disabled."},
    {"OS-FLV-EXT-DATA", "FlavorExtraData", "Ephemeral disk sizes of flavors."},
    {"OS-SCH-HNT", "SchedulerHints", "Hints to the scheduler at boot."},
    {"OS-SRV-USG", "ServerUsage", "When a server was launched and terminated."},
    {"os-access-ips", "AccessIPs", "Access addresses of servers."},
    {"os-admin-actions", "AdminActions", "Actions for admins such as os-resetState."},
    {"os-admin-password", "AdminPassword", "Changing a server's admin password."},
    {"os-agents", "Agents", "Guest agent builds."},
    {"os-aggregates", "Aggregates", "Host aggregates, for admins."},
    {"os-assisted-volume-snapshots", "AssistedVolumeSnapshots", "Volume snapshots the hypervisor helps with."},
    {"os-attach-interfaces", "AttachInterfaces", "Plugging ports into servers."},
    {"os-availability-zone", "AvailabilityZone", "Availability zones at boot and their listing."},
    {"os-baremetal-ext-status", "BareMetalExtStatus", "Extended status of bare-metal nodes."},
    {"os-baremetal-nodes", "BareMetalNodes", "Bare-metal nodes, for admins."},
    {"os-block-device-mapping", "BlockDeviceMapping", "Booting with block device mappings."},
    {"os-block-device-mapping-v2-boot", "BlockDeviceMappingV2Boot", "Booting with version 2 block device mappings."},
    {"os-cell-capacities", "CellCapacities", "The capacities of cells."},
    {"os-cells", "Cells", "Cells and their neighbours."},
    {"os-certificates", "Certificates", "Certificates."},
    {"os-cloudpipe", "Cloudpipe", "Cloudpipe instances."},
    {"os-cloudpipe-update", "CloudpipeUpdate", "The VPN address of cloudpipe instances."},
    {"os-config-drive", "ConfigDrive", "Config drives."},
    {"os-console-auth-tokens", "ConsoleAuthTokens", "Console token checks."},
    {"os-console-output", "ConsoleOutput", "A server's console log, or its tail."},
    {"os-consoles", "Consoles", "Interactive consoles."},
    {"os-create-backup", "CreateBackup", "Backups of servers."},
    {"os-create-server-ext", "Createserverext", "More attributes when creating a server."},
    {"os-deferred-delete", "DeferredDelete", "Restoring and force-deleting soft-deleted servers."},
    {"os-evacuate", "Evacuate", "Evacuating servers off a host."},
    {"os-extended-evacuate-find-host", "ExtendedEvacuateFindHost", "Evacuation to a host the scheduler picks."},
    {"os-extended-floating-ips", "ExtendedFloatingIps", "A fixed address when adding a floating IP."},
    {"os-extended-hypervisors", "ExtendedHypervisors", "More hypervisor attributes."},
    {"os-extended-networks", "ExtendedNetworks", "More network attributes."},
    {"os-extended-quotas", "ExtendedQuotas", "Deleting and forcing quotas, for admins."},
    {"os-extended-rescue-with-image", "ExtendedRescueWithImage", "Rescue with a chosen image."},
    {"os-extended-services", "ExtendedServices", "More service attributes."},
    {"os-extended-services-delete", "ExtendedServicesDelete", "Deleting services."},
    {"os-extended-status", "ExtendedStatus", "vm, task and power states of servers."},
    {"os-extended-volumes", "ExtendedVolumes", "The volumes attached to servers."},
    {"os-fixed-ips", "FixedIPs", "Fixed addresses."},
    {"os-flavor-access", "FlavorAccess", "Which projects may use a private flavor."},
    {"os-flavor-extra-specs", "FlavorExtraSpecs", "Extra specs of flavors."},
    {"os-flavor-manage", "FlavorManage", "Creating and deleting flavors."},
    {"os-flavor-rxtx", "FlavorRxtx", "The rxtx factor of flavors."},
    {"os-flavor-swap", "FlavorSwap", "The swap size of flavors."},
    {"os-floating-ip-dns", "FloatingIpDns", "DNS entries of floating IPs."},
    {"os-floating-ip-pools", "FloatingIpPools", "The pools floating IPs come from."},
    {"os-floating-ips", "FloatingIps", "Floating IPs."},
    {"os-floating-ips-bulk", "FloatingIpsBulk", "Floating IPs in bulk."},
    {"os-fping", "Fping", "Pinging servers."},
    {"os-hide-server-addresses", "HideServerAddresses", "Hiding addresses in some server states."},
    {"os-hosts", "Hosts", "Compute hosts, for admins."},
    {"os-hypervisor-status", "HypervisorStatus", "The state and status of hypervisors."},
    {"os-hypervisors", "Hypervisors", "Hypervisors, for admins."},
    {"os-instance-actions", "InstanceActions", "The actions and events of a server."},
    {"os-instance_usage_audit_log", "OSInstanceUsageAuditLog", "Usage audit logs, for admins."},
    {"os-keypairs", "Keypairs", "Key pairs."},
    {"os-lock-server", "LockServer", "Locking and unlocking servers."},
    {"os-migrate-server", "MigrateServer", "Cold and live migration."},
    {"os-migrations", "Migrations", "Migration records."},
    {"os-multiple-create", "MultipleCreate", "Creating several servers at once."},
    {"os-networks", "Networks", "Networks, for admins."},
    {"os-networks-associate", "NetworkAssociationSupport", "Associating networks."},
    {"os-pause-server", "PauseServer", "Pausing and unpausing servers."},
    {"os-personality", "Personality", "Files injected at boot."},
    {"os-preserve-ephemeral-rebuild", "PreserveEphemeralOnRebuild", "Keeping the ephemeral disk on rebuild."},
    {"os-quota-class-sets", "QuotaClasses", "Quota classes."},
    {"os-quota-sets", "Quotas", "Quotas."},
    {"os-rescue", "Rescue", "Rescuing and unrescuing servers."},
    {"os-security-group-default-rules", "SecurityGroupDefaultRules", "Default security group rules."},
    {"os-security-groups", "SecurityGroups", "Security groups of servers."},
    {"os-server-diagnostics", "ServerDiagnostics", "Server diagnostics, for admins."},
    {"os-server-external-events", "ServerExternalEvents", "Events other services send about servers."},
    {"os-server-group-quotas", "ServerGroupQuotas", "Quotas of server groups."},
    {"os-server-groups", "ServerGroups", "Server groups."},
    {"os-server-list-multi-status", "ServerListMultiStatus", "Filtering servers by several statuses."},
    {"os-server-password", "ServerPassword", "The encrypted password a guest set."},
    {"os-server-sort-keys", "ServerSortKeys", "Sorting server lists."},
    {"os-server-start-stop", "ServerStartStop", "Starting and stopping servers."},
    {"os-services", "Services", "Compute services."},
    {"os-shelve", "Shelve", "Shelving and unshelving servers."},
    {"os-simple-tenant-usage", "SimpleTenantUsage", "Usage per project."},
    {"os-suspend-server", "SuspendServer", "Suspending and resuming servers."},
    {"os-tenant-networks", "OSTenantNetworks", "Networks of a project."},
    {"os-used-limits", "UsedLimits", "Limits with what is used."},
    {"os-used-limits-for-admin", "UsedLimitsForAdmin", "Other projects' used limits, for admins."},
    {"os-user-data", "UserData", "User data at boot."},
    {"os-user-quotas", "UserQuotas", "Quotas per user."},
    {"os-virtual-interfaces", "VirtualInterfaces", "Virtual interfaces."},
    {"os-volume-attachment-update", "VolumeAttachmentUpdate", "Swapping an attached volume."},
    {"os-volumes", "Volumes", "Volumes."},
  };

  private static final Map<String, String[]> BY_ALIAS = new LinkedHashMap<>();

  static {
    for (String[] e : LIST) {
      BY_ALIAS.put(e[0], e);
    }
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2.1/extensions", Access.AUTHENTICATED, this::list)
        .get("/v2.1/extensions/{alias}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("extensions");
    BY_ALIAS.values().forEach(e -> all.add(view(e)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    String[] e = BY_ALIAS.get(request.pathParam("alias"));
    if (e == null) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
    return ApiResponse.ok(Json.wrap("extension", view(e)));
  }

  private static ObjectNode view(String[] e) {
    ObjectNode o = Json.object();
    o.put("alias", e[0]);
    o.put("description", e[2]);
    o.putArray("links");
    o.put("name", e[1]);
    o.put("namespace", NAMESPACE);
    o.put("updated", UPDATED);
    return o;
  }
}
