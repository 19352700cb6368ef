package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.proxy.ShownVolume;
import dev.kiln.compute.proxy.VolumeProxy;
import dev.kiln.compute.proxy.VolumeProxy.VolumeRequest;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.Volume;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nova's {@code /os-volumes} and {@code /os-snapshots} proxies to Block Storage, which 2.36
 * removed (404 from then on): list (summary and detail are the same view), show, create and
 * delete, with Nova's camel-case fields and its request schemas (unknown fields are refused).
 */
final class VolumesProxyApi {
  private static final String VOLUMES = "/v2.1/os-volumes";
  private static final String SNAPSHOTS = "/v2.1/os-snapshots";
  private static final Set<String> VOLUME_FIELDS =
      Set.of("volume_type", "metadata", "snapshot_id", "size", "availability_zone", "display_name", "display_description");
  private static final Set<String> SNAPSHOT_FIELDS = Set.of("volume_id", "force", "display_name", "display_description");

  private final VolumeProxy volumes;

  VolumesProxyApi(VolumeProxy volumes) {
    this.volumes = requireNonNull(volumes, "volumes is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(VOLUMES, Access.AUTHENTICATED, this::list)
        .post(VOLUMES, Access.AUTHENTICATED, this::create)
        .get(VOLUMES + "/detail", Access.AUTHENTICATED, this::list)
        .get(VOLUMES + "/{id}", Access.AUTHENTICATED, this::show)
        .delete(VOLUMES + "/{id}", Access.AUTHENTICATED, this::delete)
        .get(SNAPSHOTS, Access.AUTHENTICATED, this::listSnapshots)
        .post(SNAPSHOTS, Access.AUTHENTICATED, this::createSnapshot)
        .get(SNAPSHOTS + "/detail", Access.AUTHENTICATED, this::listSnapshots)
        .get(SNAPSHOTS + "/{id}", Access.AUTHENTICATED, this::showSnapshot)
        .delete(SNAPSHOTS + "/{id}", Access.AUTHENTICATED, this::deleteSnapshot);
  }

  private static void before236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  /**
   * {@code GET /os-volumes/} (a show without an id, as Tempest asks it) is Nova's 404, not the
   * list.
   */
  private static void noEmptyId(ApiRequest request) {
    if (request.hasTrailingSlash()) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  private ApiResponse list(ApiRequest request) {
    before236(request);
    noEmptyId(request);
    OffsetPaging.limited(request, List.of()); // limit and offset are checked before anything is read
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("volumes");
    OffsetPaging.limited(request, volumes.list(request.caller().actor())).forEach(v -> all.add(view(v)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    before236(request);
    return ApiResponse.ok(Json.wrap("volume", view(volumes.get(request.caller().actor(), request.pathParam("id")))));
  }

  private ApiResponse create(ApiRequest request) {
    before236(request);
    JsonNode volume = wrapped(request, "volume", VOLUME_FIELDS);
    JsonNode size = volume.get("size");
    if (size == null) {
      throw Nova.invalid("volume", volume, "'size' is a required property");
    }
    VolumeRequest asked =
        new VolumeRequest(
            size(size),
            string(volume, "display_name"),
            string(volume, "display_description"),
            string(volume, "volume_type"),
            string(volume, "availability_zone"),
            metadata(volume.get("metadata")),
            string(volume, "snapshot_id"));
    ShownVolume made = volumes.create(request.caller().actor(), asked);
    return ApiResponse.ok(Json.wrap("volume", view(made)))
        .withHeader("Location", request.baseUrl() + ComputeApi.PREFIX + VOLUMES + "/" + made.volume().id());
  }

  private ApiResponse delete(ApiRequest request) {
    before236(request);
    volumes.delete(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  private ApiResponse listSnapshots(ApiRequest request) {
    before236(request);
    noEmptyId(request);
    OffsetPaging.limited(request, List.of());
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("snapshots");
    OffsetPaging.limited(request, volumes.snapshots(request.caller().actor())).forEach(s -> all.add(view(s)));
    return ApiResponse.ok(body);
  }

  private ApiResponse showSnapshot(ApiRequest request) {
    before236(request);
    return ApiResponse.ok(
        Json.wrap("snapshot", view(volumes.snapshot(request.caller().actor(), request.pathParam("id")))));
  }

  private ApiResponse createSnapshot(ApiRequest request) {
    before236(request);
    JsonNode snapshot = wrapped(request, "snapshot", SNAPSHOT_FIELDS);
    String volumeId = string(snapshot, "volume_id");
    if (volumeId == null) {
      throw Nova.invalid("snapshot", snapshot, "'volume_id' is a required property");
    }
    JsonNode force = snapshot.get("force");
    Snapshot made =
        volumes.createSnapshot(
            request.caller().actor(), volumeId, string(snapshot, "display_name"),
            string(snapshot, "display_description"), force != null && Nova.bool("force", force));
    return ApiResponse.ok(Json.wrap("snapshot", view(made)));
  }

  private ApiResponse deleteSnapshot(ApiRequest request) {
    before236(request);
    volumes.deleteSnapshot(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  /** The one object a body holds under {@code key}, with only the fields Nova's schema has. */
  private static JsonNode wrapped(ApiRequest request, String key, Set<String> allowed) {
    JsonNode body = request.body();
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(key)) {
        throw Nova.invalid("request body", body, "Additional properties are not allowed ('" + name + "' was unexpected)");
      }
    }
    JsonNode inner = body.get(key);
    if (inner == null) {
      throw Nova.invalid("request body", body, "'" + key + "' is a required property");
    }
    if (!inner.isObject()) {
      throw Nova.invalid(key, inner, inner + " is not of type 'object'");
    }
    for (Iterator<String> names = inner.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw Nova.invalid(key, inner, "Additional properties are not allowed ('" + name + "' was unexpected)");
      }
    }
    return inner;
  }

  private static String string(JsonNode object, String field) {
    JsonNode v = object.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw Nova.invalid(field, v, v + " is not of type 'string'");
    }
    return v.textValue();
  }

  /** size: an integer of at least 1, or digits as text (Block Storage refuses "0" itself). */
  private static int size(JsonNode size) {
    if (size.isIntegralNumber()) {
      if (size.bigIntegerValue().signum() <= 0) {
        throw Nova.invalid("size", size, size + " is less than the minimum of 1");
      }
      if (!size.canConvertToInt()) {
        throw Nova.invalid("size", size, size + " is too large a volume size");
      }
      return size.intValue();
    }
    if (!size.isTextual()) {
      throw Nova.invalid("size", size, size + " is not of type 'integer', 'string'");
    }
    String text = size.textValue();
    if (!text.matches("[0-9]+")) {
      throw Nova.invalid("size", size, "'" + text + "' does not match '^[0-9]+$'");
    }
    String digits = text.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 9) {
      throw Nova.invalid("size", size, "'" + text + "' is too large a volume size");
    }
    return Integer.parseInt(digits);
  }

  /** metadata: an object; Block Storage keeps string values only. */
  private static Map<String, String> metadata(JsonNode metadata) {
    if (metadata == null) {
      return null;
    }
    if (!metadata.isObject()) {
      throw Nova.invalid("metadata", metadata, metadata + " is not of type 'object'");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (var entries = metadata.fields(); entries.hasNext(); ) {
      var entry = entries.next();
      if (!entry.getValue().isTextual()) {
        throw ApiError.badRequest(
            "Invalid input received: Invalid metadata: the value of " + entry.getKey() + " must be a string.");
      }
      values.put(entry.getKey(), entry.getValue().textValue());
    }
    return values;
  }

  private static ObjectNode view(ShownVolume shown) {
    Volume v = shown.volume();
    ObjectNode o = Json.object();
    o.put("id", v.id());
    o.put("status", v.status());
    o.put("size", v.size());
    o.put("availabilityZone", v.availabilityZone());
    o.put("createdAt", Nova.time(v.createdAt()));
    ArrayNode attachments = o.putArray("attachments");
    // As Nova: the first attachment only (by server), or one empty object when there is none.
    Attachment first =
        v.attachments().stream().filter(a -> "attached".equals(a.attachStatus())).findFirst().orElse(null);
    ObjectNode a = attachments.addObject();
    if (first != null) {
      a.put("id", v.id());
      a.put("volumeId", v.id());
      a.put("serverId", first.instanceUuid());
      if (first.mountpoint() != null && !first.mountpoint().isEmpty()) {
        a.put("device", first.mountpoint());
      }
    }
    o.put("displayName", v.name());
    o.put("displayDescription", v.description());
    o.put("volumeType", shown.typeName());
    o.put("snapshotId", v.snapshotId());
    ObjectNode metadata = o.putObject("metadata");
    v.visibleMetadata().forEach(metadata::put);
    return o;
  }

  private static ObjectNode view(Snapshot s) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("volumeId", s.volumeId());
    o.put("status", s.status());
    o.put("size", s.size());
    o.put("createdAt", Nova.time(s.createdAt()));
    o.put("displayName", s.name());
    o.put("displayDescription", s.description());
    return o;
  }
}
