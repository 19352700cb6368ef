package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Nova's server body, shared by the servers API and the actions that answer with a server. */
final class ServerViews {
  private final Servers servers;

  ServerViews(Servers servers) {
    this.servers = requireNonNull(servers, "servers is null");
  }

  /** What a server's body shows from other tables and services, looked up for a page at once. */
  private record Extras(
      List<Servers.Address> addresses,
      String hostStatus,
      List<BlockDevice> devices,
      List<String> securityGroups,
      List<String> tags) {}

  /** Nova's server body, as the microversion shapes it. */
  ObjectNode view(ApiRequest request, Server s) {
    return views(request, List.of(s)).getFirst();
  }

  /**
   * The bodies of a page of servers: their addresses are looked up together, and each host's
   * status once, so a page costs a few queries however many servers it has.
   */
  List<ObjectNode> views(ApiRequest request, List<Server> page) {
    Servers.NetworkDetails network = servers.networkDetails(page);
    Map<String, List<BlockDevice>> devices = servers.blockDevices(page.stream().map(Server::id).toList());
    Map<String, String> hostStatuses = new HashMap<>();
    Map<String, List<String>> tags =
        Nova.atLeast(request, 26) ? servers.tags().of(page.stream().map(Server::id).toList()) : Map.of();
    List<ObjectNode> result = new ArrayList<>(page.size());
    for (Server s : page) {
      String hostStatus =
          Nova.atLeast(request, 16)
              ? hostStatuses.computeIfAbsent(String.valueOf(s.host()), h -> servers.hostStatus(s))
              : null;
      result.add(
          view(
              request, s,
              new Extras(
                  network.addresses().getOrDefault(s.id(), List.of()), hostStatus,
                  devices.getOrDefault(s.id(), List.of()), network.securityGroups().getOrDefault(s.id(), List.of()),
                  tags.getOrDefault(s.id(), List.of()))));
    }
    return result;
  }

  private ObjectNode view(ApiRequest request, Server s, Extras extras) {
    boolean admin = request.caller().actor().admin();
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("name", s.name());
    o.put("status", s.status());
    o.put("tenant_id", s.projectId());
    o.put("user_id", s.userId());
    ObjectNode metadata = o.putObject("metadata");
    s.metadata().forEach(metadata::put);
    o.put("hostId", hostId(s));
    if (s.imageId() == null) {
      o.put("image", "");
    } else {
      ObjectNode image = o.putObject("image");
      image.put("id", s.imageId());
      ArrayNode links = image.putArray("links");
      links.addObject().put("rel", "bookmark").put("href", request.baseUrl() + ComputeApi.PREFIX + "/images/" + s.imageId());
    }
    Server.FlavorSnapshot f = s.flavor();
    ObjectNode flavor = o.putObject("flavor");
    if (Nova.atLeast(request, 47)) {
      flavor.put("vcpus", f.vcpus());
      flavor.put("ram", f.ramMb());
      flavor.put("disk", f.diskGb());
      flavor.put("ephemeral", f.ephemeralGb());
      flavor.put("swap", f.swapMb());
      flavor.put("original_name", f.name());
      ObjectNode specs = flavor.putObject("extra_specs");
      f.extraSpecs().forEach(specs::put);
    } else {
      flavor.put("id", f.id());
      ArrayNode links = flavor.putArray("links");
      links.addObject().put("rel", "bookmark").put("href", request.baseUrl() + ComputeApi.PREFIX + "/flavors/" + f.id());
    }
    o.put("created", iso(s.createdAt()));
    o.put("updated", iso(s.updatedAt()));
    ObjectNode addresses = o.putObject("addresses");
    for (Servers.Address a : extras.addresses()) {
      ArrayNode list = addresses.has(a.networkName()) ? (ArrayNode) addresses.get(a.networkName()) : addresses.putArray(a.networkName());
      list.addObject()
          .put("version", a.version())
          .put("addr", a.addr())
          .put("OS-EXT-IPS:type", a.type())
          .put("OS-EXT-IPS-MAC:mac_addr", a.mac());
    }
    o.put("accessIPv4", s.attributes().accessIpv4() == null ? "" : s.attributes().accessIpv4());
    o.put("accessIPv6", s.attributes().accessIpv6() == null ? "" : s.attributes().accessIpv6());
    o.set("links", Nova.links(request, "servers", s.id()));
    o.put("OS-DCF:diskConfig", s.attributes().diskConfig());
    if (s.keyName() == null) {
      o.putNull("key_name");
    } else {
      o.put("key_name", s.keyName());
    }
    o.put("OS-EXT-STS:task_state", s.taskState());
    o.put("OS-EXT-STS:vm_state", s.vmState());
    o.put("OS-EXT-STS:power_state", s.powerState());
    o.put("OS-EXT-AZ:availability_zone", s.availabilityZone() == null ? "" : s.availabilityZone());
    if (admin) {
      o.put("OS-EXT-SRV-ATTR:host", s.host());
      o.put("OS-EXT-SRV-ATTR:hypervisor_hostname", s.host());
      o.put("OS-EXT-SRV-ATTR:instance_name", instanceName(s));
      if (Nova.atLeast(request, 3)) {
        o.put("OS-EXT-SRV-ATTR:reservation_id", s.reservationId());
        o.put("OS-EXT-SRV-ATTR:launch_index", s.launchIndex());
        o.put("OS-EXT-SRV-ATTR:hostname", s.name().replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(java.util.Locale.ROOT));
        o.put("OS-EXT-SRV-ATTR:kernel_id", "");
        o.put("OS-EXT-SRV-ATTR:ramdisk_id", "");
        o.put("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda");
        o.put("OS-EXT-SRV-ATTR:user_data", s.userData());
      }
    }
    if (Nova.atLeast(request, 16)) {
      o.put("host_status", extras.hostStatus());
    }
    o.put("OS-SRV-USG:launched_at", Nova.time(s.launchedAt()));
    o.putNull("OS-SRV-USG:terminated_at");
    ArrayNode volumes = o.putArray("os-extended-volumes:volumes_attached");
    for (BlockDevice d : extras.devices()) {
      if (d.volumeId() != null) {
        ObjectNode v = volumes.addObject().put("id", d.volumeId());
        if (Nova.atLeast(request, 3)) {
          v.put("delete_on_termination", d.deleteOnTermination());
        }
      }
    }
    if (!extras.securityGroups().isEmpty()) {
      // As Nova: the groups of the server's ports, and no key at all for a server without any.
      ArrayNode groups = o.putArray("security_groups");
      extras.securityGroups().forEach(g -> groups.addObject().put("name", g));
    }
    o.put("config_drive", "");
    if (PROGRESS_STATUSES.contains(s.status())) {
      o.put("progress", 0); // Nova shows progress only while it means something
    }
    if (s.fault() != null) {
      ObjectNode fault = o.putObject("fault");
      fault.put("code", s.fault().code());
      fault.put("created", iso(s.fault().created()));
      fault.put("message", s.fault().message());
      if (admin && s.fault().details() != null) {
        fault.put("details", s.fault().details());
      }
    }
    if (Nova.atLeast(request, 9)) {
      o.put("locked", s.locked());
    }
    if (Nova.atLeast(request, 19)) {
      o.put("description", s.description());
    }
    if (Nova.atLeast(request, 26)) {
      ArrayNode tags = o.putArray("tags");
      extras.tags().forEach(tags::add);
    }
    if (Nova.atLeast(request, 63)) {
      o.putNull("trusted_image_certificates");
    }
    if (Nova.atLeast(request, 73)) {
      o.put("locked_reason", s.lockedReason());
    }
    return o;
  }

