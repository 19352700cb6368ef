package dev.kiln.compute.api;

import static dev.kiln.compute.api.ServerInput.attributes;
import static dev.kiln.compute.api.ServerInput.checkDescription;
import static dev.kiln.compute.api.ServerInput.metadataOf;
import static dev.kiln.compute.api.ServerInput.string;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /servers}: create, list (summary and detail), show, update, delete, and the server
 * {@code metadata} API. Actions are {@link ServerActionsApi}'s.
 * The create request is {@link ServerCreateApi}'s.
 */
final class ServersApi {
  private static final String SERVERS = "/v2.1/servers";
  private static final String SERVER = SERVERS + "/{server_id}";
  private static final String METADATA = SERVER + "/metadata";
  private static final String METADATA_KEY = METADATA + "/{key}";
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
        .post(SERVERS, Access.AUTHENTICATED, new ServerCreateApi(servers)::create)
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

  /** Nova takes an id or a link to it in the image and flavor filters. */
  private static String lastSegment(String ref) {
    return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
  }
}
