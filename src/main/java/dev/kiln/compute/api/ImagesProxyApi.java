package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.image.Image;
import dev.kiln.image.ImageChange;
import dev.kiln.image.ImageQuery;
import dev.kiln.image.ImageService;
import dev.kiln.image.ImageStatus;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.temporal.ChronoUnit;

/**
 * Nova's image proxy ({@code /images}: list with Nova's filters, show, delete, and the images'
 * metadata until 2.39): the Image service's images as Nova showed them before microversion 2.36
 * removed the proxy. Older clients (openstack4j's {@code
 * compute().images()}) still read it.
 */
final class ImagesProxyApi {
  private static final String IMAGES = "/v2.1/images";
  private static final String METADATA = IMAGES + "/{image_id}/metadata";

  private final ImageService images;

  ImagesProxyApi(ImageService images) {
    this.images = requireNonNull(images, "images is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(IMAGES, Access.AUTHENTICATED, request -> list(request, false))
        .get(IMAGES + "/detail", Access.AUTHENTICATED, request -> list(request, true))
        .get(IMAGES + "/{image_id}", Access.AUTHENTICATED, this::show)
        .delete(IMAGES + "/{image_id}", Access.AUTHENTICATED, this::delete)
        .get(METADATA, Access.AUTHENTICATED, this::metadata)
        .put(METADATA, Access.AUTHENTICATED, request -> setMetadata(request, true))
        .post(METADATA, Access.AUTHENTICATED, request -> setMetadata(request, false))
        .get(METADATA + "/{key}", Access.AUTHENTICATED, this::metadataItem)
        .put(METADATA + "/{key}", Access.AUTHENTICATED, this::setMetadataItem)
        .delete(METADATA + "/{key}", Access.AUTHENTICATED, this::deleteMetadataItem);
  }

  // Image metadata (the image's custom properties), as Nova proxied it to Glance before 2.39

  private ApiResponse metadata(ApiRequest request) {
    requireBefore239(request);
    Image image = images.images().visible(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.ok(Json.wrap("metadata", properties(image.properties())));
  }

  /** PUT replaces every custom property, POST adds to and changes them; both answer all of them. */
  private ApiResponse setMetadata(ApiRequest request, boolean replace) {
    requireBefore239(request);
    JsonNode root = request.body();
    if (!root.isObject() || !root.path("metadata").isObject()) {
      throw ApiError.badRequest("Malformed request body: 'metadata' is a required object");
    }
    Actor actor = request.caller().actor();
    String id = request.pathParam("image_id");
    Image image = images.images().visible(actor, id);
    Map<String, String> given = strings(root.get("metadata"));
    List<ImageChange> changes = new ArrayList<>();
    if (replace) {
      image.properties().keySet().stream().filter(k -> !given.containsKey(k))
          .forEach(k -> changes.add(new ImageChange(ImageChange.Op.REMOVE, k, null)));
    }
    given.forEach((k, v) -> changes.add(new ImageChange(ImageChange.Op.ADD, k, v)));
    Image updated = images.images().update(actor, id, changes);
    return ApiResponse.ok(Json.wrap("metadata", properties(updated.properties())));
  }

  private ApiResponse metadataItem(ApiRequest request) {
    requireBefore239(request);
    Image image = images.images().visible(request.caller().actor(), request.pathParam("image_id"));
    String key = request.pathParam("key");
    String value = image.properties().get(key);
    if (value == null) {
      throw ApiError.notFound("itemNotFound", "Image " + image.id() + " has no metadata item " + key);
    }
    return ApiResponse.ok(Json.wrap("meta", Json.object().put(key, value)));
  }

  private ApiResponse setMetadataItem(ApiRequest request) {
    requireBefore239(request);
    JsonNode root = request.body();
    String key = request.pathParam("key");
    if (!root.isObject() || !root.path("meta").isObject()) {
      throw ApiError.badRequest("Malformed request body: 'meta' is a required object");
    }
    Map<String, String> given = strings(root.get("meta"));
    if (given.size() != 1) {
      throw ApiError.badRequest("Request body contains too many items");
    }
    if (!given.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    Actor actor = request.caller().actor();
    String id = request.pathParam("image_id");
    images.images().visible(actor, id);
    images.images().update(actor, id, List.of(new ImageChange(ImageChange.Op.ADD, key, given.get(key))));
    return ApiResponse.ok(Json.wrap("meta", Json.object().put(key, given.get(key))));
  }

  private ApiResponse deleteMetadataItem(ApiRequest request) {
    requireBefore239(request);
    Actor actor = request.caller().actor();
    String id = request.pathParam("image_id");
    String key = request.pathParam("key");
    Image image = images.images().visible(actor, id);
    if (!image.properties().containsKey(key)) {
      throw ApiError.notFound("itemNotFound", "Image " + id + " has no metadata item " + key);
    }
    images.images().update(actor, id, List.of(new ImageChange(ImageChange.Op.REMOVE, key, null)));
    return ApiResponse.noContent();
  }

  private static ObjectNode properties(Map<String, String> properties) {
    ObjectNode o = Json.object();
    properties.forEach(o::put);
    return o;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> result = new java.util.LinkedHashMap<>();
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw ApiError.badRequest("Invalid metadata value for " + e.getKey() + ": must be a string");
      }
      result.put(e.getKey(), e.getValue().textValue());
    }
    return result;
  }

  /** The image metadata proxy went with 2.39, as in Nova. */
  private static void requireBefore239(ApiRequest request) {
    if (Nova.atLeast(request, 39)) {
      throw ApiError.notFound("itemNotFound", "The resource could not be found.");
    }
  }

  private ApiResponse delete(ApiRequest request) {
    requireBefore236(request);
    images.images().delete(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.noContent();
  }

  /**
   * Nova's proxy filters: {@code name}, {@code status} (Nova's), {@code changes-since}, {@code
   * server} (an id or a link: the images snapshotted from it), {@code type} (snapshot or backup),
   * {@code minRam} and {@code minDisk} (at least).
   */
  private static boolean matches(ApiRequest request, Image image) {
    String name = request.query("name").orElse(null);
    if (name != null && !name.equals(image.name())) {
      return false;
    }
    String status = request.query("status").orElse(null);
    if (status != null && !status.equalsIgnoreCase(status(image.status()))) {
      return false;
    }
    String since = request.query("changes-since").orElse(null);
    if (since != null) {
      Instant t;
      try {
        t = java.time.OffsetDateTime.parse(since.matches(".*([Zz]|[+-]\\d\\d:?\\d\\d)$") ? since : since + "Z").toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        throw ApiError.badRequest("Invalid filter field: changes-since.");
      }
      if (image.updatedAt().isBefore(t.truncatedTo(ChronoUnit.SECONDS))) {
        return false;
      }
    }
    String server = request.query("server").orElse(null);
    if (server != null && !server.substring(server.lastIndexOf('/') + 1).equals(image.properties().get("instance_uuid"))) {
      return false;
    }
    String type = request.query("type").orElse(null);
    if (type != null && !type.equals(image.properties().get("image_type"))) {
      return false;
    }
    return atLeast(request.query("minRam").orElse(null), image.minRam())
        && atLeast(request.query("minDisk").orElse(null), image.minDisk());
  }

  private static boolean atLeast(String bound, int value) {
    if (bound == null) {
      return true;
    }
    try {
      return value >= Integer.parseInt(bound);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid filter value: " + bound);
    }
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    requireBefore236(request);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("images");
    java.util.List<Image> matching =
        images.images().list(request.caller().actor(), ImageQuery.all()).images().stream()
            .filter(i -> matches(request, i))
            .toList();
    String marker = request.query("marker").orElse(null);
    if (marker != null) {
      int at = matching.stream().map(Image::id).toList().indexOf(marker);
      if (at < 0) {
        throw ApiError.badRequest("marker [" + marker + "] not found");
      }
      matching = matching.subList(at + 1, matching.size());
    }
    String limit = request.query("limit").orElse(null);
    if (limit != null) {
      int n;
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("limit param must be an integer");
      }
      if (n < 0) {
        throw ApiError.badRequest("limit param must be positive");
      }
      matching = matching.subList(0, Math.min(n, matching.size()));
    }
    for (Image image : matching) {
      if (detail) {
        items.add(view(request, image));
      } else {
        items.addObject().put("id", image.id()).put("name", image.name()).set("links", Nova.links(request, "images", image.id()));
      }
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    requireBefore236(request);
    Image image = images.images().visible(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.ok(Json.wrap("image", view(request, image)));
  }

  /** From 2.36 the proxy is gone, as in Nova: use the Image service. */
  private static void requireBefore236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("itemNotFound", "The resource could not be found.");
    }
  }

  private static ObjectNode view(ApiRequest request, Image image) {
    ObjectNode o = Json.object();
    o.put("id", image.id());
    o.put("name", image.name());
    o.put("status", status(image.status()));
    o.put("progress", image.status() == ImageStatus.ACTIVE ? 100 : 0);
    o.put("minDisk", image.minDisk());
    o.put("minRam", image.minRam());
    o.put("created", iso(image.createdAt()));
    o.put("updated", iso(image.updatedAt()));
    ObjectNode metadata = o.putObject("metadata");
    image.properties().forEach(metadata::put);
    if (image.size() != null) {
      o.put("OS-EXT-IMG-SIZE:size", image.size());
    }
    o.set("links", Nova.links(request, "images", image.id()));
    return o;
  }

  /** Nova's image statuses: Glance's, upper case, with queued and saving shown as SAVING. */
  private static String status(ImageStatus status) {
    return switch (status) {
      case ACTIVE -> "ACTIVE";
      case QUEUED, SAVING, UPLOADING, IMPORTING -> "SAVING";
      case DELETED, PENDING_DELETE -> "DELETED";
      default -> "ERROR";
    };
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
