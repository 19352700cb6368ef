package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.Volume;
import dev.kiln.volume.Volumes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v3/{project_id}/volumes}: volumes and their metadata. */
final class VolumesApi {
  private final VolumeService service;

  VolumesApi(VolumeService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/{project_id}/volumes";
    routes
        .get(base, Access.AUTHENTICATED, r -> list(r, false))
        .get(base + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        // Before {volume_id}, which would otherwise take "summary" for an id.
        .get(base + "/summary", Access.AUTHENTICATED, this::summary)
        .post(base, Access.AUTHENTICATED, this::create)
        .get(base + "/{volume_id}", Access.AUTHENTICATED, this::show)
        .put(base + "/{volume_id}", Access.AUTHENTICATED, this::update)
        .delete(base + "/{volume_id}", Access.AUTHENTICATED, this::delete)
        .get(base + "/{volume_id}/metadata", Access.AUTHENTICATED, this::metadata)
        .post(base + "/{volume_id}/metadata", Access.AUTHENTICATED, r -> setMetadata(r, false))
        .put(base + "/{volume_id}/metadata", Access.AUTHENTICATED, r -> setMetadata(r, true))
        .get(base + "/{volume_id}/metadata/{key}", Access.AUTHENTICATED, this::metadataItem)
        .put(base + "/{volume_id}/metadata/{key}", Access.AUTHENTICATED, this::setMetadataItem)
        .delete(base + "/{volume_id}/metadata/{key}", Access.AUTHENTICATED, this::deleteMetadata);
  }

  static String url(ApiRequest request, String project) {
    return request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project;
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    String project = CinderProject.of(request);
    if (!detail && request.hasTrailingSlash()) {
      // GET /volumes/ is a show with an empty id in Cinder.
      throw ApiError.notFound("HTTPNotFound", "The resource could not be found.");
    }
    Actor actor = request.caller().actor();
    boolean all = allTenants(request);
    List<ObjectNode> items = new ArrayList<>();
    for (Volume v : service.volumes().list(actor, all)) {
      items.add(render(request, project, v, true));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "volumes", url(request, project) + "/volumes" + (detail ? "/detail" : ""), items,
        VolumeViews.VOLUME_FILTERS, VolumeViews.VOLUME_SORT_KEYS, detail ? null : VolumeViews::summary));
  }

  static boolean allTenants(ApiRequest request) {
    return request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
  }

  /**
   * {@code GET /volumes/summary} (3.12): how many volumes and gigabytes the project has, and from
   * 3.36 every metadata key with the values its volumes give it.
   */
  private ApiResponse summary(ApiRequest request) {
    CinderProject.of(request);
    if (!request.microversion().atLeast(3, 12)) {
      throw ApiError.notFound("HTTPNotFound", "The resource could not be found: the volume summary needs microversion 3.12 or later.");
    }
    List<Volume> volumes = service.volumes().list(request.caller().actor(), allTenants(request));
    ObjectNode summary = Json.object();
    summary.put("total_size", volumes.stream().mapToLong(Volume::size).sum());
    summary.put("total_count", volumes.size());
    if (request.microversion().atLeast(3, 36)) {
      Map<String, java.util.SortedSet<String>> values = new java.util.TreeMap<>();
      volumes.forEach(v -> v.metadata().forEach((k, val) -> values.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(val)));
      summary.set("metadata", Json.MAPPER.valueToTree(values));
    }
    return ApiResponse.ok(Json.wrap("volume-summary", summary));
  }

