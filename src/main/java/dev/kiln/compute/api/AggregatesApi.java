package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.Aggregate;
import dev.kiln.compute.fleet.Aggregates;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /os-aggregates} (admin only): create, list, show, update and delete host aggregates, and
 * their {@code add_host}, {@code remove_host} and {@code set_metadata} actions. Every answer is 200,
 * as Nova's are (deletes too); aggregates show their {@code uuid} from 2.41. A create answers the
 * aggregate without hosts and metadata, as Nova does.
 */
final class AggregatesApi {
  private static final String AGGREGATES = "/v2.1/os-aggregates";
  private static final String AGGREGATE = AGGREGATES + "/{id}";
  /** Nova's 'fqdn' host names. */
  private static final Pattern HOST = Pattern.compile("[a-zA-Z0-9-._]*");
  /** Nova's metadata keys. */
  private static final Pattern METADATA_KEY = Pattern.compile("[a-zA-Z0-9-_:. ]{1,255}");

  private final Aggregates aggregates;

  AggregatesApi(Aggregates aggregates) {
    this.aggregates = requireNonNull(aggregates, "aggregates is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(AGGREGATES, Access.ADMIN, this::list)
        .post(AGGREGATES, Access.ADMIN, this::create)
        .get(AGGREGATE, Access.ADMIN, this::show)
        .put(AGGREGATE, Access.ADMIN, this::update)
        .delete(AGGREGATE, Access.ADMIN, this::delete)
        .post(AGGREGATE + "/action", Access.ADMIN, this::action);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("aggregates");
    aggregates.list().forEach(a -> items.add(view(request, a)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(Json.wrap("aggregate", view(request, aggregates.get(id(request)))));
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode in = member(request.body(), "aggregate");
    allowOnly(in, "aggregate", Set.of("name", "availability_zone"));
    if (!in.has("name")) {
      throw Nova.invalid("aggregate", in, "'name' is a required property");
    }
    String name = name(in.get("name"), false);
    String zone = zone(in.get("availability_zone"));
    ObjectNode view = view(request, aggregates.create(name, zone));
    view.remove("hosts");
    view.remove("metadata");
    return ApiResponse.ok(Json.wrap("aggregate", view));
  }

  private ApiResponse update(ApiRequest request) {
    int id = id(request);
    ObjectNode in = member(request.body(), "aggregate");
    allowOnly(in, "aggregate", Set.of("name", "availability_zone"));
    if (!in.has("name") && !in.has("availability_zone")) {
      throw Nova.invalid("aggregate", in, "'name' or 'availability_zone' is a required property");
    }
    String name = in.has("name") ? name(in.get("name"), true) : null;
    boolean zoneGiven = in.has("availability_zone");
    String zone = zone(in.get("availability_zone"));
    return ApiResponse.ok(Json.wrap("aggregate", view(request, aggregates.update(id, name, zoneGiven, zone))));
  }

  private ApiResponse delete(ApiRequest request) {
    aggregates.delete(id(request));
    return ApiResponse.ok(null);
  }

  private ApiResponse action(ApiRequest request) {
    int id = id(request);
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest("Malformed request body: one action is expected.");
    }
    String action = body.fieldNames().next();
    Aggregate changed =
        switch (action) {
          case "add_host" -> aggregates.addHost(id, host(body, action));
          case "remove_host" -> aggregates.removeHost(id, host(body, action));
          case "set_metadata" -> aggregates.setMetadata(id, metadata(body));
          default -> throw ApiError.badRequest("There is no such action: " + action);
        };
    return ApiResponse.ok(Json.wrap("aggregate", view(request, changed)));
  }

  static ObjectNode view(ApiRequest request, Aggregate a) {
    ObjectNode o = Json.object();
    o.put("id", a.id());
    if (Nova.atLeast(request, 41)) {
      o.put("uuid", a.uuid());
    }
    o.put("name", a.name());
    o.put("availability_zone", a.availabilityZone());
    o.put("created_at", Nova.time(a.createdAt()));
    o.put("updated_at", Nova.time(a.updatedAt()));
    o.putNull("deleted_at");
    o.put("deleted", false);
    ArrayNode hosts = o.putArray("hosts");
    a.hosts().forEach(hosts::add);
    ObjectNode metadata = o.putObject("metadata");
    a.metadata().forEach(metadata::put);
    return o;
  }

  /** The aggregate id of the path: Nova's ids are integers. */
  private static int id(ApiRequest request) {
    String raw = request.pathParam("id");
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid input received: id must be an integer, not '" + raw + "'.");
    }
  }

  private static ObjectNode member(JsonNode body, String key) {
    if (!body.isObject()) {
      throw Nova.invalid("body", body, "is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals(key)) {
        throw Nova.invalid("body", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode in = body.get(key);
    if (in == null) {
      throw Nova.invalid("body", body, "'" + key + "' is a required property");
    }
    if (!in.isObject()) {
      throw Nova.invalid(key, in, "is not of type 'object'");
    }
    return (ObjectNode) in;
  }

  private static void allowOnly(ObjectNode in, String path, Set<String> allowed) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid(path, in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
  }

  /**
   * An aggregate name: 1 to 255 characters; a create refuses leading or trailing whitespace, an
   * update strips it (Nova's two schemas).
   */
  private static String name(JsonNode value, boolean strip) {
    if (!value.isTextual()) {
      throw Nova.invalid("name", value, "is not of type 'string'");
    }
    String text = value.textValue();
    if (text.isEmpty() || text.length() > 255) {
      throw Nova.invalid("name", value, "must be 1 to 255 characters long");
    }
    String stripped = text.strip();
    if (stripped.isEmpty() || (!strip && !stripped.equals(text))) {
      throw Nova.invalid("name", value, "must not be blank nor begin or end with whitespace");
    }
    return stripped;
  }

  /** An availability zone name, or null: 1 to 255 characters, no ':', no surrounding whitespace. */
  private static String zone(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("availability_zone", value, "is not of type 'string'");
    }
    String text = value.textValue();
    if (text.isEmpty() || text.length() > 255 || !text.strip().equals(text) || text.contains(":")) {
      throw Nova.invalid(
          "availability_zone", value,
          "must be 1 to 255 characters, without ':' and without leading or trailing whitespace");
    }
    return text;
  }

  private static String host(JsonNode body, String action) {
    ObjectNode in = member(body, action);
    allowOnly(in, action, Set.of("host"));
    JsonNode host = in.get("host");
    if (host == null) {
      throw Nova.invalid(action, in, "'host' is a required property");
    }
    if (!host.isTextual() || host.textValue().isEmpty() || host.textValue().length() > 255
        || !HOST.matcher(host.textValue()).matches()) {
      throw Nova.invalid(action + "/host", host, "a host name is 1 to 255 letters, digits, '-', '.' and '_'");
    }
    return host.textValue();
  }

  /** The set_metadata changes: values are strings of up to 255 characters, or null to remove. */
  private static Map<String, String> metadata(JsonNode body) {
    ObjectNode in = member(body, "set_metadata");
    allowOnly(in, "set_metadata", Set.of("metadata"));
    JsonNode metadata = in.get("metadata");
    if (metadata == null) {
      throw Nova.invalid("set_metadata", in, "'metadata' is a required property");
    }
    if (!metadata.isObject()) {
      throw Nova.invalid("set_metadata/metadata", metadata, "is not of type 'object'");
    }
    Map<String, String> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!METADATA_KEY.matcher(e.getKey()).matches()) {
        throw Nova.invalid(
            "set_metadata/metadata", metadata,
            "'" + e.getKey() + "' is not a valid key: 1 to 255 letters, digits, spaces and '-_:.'");
      }
      JsonNode value = e.getValue();
      if (!value.isNull() && (!value.isTextual() || value.textValue().length() > 255)) {
        throw Nova.invalid(
            "set_metadata/metadata/" + e.getKey(), value, "expected a string of up to 255 characters or null");
      }
      changes.put(e.getKey(), value.isNull() ? null : value.textValue());
    }
    return changes;
  }
}