  /** The statuses in which Nova's server body has a {@code progress}. */
  private static final java.util.Set<String> PROGRESS_STATUSES =
      java.util.Set.of("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING");

  /** The fields Nova's update and rebuild answers keep before 2.75 (the rest are extensions). */
  private static final java.util.Set<String> REDUCED =
      java.util.Set.of(
          "id", "name", "status", "image", "flavor", "user_id", "tenant_id", "created", "updated", "progress", "metadata",
          "links", "addresses", "hostId", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "fault", "locked",
          "description", "tags", "trusted_image_certificates", "locked_reason");

  /**
   * The server as Nova's show answers it, with {@code server_groups} from 2.71.
   */
  ObjectNode shown(ApiRequest request, Server s) {
    ObjectNode body = view(request, s);
    if (Nova.atLeast(request, 71)) {
      ArrayNode groups = body.putArray("server_groups");
      servers.groups().groupOf(s.id()).ifPresent(groups::add);
    }
    return body;
  }

  /**
   * The server as Nova's update ({@code PUT /servers/{id}}) and rebuild answer it: before 2.75
   * without the extension attributes (availability zone, states, usage, config drive, key name,
   * security groups, volumes, host status, the admin's host attributes), the rebuild with {@code
   * key_name} from 2.54 and {@code user_data} from 2.57; from 2.75 the full view, the rebuild's with
   * {@code user_data} in place of {@code OS-EXT-SRV-ATTR:user_data}.
   */
  ObjectNode changed(ApiRequest request, Server s, boolean rebuild) {
    if (Nova.atLeast(request, 75)) {
      ObjectNode body = shown(request, s);
      if (rebuild) {
        body.remove("OS-EXT-SRV-ATTR:user_data");
        body.put("user_data", s.userData());
      }
      return body;
    }
    ObjectNode body = view(request, s);
    body.retain(REDUCED.stream().filter(body::has).toList());
    body.set("addresses", ips(s)); // without the OS-EXT-IPS extension's type and MAC
    if (Nova.atLeast(request, 71)) {
      ArrayNode groups = body.putArray("server_groups");
      servers.groups().groupOf(s.id()).ifPresent(groups::add);
    }
    if (rebuild && Nova.atLeast(request, 54)) {
      if (s.keyName() == null) {
        body.putNull("key_name");
      } else {
        body.put("key_name", s.keyName());
      }
    }
    if (rebuild && Nova.atLeast(request, 57)) {
      body.put("user_data", s.userData());
    }
    return body;
  }

  /**
   * The server's addresses by network name as {@code /servers/{id}/ips} shows them: version and
   * address only, fixed and floating in the order of the server body.
   */
  ObjectNode ips(Server s) {
    ObjectNode addresses = Json.object();
    for (Servers.Address a : servers.networkDetails(List.of(s)).addresses().getOrDefault(s.id(), List.of())) {
      ArrayNode list = addresses.has(a.networkName()) ? (ArrayNode) addresses.get(a.networkName()) : addresses.putArray(a.networkName());
      list.addObject().put("version", a.version()).put("addr", a.addr());
    }
    return addresses;
  }

  /** Nova's hostId: sha224 of the project id and the host, or "" before scheduling. */
  private static String hostId(Server s) {
    if (s.host() == null) {
      return "";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-224");
      return HexFormat.of().formatHex(sha.digest((s.projectId() + s.host()).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Nova's server timestamps: seconds, with a Z. */
  static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String instanceName(Server s) {
    return "instance-" + s.id().substring(0, 8);
  }
}