  private ApiResponse create(ApiRequest request) {
    String project = CinderProject.of(request);
    // Cinder's create schema allows members it does not know and ignores them.
    JsonInput in = JsonInput.wrapped(request.body(), "volume");
    if (in.optionalString("consistencygroup_id").isPresent()) {
      throw in.invalid("consistencygroup_id", "Kiln cannot create volumes from this yet");
    }
    // Cinder reads backup_id from 3.47 on and ignores it before.
    String backupId = request.microversion().atLeast(3, 47) ? in.optionalString("backup_id").orElse(null) : null;
    Integer size = null;
    if (in.has("size") && !in.isNull("size")) {
      JsonNode raw = in.raw("size");
      if (!(raw.isIntegralNumber() || (raw.isTextual() && raw.textValue().matches("-?\\d+")))) {
        throw ApiError.badRequest("Invalid input for field/attribute size. Value: " + raw + ". '" + raw.asText() + "' is not an integer.");
      }
      size = raw.isTextual() ? Integer.parseInt(raw.textValue()) : raw.intValue();
    }
    Volumes.Created created = service.volumes().createWithType(
        request.caller().actor(),
        new Volumes.Spec(
            in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
            in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null),
            size,
            in.optionalString("volume_type").orElse(null),
            in.optionalString("availability_zone").orElse(null),
            metadata(in, "metadata"),
            in.optionalString("snapshot_id").orElse(null),
            in.optionalString("source_volid").orElse(null),
            in.optionalBoolean("multiattach").orElse(null),
            in.optionalString("imageRef").map(VolumesApi::imageIdOf).orElse(null),
            // Cinder reads group_id from 3.13 on and ignores it before.
            request.microversion().atLeast(3, 13) ? in.optionalString("group_id").orElse(null) : null,
            backupId));
    return ApiResponse.accepted(Json.wrap("volume", VolumeViews.volume(
        created.volume(), created.type().name(), url(request, project), request.caller().isAdmin(), request.microversion())));
  }

  /** An imageRef may be the image's id or a link to it (Nova's style): its last path segment. */
  static String imageIdOf(String imageRef) {
    return imageRef.substring(imageRef.lastIndexOf('/') + 1);
  }

  private ApiResponse show(ApiRequest request) {
    String project = CinderProject.of(request);
    Volume volume = service.volumes().visible(request.caller().actor(), request.pathParam("volume_id"));
    return ApiResponse.ok(Json.wrap("volume", render(request, project, volume, true)));
  }

  private ApiResponse update(ApiRequest request) {
    String project = CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "volume");
    in.allowOnly("name", "description", "metadata", "display_name", "display_description");
    Actor actor = request.caller().actor();
    String id = request.pathParam("volume_id");
    Map<String, String> metadata = metadata(in, "metadata");
    Volume volume = service.volumes().update(
        actor, id,
        in.optionalString("name", 255).or(() -> in.optionalString("display_name", 255)).orElse(null),
        in.optionalString("description", 255).or(() -> in.optionalString("display_description", 255)).orElse(null),
        null);
    if (metadata != null) {
      service.volumes().setMetadata(actor, id, metadata, true);
      volume = service.volumes().visible(actor, id);
    }
    return ApiResponse.ok(Json.wrap("volume", render(request, project, volume, false)));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    boolean cascade = request.query("cascade").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    service.volumes().delete(request.caller().actor(), request.pathParam("volume_id"), cascade);
    return ApiResponse.accepted(null);
  }

  private ApiResponse metadata(ApiRequest request) {
    CinderProject.of(request);
    Volume volume = service.volumes().visible(request.caller().actor(), request.pathParam("volume_id"));
    return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(volume.metadata())));
  }

  private ApiResponse setMetadata(ApiRequest request, boolean replace) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("metadata");
    Map<String, String> metadata = metadata(in, "metadata");
    if (metadata == null) {
      throw in.invalid("metadata", "this field is required");
    }
    Map<String, String> result =
        service.volumes().setMetadata(request.caller().actor(), request.pathParam("volume_id"), metadata, replace);
    return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(result)));
  }

  private ApiResponse metadataItem(ApiRequest request) {
    CinderProject.of(request);
    String key = request.pathParam("key");
    Volume volume = service.volumes().visible(request.caller().actor(), request.pathParam("volume_id"));
    String value = volume.metadata().get(key);
    if (value == null) {
      throw ApiError.notFound("VolumeMetadataNotFound", "Volume " + volume.id() + " has no metadata with key " + key + ".");
    }
    return ApiResponse.ok(Json.wrap("meta", Json.MAPPER.valueToTree(Map.of(key, value))));
  }

  /** {@code PUT .../metadata/{key}} with {@code {"meta": {key: value}}}: one item, named twice. */
  private ApiResponse setMetadataItem(ApiRequest request) {
    CinderProject.of(request);
    Map<String, String> item = metadataItem(request, request.pathParam("key"));
    service.volumes().setMetadata(request.caller().actor(), request.pathParam("volume_id"), item, false);
    return ApiResponse.ok(Json.wrap("meta", Json.MAPPER.valueToTree(item)));
  }

  /**
   * The body of a metadata item update, {@code {"meta": {key: value}}}: exactly one item, whose
   * key is the one in the URL (Cinder: "Request body and URI mismatch", "Request body contains
   * too many items").
   */
  static Map<String, String> metadataItem(ApiRequest request, String key) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("meta");
    Map<String, String> item = metadata(in, "meta");
    if (item == null) {
      throw in.invalid("meta", "this field is required");
    }
    if (item.size() > 1) {
      throw ApiError.badRequest("Request body contains too many items.");
    }
    if (!item.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    return item;
  }

  private ApiResponse deleteMetadata(ApiRequest request) {
    CinderProject.of(request);
    service.volumes().deleteMetadataKey(request.caller().actor(), request.pathParam("volume_id"), request.pathParam("key"));
    return ApiResponse.ok(null);
  }

  /** A metadata object: string keys to string values, each at most 255 characters. */
  static Map<String, String> metadata(JsonInput in, String field) {
    if (!in.has(field) || in.isNull(field)) {
      return null;
    }
    JsonNode raw = in.raw(field);
    if (!raw.isObject()) {
      throw in.invalid(field, "expected an object of string keys and values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    var fields = raw.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().isTextual() || e.getKey().isEmpty() || e.getKey().length() > 255 || e.getValue().textValue().length() > 255) {
        throw in.invalid(field + "/" + e.getKey(), "metadata keys and values must be strings of 1 to 255 characters");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /**
   * The volume's JSON; {@code extended} adds what Cinder's API extensions add to show and detail
   * (and to nothing else).
   */
  private ObjectNode render(ApiRequest request, String project, Volume v, boolean extended) {
    String typeName = service.types().find(v.volumeTypeId()).map(t -> t.name()).orElse(null);
    String url = url(request, project);
    boolean admin = request.caller().isAdmin();
    return extended
        ? VolumeViews.volumeWithExtensions(v, typeName, url, admin, request.microversion())
        : VolumeViews.volume(v, typeName, url, admin, request.microversion());
  }
}
