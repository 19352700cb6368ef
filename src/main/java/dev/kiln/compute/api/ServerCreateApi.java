package dev.kiln.compute.api;

import static dev.kiln.compute.api.ServerInput.attributes;
import static dev.kiln.compute.api.ServerInput.checkDescription;
import static dev.kiln.compute.api.ServerInput.metadataOf;
import static dev.kiln.compute.api.ServerInput.ref;
import static dev.kiln.compute.api.ServerInput.string;
import static dev.kiln.compute.api.ServerInput.text;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.Json;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /servers}: the create request (networks, block_device_mapping and _v2, scheduler hints,
 * counts, user data, tags, and their microversion rules) with Nova's exact messages; translation only.
 */
final class ServerCreateApi {
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "name", "description", "flavorRef", "imageRef", "networks", "key_name", "metadata", "availability_zone",
          "user_data", "security_groups", "min_count", "max_count", "config_drive", "adminPass",
          "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "block_device_mapping", "block_device_mapping_v2", "tags", "trusted_image_certificates",
          "host", "hypervisor_hostname", "hostname", "return_reservation_id");
  private static final Set<String> ROOT_FIELDS = Set.of("server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints");
  /** Nova's limit on user_data, in bytes of its base64 text. */
  private static final int MAX_USER_DATA = 65_535;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Servers servers;

  ServerCreateApi(Servers servers) {
    this.servers = requireNonNull(servers, "servers is null");
  }

  ApiResponse create(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || !root.path("server").isObject()) {
      throw ApiError.badRequest("Invalid input for field/attribute server. Value: " + root + ". 'server' is a required property");
    }
    ObjectNode in = (ObjectNode) root.get("server");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!ROOT_FIELDS.contains(field)) {
        throw Nova.invalid("", root, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String groupId = groupHint(root);
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!CREATE_FIELDS.contains(field)) {
        throw Nova.invalid("server", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String name = string(in, "name", true);
    if (name.isBlank() || name.length() > 255) {
      throw Nova.invalid("server/name", in.get("name"), "must be 1 to 255 characters long and not only blanks");
    }
    String description = null;
    if (in.has("description")) {
      if (!Nova.atLeast(request, 19)) {
        throw Nova.invalid("server", in, "Additional properties are not allowed ('description' was unexpected)");
      }
      description = in.get("description").isNull() ? null : string(in, "description", false);
      checkDescription(in);
    }
    String flavorRef = ref(in, "flavorRef", true);
    String imageRef = ref(in, "imageRef", false);
    List<BootDisks.Mapping> legacyDevices = LegacyBlockDeviceMappings.parse(in.get("block_device_mapping"));
    List<BootDisks.Mapping> blockDevices = BlockDeviceMappings.parse(request, in.get("block_device_mapping_v2"));
    if (!legacyDevices.isEmpty() && !blockDevices.isEmpty()) {
      throw ApiError.badRequest("Using different block_device_mapping syntaxes is not allowed in the same request.");
    }
    if (!legacyDevices.isEmpty()) {
      blockDevices = legacyDevices;
    }
    List<Servers.NetworkRequest> networks = new ArrayList<>();
    boolean auto = false;
    JsonNode nets = in.get("networks");
    if (nets == null) {
      if (Nova.atLeast(request, 37)) {
        throw Nova.invalid("server", in, "'networks' is a required property");
      }
    } else if (nets.isTextual()) {
      if (!Nova.atLeast(request, 37) || !Set.of("auto", "none").contains(nets.textValue())) {
        throw Nova.invalid("server/networks", nets, "is not of type 'array'");
      }
      auto = nets.textValue().equals("auto");
    } else if (nets.isArray()) {
      for (JsonNode n : nets) {
        if (!n.isObject()) {
          throw Nova.invalid("server/networks", n, "is not of type 'object'");
        }
        Set<String> known = Nova.atLeast(request, 32) ? Set.of("uuid", "port", "fixed_ip", "tag") : Set.of("uuid", "port", "fixed_ip");
        for (Iterator<String> f = n.fieldNames(); f.hasNext(); ) {
          String field = f.next();
          if (!known.contains(field)) {
            throw Nova.invalid("server/networks", n, "Additional properties are not allowed ('" + field + "' was unexpected)");
          }
        }
        String uuid = text(n, "uuid");
        String port = text(n, "port");
        String fixedIp = text(n, "fixed_ip");
        if (port != null && port.isEmpty()) {
          port = null;
        }
        if (port == null && uuid == null) {
          throw ApiError.badRequest("Bad networks format: network uuid is not in proper format (" + n + ")");
        }
        if (port != null && !Nova.isUuidLike(port)) {
          throw Nova.invalid("server/networks/port", n.get("port"), "is not a 'uuid'");
        }
        if (port == null && !Nova.isUuidLike(uuid)) {
          throw ApiError.badRequest("Bad networks format: network uuid is not in proper format (" + uuid + ")");
        }
        if (fixedIp != null && !fixedIp.matches("[0-9.]+|[0-9a-fA-F:]+")) {
          throw Nova.invalid("server/networks/fixed_ip", n.get("fixed_ip"), "is not a 'ip-address'");
        }
        String tag = text(n, "tag");
        if (tag != null) {
          ServerTagsApi.tag("server/networks/tag", n.get("tag"));
        }
        networks.add(new Servers.NetworkRequest(port == null ? uuid : null, port, port == null ? fixedIp : null, tag));
      }
    } else {
      throw Nova.invalid("server/networks", nets, "is not of type 'array'");
    }
    Map<String, String> metadata = metadataOf(in.get("metadata"), "server/metadata");
    String keyName = in.hasNonNull("key_name") ? string(in, "key_name", false) : null;
    String zone = in.hasNonNull("availability_zone") ? string(in, "availability_zone", false) : null;
    Actor caller = request.caller().actor();
    if (zone != null && zone.contains(":") && !zone.endsWith(":") && !caller.admin()) {
      // "zone:host" (or "zone:host:node") forces a host, which Nova's policy keeps for admins.
      throw ApiError.forbidden("Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
    }
    for (String field : List.of("host", "hypervisor_hostname")) {
      if (in.has(field)) {
        if (!Nova.atLeast(request, 74)) {
          throw Nova.invalid("server", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
        }
        if (!caller.admin()) {
          throw ApiError.forbidden("Policy doesn't allow compute:servers:create:requested_destination to be performed.");
        }
      }
    }
    if (zone != null && zone.contains(":")) {
      zone = zone.substring(0, zone.indexOf(':'));
      if (zone.isEmpty()) {
        zone = null;
      }
    }
    String userData = in.hasNonNull("user_data") ? string(in, "user_data", false) : null;
    if (userData != null) {
      try {
        byte[] decoded = Base64.getMimeDecoder().decode(userData);
        if (decoded.length > MAX_USER_DATA || userData.length() > MAX_USER_DATA) {
          throw Nova.invalid("server/user_data", in.get("user_data"), "is too long");
        }
      } catch (IllegalArgumentException e) {
        throw Nova.invalid("server/user_data", in.get("user_data"), "is not a 'base64'");
      }
    }
    int minCount = count(in, "min_count");
    int maxCount = in.has("max_count") ? count(in, "max_count") : minCount;
    if (minCount > maxCount) {
      throw ApiError.badRequest("min_count must be <= max_count");
    }
    List<String> securityGroups = securityGroups(in.get("security_groups"));
    Server.Attributes attributes = attributes(in, Server.Attributes.NONE);
    boolean returnReservation = in.has("return_reservation_id") && Nova.bool("server/return_reservation_id", in.get("return_reservation_id"));
    Server server =
        servers.create(
            request.caller().actor(),
            new Servers.Spec(
                name, description, flavorRef, imageRef, networks, auto, keyName, metadata, zone, userData,
                securityGroups, groupId, minCount, maxCount, blockDevices, hostHints(root), attributes,
                createTags(request, in)));
    if (returnReservation) {
      return ApiResponse.accepted(Json.object().put("reservation_id", server.reservationId()));
    }
    ObjectNode out = Json.object();
    out.put("id", server.id());
    out.set("links", Nova.links(request, "servers", server.id()));
    out.put("OS-DCF:diskConfig", attributes.diskConfig());
    ArrayNode groups = out.putArray("security_groups");
    JsonNode askedGroups = in.get("security_groups");
    if (askedGroups != null && askedGroups.isArray() && !askedGroups.isEmpty()) {
      for (JsonNode g : askedGroups) {
        groups.addObject().put("name", g.path("name").asText("default"));
      }
    } else {
      groups.addObject().put("name", "default");
    }
    out.put("adminPass", in.hasNonNull("adminPass") ? in.get("adminPass").asText() : password());
    return ApiResponse.accepted(Json.wrap("server", out))
        .withHeader("Location", request.baseUrl() + ComputeApi.PREFIX + "/v2.1/servers/" + server.id());
  }

  /** The {@code group} scheduler hint (a server group's uuid), or null. */
  private static String groupHint(JsonNode root) {
    JsonNode hints = root.has("os:scheduler_hints") ? root.get("os:scheduler_hints") : root.get("OS-SCH-HNT:scheduler_hints");
    if (hints == null || hints.isNull()) {
      return null;
    }
    if (!hints.isObject()) {
      throw Nova.invalid("os:scheduler_hints", hints, "is not of type 'object'");
    }
    JsonNode group = hints.get("group");
    if (group == null) {
      return null;
    }
    if (!group.isTextual() || !Nova.isUuidLike(group.textValue())) {
      throw Nova.invalid("os:scheduler_hints/group", group, "is not a 'uuid'");
    }
    return group.textValue();
  }

  /** The tags a create gives its servers (2.52; an unknown field before). */
  private static List<String> createTags(ApiRequest request, ObjectNode in) {
    List<String> tags = new ArrayList<>();
    if (!in.has("tags")) {
      return tags;
    }
    if (!Nova.atLeast(request, 52)) {
      throw Nova.invalid("server", in, "Additional properties are not allowed ('tags' was unexpected)");
    }
    JsonNode given = in.get("tags");
    if (!given.isArray() || given.size() > 50) {
      throw Nova.invalid("server/tags", given, "must be an array of at most 50 tags");
    }
    for (JsonNode t : given) {
      tags.add(ServerTagsApi.tag("server/tags", t));
    }
    return tags;
  }

  /** The {@code same_host} and {@code different_host} scheduler hints: a server uuid or a list of them. */
  private static Servers.Hints hostHints(JsonNode root) {
    JsonNode hints = root.has("os:scheduler_hints") ? root.get("os:scheduler_hints") : root.get("OS-SCH-HNT:scheduler_hints");
    if (hints == null || !hints.isObject()) {
      return Servers.Hints.NONE;
    }
    return new Servers.Hints(uuids(hints, "same_host"), uuids(hints, "different_host"));
  }

  private static List<String> uuids(JsonNode hints, String name) {
    JsonNode value = hints.get(name);
    List<String> ids = new ArrayList<>();
    if (value == null || value.isNull()) {
      return ids;
    }
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    for (JsonNode item : items) {
      if (!item.isTextual() || !Nova.isUuidLike(item.textValue())) {
        throw Nova.invalid("os:scheduler_hints/" + name, value, "is not a 'uuid'");
      }
      ids.add(item.textValue());
    }
    return ids;
  }

  /** min_count or max_count: a positive integer, or its digits as a string; absent is 1. */
  private static int count(ObjectNode in, String field) {
    JsonNode value = in.get(field);
    if (value == null) {
      return 1;
    }
    int n;
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      n = value.intValue();
    } else if (value.isTextual() && value.textValue().matches("[0-9]{1,9}")) {
      n = Integer.parseInt(value.textValue());
    } else {
      throw Nova.invalid("server/" + field, value, "is not of type 'integer', 'string'");
    }
    if (n < 1) {
      throw Nova.invalid("server/" + field, value, "is less than the minimum of 1");
    }
    return n;
  }

  /** The names (or ids) of {@code security_groups: [{"name": ...}]}; empty for the default. */
  private static List<String> securityGroups(JsonNode groups) {
    List<String> names = new ArrayList<>();
    if (groups == null || groups.isNull()) {
      return names;
    }
    if (!groups.isArray()) {
      throw Nova.invalid("server/security_groups", groups, "is not of type 'array'");
    }
    for (JsonNode g : groups) {
      if (!g.isObject() || !g.path("name").isTextual() || g.path("name").textValue().isEmpty()) {
        throw Nova.invalid("server/security_groups", g, "each item needs a 'name' string");
      }
      names.add(g.get("name").textValue());
    }
    return names;
  }

  private static String password() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      b.append(PASSWORD_CHARS.charAt(RANDOM.nextInt(PASSWORD_CHARS.length())));
    }
    return b.toString();
  }
}
