package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.servers.BootDisks;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /servers}: create, list (summary and detail), show, update, delete, and the server
 * {@code metadata} API. Actions are {@link ServerActionsApi}'s.
 *
 * <p>Why over 400 lines: the create request alone (networks, block_device_mapping_v2, scheduler hints
 * and their microversion rules) is most of it, with Nova's exact messages; translation only.
 */
final class ServersApi {
  private static final String SERVERS = "/v2.1/servers";
  private static final String SERVER = SERVERS + "/{server_id}";
  private static final String METADATA = SERVER + "/metadata";
  private static final String METADATA_KEY = METADATA + "/{key}";
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "name", "description", "flavorRef", "imageRef", "networks", "key_name", "metadata", "availability_zone",
          "user_data", "security_groups", "min_count", "max_count", "config_drive", "adminPass",
          "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "block_device_mapping_v2", "tags", "trusted_image_certificates",
          "host", "hypervisor_hostname", "hostname", "return_reservation_id");
  private static final Set<String> ROOT_FIELDS = Set.of("server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints");
  /** Nova's limit on user_data, in bytes of its base64 text. */
  private static final int MAX_USER_DATA = 65_535;
  /** Nova's {@code osapi_max_limit}: a list gives at most this many servers per page. */
  private static final int MAX_LIMIT = 1_000;
  /**
   * The query parameters Nova's server list knows (its 2.75 schema, which refuses any other);
   * Kiln ignores the filters it does not implement, as Nova ignores some for non-admins.
   */
  private static final String[] LIST_QUERY = {
    "user_id", "project_id", "tenant_id", "launch_index", "image_ref", "image", "kernel_id", "ramdisk_id",
    "hostname", "key_name", "power_state", "vm_state", "task_state", "host", "node", "flavor", "reservation_id",
    "launched_at", "terminated_at", "availability_zone", "name", "display_name", "description",
    "display_description", "locked_by", "uuid", "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6",
    "auto_disk_config", "progress", "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted", "status",
    "changes-since", "ip", "ip6", "created_at", "block_device_mapping", "services", "metadata", "system_metadata",
    "info_cache", "security_groups", "pci_devices", "limit", "marker", "tags", "tags-any", "not-tags",
    "not-tags-any", "changes-before", "locked"
  };
  /** The sort keys Nova 2.75 accepts (Kiln always lists newest first). */
  private static final Set<String> SORT_KEYS =
      Set.of(
          "access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone", "config_drive", "created_at",
          "display_description", "display_name", "host", "hostname", "image_ref", "instance_type_id", "kernel_id",
          "key_name", "launch_index", "launched_at", "locked_by", "node", "power_state", "progress", "project_id",
          "ramdisk_id", "root_device_name", "task_state", "terminated_at", "updated_at", "user_id", "uuid",
          "vm_state", "locked");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Servers servers;
  private final ServerViews views;

  ServersApi(Servers servers) {
    this.servers = requireNonNull(servers, "servers is null");
    this.views = new ServerViews(servers);
  }

  void register(ApiRoutes routes) {
    routes
        .get(SERVERS, Access.AUTHENTICATED, request -> list(request, false))
        .get(SERVERS + "/detail", Access.AUTHENTICATED, request -> list(request, true))
        .post(SERVERS, Access.AUTHENTICATED, this::create)
        .get(SERVER, Access.AUTHENTICATED, this::show)
        .put(SERVER, Access.AUTHENTICATED, this::update)
        .delete(SERVER, Access.AUTHENTICATED, this::delete)
        .get(SERVER + "/ips", Access.AUTHENTICATED, this::ips)
        .get(SERVER + "/ips/{network_label}", Access.AUTHENTICATED, this::ipsOfNetwork)
        .get(METADATA, Access.AUTHENTICATED, this::metadata)
        .put(METADATA, Access.AUTHENTICATED, request -> setMetadata(request, true))
        .post(METADATA, Access.AUTHENTICATED, request -> setMetadata(request, false))
        .get(METADATA_KEY, Access.AUTHENTICATED, this::metadataItem)
        .put(METADATA_KEY, Access.AUTHENTICATED, this::setMetadataItem)
        .delete(METADATA_KEY, Access.AUTHENTICATED, this::deleteMetadataItem);
  }

  // Create

  private ApiResponse create(ApiRequest request) {
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
    List<BootDisks.Mapping> blockDevices = BlockDeviceMappings.parse(request, in.get("block_device_mapping_v2"));
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
        networks.add(new Servers.NetworkRequest(port == null ? uuid : null, port, port == null ? fixedIp : null));
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

  /**
   * The access addresses and disk config a create or update sets, over {@code current}: Nova's
   * {@code accessIPv4} ('ipv4'), {@code accessIPv6} ('ipv6') and {@code OS-DCF:diskConfig}.
   */
  static Server.Attributes attributes(ObjectNode in, Server.Attributes current) {
    String v4 = current.accessIpv4();
    String v6 = current.accessIpv6();
    String disk = current.diskConfig();
    if (in.has("accessIPv4")) {
      v4 = accessIp(in, "accessIPv4", false);
    }
    if (in.has("accessIPv6")) {
      v6 = accessIp(in, "accessIPv6", true);
    }
    if (in.has("OS-DCF:diskConfig")) {
      JsonNode d = in.get("OS-DCF:diskConfig");
      if (!d.isTextual() || !Set.of("AUTO", "MANUAL").contains(d.textValue())) {
        throw Nova.invalid("server/OS-DCF:diskConfig", d, "is not one of ['AUTO', 'MANUAL']");
      }
      disk = d.textValue();
    }
    return new Server.Attributes(v4, v6, disk);
  }

  private static String accessIp(ObjectNode in, String field, boolean v6) {
    JsonNode value = in.get(field);
    if (value.isNull()) {
      return null;
    }
    if (!value.isTextual() || !(v6 ? Nova.isIpv6(value.textValue()) : Nova.isIpv4(value.textValue()))) {
      throw Nova.invalid("server/" + field, value, "is not a '" + (v6 ? "ipv6" : "ipv4") + "'");
    }
    return v6 ? Nova.compactIpv6(value.textValue()) : value.textValue();
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

  // Read

  private ApiResponse list(ApiRequest request, boolean detail) {
    Nova.onlyQuery(request, 75, LIST_QUERY);
    if (Nova.atLeast(request, 75)) {
      for (String key : request.queryAll("sort_key")) {
        if (!SORT_KEYS.contains(key)) {
          throw ApiError.badRequest(
              "Invalid input for query parameters sort_key. Value: " + key + ". '" + key + "' is not one of "
                  + new TreeSet<>(SORT_KEYS));
        }
      }
    }
    Actor actor = request.caller().actor();
    // As Nova's is_all_tenants: a bare all_tenants (empty value) asks for all; a value must be a boolean.
    boolean allProjects =
        request.query("all_tenants").map(String::isEmpty).orElse(false) || Nova.boolQuery(request, "all_tenants");
    String host = request.query("host").orElse(null);
    if (host != null && !actor.admin()) {
      host = null; // Nova ignores admin-only filters for others
    }
    Instant changesSince = null;
    String since = request.query("changes-since").orElse(null);
    if (since != null) {
      try {
        changesSince = OffsetDateTime.parse(since.contains("T") && !since.matches(".*([Zz]|[+-]\\d\\d:?\\d\\d)$") ? since + "Z" : since).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiError.badRequest(
            "Invalid input for query parameters changes-since. Value: " + since + ". '" + since + "' is not a 'date-time'");
      }
    }
    PageRequest paging = PageRequest.from(request);
    Servers.Page page =
        servers.list(
            actor,
            new Servers.Query(
                allProjects, request.query("name").orElse(null), request.query("status").orElse(null), host, changesSince,
                request.query("project_id").or(() -> request.query("tenant_id")).orElse(null),
                lastSegment(request.query("image").orElse(null)),
                lastSegment(request.query("flavor").orElse(null)),
                request.query("ip").orElse(null), request.query("ip6").orElse(null),
                request.query("reservation_id").orElse(null), tagFilter(request)),
            paging.limit() == null ? MAX_LIMIT : Math.min(paging.limit(), MAX_LIMIT),
            paging.marker());
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("servers");
    if (detail) {
      items.addAll(views.views(request, page.servers()));
    } else {
      for (Server s : page.servers()) {
        ObjectNode o = items.addObject();
        o.put("id", s.id());
        o.put("name", s.name());
        o.set("links", Nova.links(request, "servers", s.id()));
      }
    }
    if (page.nextMarker() != null) {
      body.set("servers_links", Nova.nextLinks(request, detail ? "servers/detail" : "servers", page.nextMarker()));
    }
    return ApiResponse.ok(body);
  }

  /** The 2.26 tag filters, each a comma-separated list; ignored before 2.26 as Nova ignores them. */
  private static Servers.TagFilter tagFilter(ApiRequest request) {
    if (!Nova.atLeast(request, 26)) {
      return Servers.TagFilter.NONE;
    }
    return new Servers.TagFilter(
        tagList(request, "tags"), tagList(request, "tags-any"), tagList(request, "not-tags"), tagList(request, "not-tags-any"));
  }

  private static List<String> tagList(ApiRequest request, String name) {
    List<String> tags = new ArrayList<>();
    for (String value : request.queryAll(name)) {
      for (String t : value.split(",")) {
        if (!t.isEmpty()) {
          tags.add(t);
        }
      }
    }
    return tags;
  }

  private ApiResponse show(ApiRequest request) {
    Server s = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.ok(Json.wrap("server", views.shown(request, s)));
  }

  private ApiResponse ips(ApiRequest request) {
    Server s = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.ok(Json.wrap("addresses", views.ips(s)));
  }

  private ApiResponse ipsOfNetwork(ApiRequest request) {
    Server s = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    String label = request.pathParam("network_label");
    ObjectNode all = views.ips(s);
    if (!all.has(label)) {
      throw ApiError.notFound("itemNotFound", "Instance is not a member of specified network");
    }
    ObjectNode body = Json.object();
    body.set(label, all.get(label));
    return ApiResponse.ok(body);
  }

  // Update and delete

  private ApiResponse update(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || !root.path("server").isObject()) {
      throw ApiError.badRequest("Invalid input for field/attribute server. 'server' is a required property");
    }
    ObjectNode in = (ObjectNode) root.get("server");
    Set<String> allowed = Nova.atLeast(request, 19)
        ? Set.of("name", "description", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig")
        : Set.of("name", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig");
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("server", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String name = in.has("name") ? string(in, "name", true) : null;
    if (name != null && (name.isBlank() || name.length() > 255)) {
      throw Nova.invalid("server/name", in.get("name"), "must be 1 to 255 characters long and not only blanks");
    }
    boolean setDescription = in.has("description");
    String description = setDescription && !in.get("description").isNull() ? string(in, "description", false) : null;
    if (description != null) {
      checkDescription(in);
    }
    Server current = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    Server.Attributes attributes = attributes(in, current.attributes());
    Server s =
        servers.update(request.caller().actor(), request.pathParam("server_id"), name, description, setDescription, attributes);
    return ApiResponse.ok(Json.wrap("server", views.changed(request, s, false)));
  }

  private ApiResponse delete(ApiRequest request) {
    servers.delete(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.noContent();
  }

  // Metadata

  private ApiResponse metadata(ApiRequest request) {
    Server s = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.ok(Json.wrap("metadata", metadataNode(s.metadata())));
  }

  private ApiResponse setMetadata(ApiRequest request, boolean replace) {
    JsonNode root = request.body();
    if (!root.isObject() || !root.has("metadata")) {
      throw ApiError.badRequest("Invalid input for field/attribute metadata. 'metadata' is a required property");
    }
    Map<String, String> given = metadataOf(root.get("metadata"), "metadata");
    Map<String, String> result =
        servers.setMetadata(request.caller().actor(), request.pathParam("server_id"), given, replace);
    return ApiResponse.ok(Json.wrap("metadata", metadataNode(replace ? given : result)));
  }

  private ApiResponse metadataItem(ApiRequest request) {
    Server s = servers.visible(request.caller().actor(), request.pathParam("server_id"));
    String key = request.pathParam("key");
    String value = s.metadata().get(key);
    if (value == null) {
      throw ApiError.notFound("itemNotFound", "Metadata item was not found");
    }
    ObjectNode meta = Json.object().put(key, value);
    return ApiResponse.ok(Json.wrap("meta", meta));
  }

  private ApiResponse setMetadataItem(ApiRequest request) {
    JsonNode root = request.body();
    String key = request.pathParam("key");
    if (!root.isObject() || !root.path("meta").isObject()) {
      throw ApiError.badRequest("Invalid input for field/attribute meta. 'meta' is a required property");
    }
    Map<String, String> given = metadataOf(root.get("meta"), "meta");
    if (given.size() != 1) {
      throw ApiError.badRequest("Request body contains too many items");
    }
    if (!given.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    servers.setMetadata(request.caller().actor(), request.pathParam("server_id"), given, false);
    return ApiResponse.ok(Json.wrap("meta", metadataNode(given)));
  }

  private ApiResponse deleteMetadataItem(ApiRequest request) {
    servers.deleteMetadataKey(request.caller().actor(), request.pathParam("server_id"), request.pathParam("key"));
    return ApiResponse.noContent();
  }

  // Helpers

  private static ObjectNode metadataNode(Map<String, String> metadata) {
    ObjectNode o = Json.object();
    metadata.forEach(o::put);
    return o;
  }

  private static Map<String, String> metadataOf(JsonNode node, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (!node.isObject()) {
      throw Nova.invalid(path, node, "is not of type 'object'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().isEmpty() || e.getKey().length() > 255) {
        throw Nova.invalid(path, node, "keys must be 1 to 255 characters long");
      }
      if (!e.getValue().isTextual() || e.getValue().textValue().length() > 255) {
        throw Nova.invalid(path + "/" + e.getKey(), e.getValue(), "must be a string of at most 255 characters");
      }
      result.put(e.getKey(), e.getValue().textValue());
    }
    return result;
  }

  private static String ref(ObjectNode in, String field, boolean required) {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw Nova.invalid("server", in, "'" + field + "' is a required property");
      }
      return null;
    }
    if (value.isTextual()) {
      String text = value.textValue();
      // Nova accepts a link as a reference and uses its last segment.
      return text.contains("/") ? text.substring(text.lastIndexOf('/') + 1) : text;
    }
    if (value.isInt()) {
      return value.asText();
    }
    throw Nova.invalid("server/" + field, value, "is not of type 'string', 'integer'");
  }

  /** Nova takes an id or a link to it in the image and flavor filters. */
  private static String lastSegment(String ref) {
    return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String string(ObjectNode in, String field, boolean required) {
    JsonNode value = in.get(field);
    if (value == null) {
      if (required) {
        throw Nova.invalid("server", in, "'" + field + "' is a required property");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("server/" + field, value, "is not of type 'string'");
    }
    return value.textValue();
  }

  /** Nova's description: at most 255 characters (its column's size). */
  private static void checkDescription(ObjectNode in) {
    // null clears the description (Nova's schema allows it); only a string has a length to check.
    String description = in.path("description").textValue();
    if (description != null && description.length() > 255) {
      throw Nova.invalid("server/description", in.get("description"), "is too long");
    }
  }

  private static String password() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      b.append(PASSWORD_CHARS.charAt(RANDOM.nextInt(PASSWORD_CHARS.length())));
    }
    return b.toString();
  }
}
