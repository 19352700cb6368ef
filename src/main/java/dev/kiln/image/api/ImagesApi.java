package dev.kiln.image.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.image.Image;
import dev.kiln.image.ImageChange;
import dev.kiln.image.ImageData;
import dev.kiln.image.Images;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code /v2/images}: images, their data, tags and the deactivate/reactivate actions. */
final class ImagesApi {
  private static final String PATCH_V20 = "application/openstack-images-v2.0-json-patch";
  private static final String PATCH_V21 = "application/openstack-images-v2.1-json-patch";
  private static final String OCTET_STREAM = "application/octet-stream";
  private static final Pattern ADJACENT_SLASHES = Pattern.compile("/\\s*?/");
  private static final Pattern BAD_TILDE = Pattern.compile("~[^01]");

  private final Images images;

  ImagesApi(Images images) {
    this.images = requireNonNull(images, "images is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get("/v2/schemas/image", Access.AUTHENTICATED, request -> ApiResponse.ok(ImageSchemas.image()))
        .get("/v2/schemas/images", Access.AUTHENTICATED, request -> ApiResponse.ok(ImageSchemas.images()))
        .get("/v2/images", Access.AUTHENTICATED, this::list)
        .post("/v2/images", Access.AUTHENTICATED, this::create)
        .put("/v2/images", Access.AUTHENTICATED, request -> notAllowed("GET, POST"))
        .delete("/v2/images", Access.AUTHENTICATED, this::deleteCollection)
        .get("/v2/images/{image_id}", Access.AUTHENTICATED, this::show)
        .patch("/v2/images/{image_id}", Access.AUTHENTICATED, this::update)
        .delete("/v2/images/{image_id}", Access.AUTHENTICATED, this::delete)
        .post("/v2/images/{image_id}", Access.AUTHENTICATED, request -> notAllowed("GET, PATCH, DELETE"))
        .put("/v2/images/{image_id}", Access.AUTHENTICATED, request -> notAllowed("GET, PATCH, DELETE"))
        .put("/v2/images/{image_id}/file", Access.AUTHENTICATED, this::upload)
        .get("/v2/images/{image_id}/file", Access.AUTHENTICATED, this::download)
        .post("/v2/images/{image_id}/actions/deactivate", Access.AUTHENTICATED, this::deactivate)
        .post("/v2/images/{image_id}/actions/reactivate", Access.AUTHENTICATED, this::reactivate)
        .put("/v2/images/{image_id}/tags/{tag}", Access.AUTHENTICATED, this::addTag)
        .delete("/v2/images/{image_id}/tags/{tag}", Access.AUTHENTICATED, this::removeTag);
  }

  private static ApiResponse notAllowed(String allowed) {
    throw ApiError.methodNotAllowed("The method is not allowed for this resource; allowed: " + allowed + ".");
  }

  /** {@code /v2/images/} is an image with an empty id to Glance: not found. */
  private static ApiResponse emptyId() {
    throw ApiError.notFound("HTTPNotFound", "The resource could not be found.");
  }

  private ApiResponse deleteCollection(ApiRequest request) {
    if (request.hasTrailingSlash()) {
      return emptyId();
    }
    return notAllowed("GET, POST");
  }

  private ApiResponse list(ApiRequest request) {
    if (request.hasTrailingSlash()) {
      return emptyId();
    }
    Images.Page page = images.list(request.caller().actor(), ImageListQuery.parse(request));
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("images");
    page.images().forEach(image -> list.add(ImageViews.image(image)));
    Map<String, String> links = ImageListQuery.links(request, page.nextMarker());
    body.put("first", links.get("first"));
    body.put("schema", "/v2/schemas/images");
    if (links.containsKey("next")) {
      body.put("next", links.get("next"));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    JsonNode body = request.body();
    if (!body.isObject()) {
      throw ApiError.badRequest("InvalidObject", "Provided object does not match schema 'image': "
          + body + " is not of type 'object'");
    }
    Map<String, Object> members = new LinkedHashMap<>();
    body.properties().forEach(e -> members.put(e.getKey(), plain(e.getValue())));
    Image image = images.create(request.caller().actor(), members);
    return ApiResponse.created(ImageViews.image(image))
        .withHeader("Location", request.baseUrl() + ImageApi.PREFIX + ImageViews.href(image));
  }

  private ApiResponse show(ApiRequest request) {
    Image image = images.visible(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.ok(ImageViews.image(image));
  }

  private ApiResponse update(ApiRequest request) {
    String contentType = mediaType(request);
    if (!PATCH_V20.equals(contentType) && !PATCH_V21.equals(contentType)) {
      throw ApiError.unsupportedMediaType(
          "Image PATCH expects Content-Type one of: " + PATCH_V20 + ", " + PATCH_V21);
    }
    List<ImageChange> changes = changes(request.body(), PATCH_V21.equals(contentType));
    Image image = images.update(request.caller().actor(), request.pathParam("image_id"), changes);
    return ApiResponse.ok(ImageViews.image(image));
  }

  private ApiResponse delete(ApiRequest request) {
    images.delete(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse upload(ApiRequest request) {
    String contentType = mediaType(request);
    if (!OCTET_STREAM.equals(contentType)) {
      throw ApiError.unsupportedMediaType("Invalid content type " + (contentType == null ? "None" : contentType));
    }
    long declared = -1;
    Optional<String> length = request.header("Content-Length");
    if (length.isPresent()) {
      try {
        declared = Long.parseLong(length.get().trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("Invalid Content-Length: " + length.get());
      }
    }
    InputStream data = request.hasBody() ? request.bodyStream() : InputStream.nullInputStream();
    images.upload(request.caller().actor(), request.pathParam("image_id"), data, declared);
    return ApiResponse.noContent();
  }

  private ApiResponse download(ApiRequest request) {
    Optional<ImageData> data = images.download(request.caller().actor(), request.pathParam("image_id"));
    if (data.isEmpty()) {
      return ApiResponse.noContent();
    }
    ImageData d = data.get();
    ApiResponse answer = ApiResponse.stream(OCTET_STREAM, d.length(), d.data());
    return d.image().checksum() == null ? answer : answer.withHeader("Content-MD5", d.image().checksum());
  }

  private ApiResponse deactivate(ApiRequest request) {
    images.deactivate(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse reactivate(ApiRequest request) {
    images.reactivate(request.caller().actor(), request.pathParam("image_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse addTag(ApiRequest request) {
    Actor actor = request.caller().actor();
    images.addTag(actor, request.pathParam("image_id"), request.pathParam("tag"));
    return ApiResponse.noContent();
  }

  private ApiResponse removeTag(ApiRequest request) {
    images.removeTag(request.caller().actor(), request.pathParam("image_id"), request.pathParam("tag"));
    return ApiResponse.noContent();
  }

  /** The request's media type without parameters, lower-case; null when there is none. */
  private static String mediaType(ApiRequest request) {
    return request
        .header("Content-Type")
        .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .orElse(null);
  }

  /**
   * Reads a JSON-patch body: v2.1 ({@code {"op": "replace", "path": "/name", "value": …}}) or the
   * older v2.0 form ({@code {"replace": "/name", "value": …}}), on top-level attributes only.
   */
  private static List<ImageChange> changes(JsonNode body, boolean draft10) {
    if (!body.isArray()) {
      throw ApiError.badRequest("Request body must be a JSON array of operation objects.");
    }
    List<ImageChange> changes = new ArrayList<>();
    for (JsonNode raw : body) {
      if (!raw.isObject()) {
        throw ApiError.badRequest("Operations must be JSON objects.");
      }
      String op;
      JsonNode path;
      if (draft10) {
        JsonNode rawOp = raw.get("op");
        if (rawOp == null || rawOp.isNull()) {
          throw ApiError.badRequest(
              "Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.");
        }
        op = rawOp.asText();
        if (!List.of("add", "remove", "replace").contains(op)) {
          throw ApiError.badRequest(
              "Invalid operation: `" + op + "`. It must be one of the following: add, remove, replace.");
        }
        path = raw.get("path");
        if (path == null) {
          throw ApiError.badRequest("Unable to find 'path' in JSON Schema change");
        }
      } else {
        op = null;
        for (String candidate : List.of("add", "remove", "replace")) {
          if (raw.has(candidate)) {
            if (op != null) {
              throw ApiError.badRequest(
                  "Operation objects must contain only one member named \"add\", \"remove\", or \"replace\".");
            }
            op = candidate;
          }
        }
        if (op == null) {
          throw ApiError.badRequest(
              "Operation objects must contain exactly one member named \"add\", \"remove\", or \"replace\".");
        }
        path = raw.get(op);
      }
      if (!path.isTextual()) {
        throw ApiError.badRequest("Pointer `" + path + "` does not start with \"/\".");
      }
      List<String> pointer = decodePointer(path.textValue());
      int depth = pointer.getFirst().equals("locations") && !op.equals("replace") ? 2 : 1;
      if (pointer.size() != depth) {
        throw ApiError.badRequest("Invalid JSON pointer for this resource: '/" + String.join("/", pointer) + "'");
      }
      Object value = null;
      if (!op.equals("remove")) {
        if (!raw.has("value")) {
          throw ApiError.badRequest("Operation \"" + op + "\" requires a member named \"value\".");
        }
        value = plain(raw.get("value"));
      }
      changes.add(new ImageChange(ImageChange.Op.valueOf(op.toUpperCase(Locale.ROOT)), pointer.getFirst(), value));
    }
    return changes;
  }

  private static List<String> decodePointer(String pointer) {
    if (!pointer.startsWith("/")) {
      throw ApiError.badRequest("Pointer `" + pointer + "` does not start with \"/\".");
    }
    if (ADJACENT_SLASHES.matcher(pointer.substring(1)).find()) {
      throw ApiError.badRequest("Pointer `" + pointer + "` contains adjacent \"/\".");
    }
    if (pointer.length() > 1 && pointer.endsWith("/")) {
      throw ApiError.badRequest("Pointer `" + pointer + "` end with \"/\".");
    }
    if (pointer.substring(1).strip().equals("/") || pointer.substring(1).isBlank()) {
      throw ApiError.badRequest("Pointer `" + pointer + "` does not contains valid token.");
    }
    if (BAD_TILDE.matcher(pointer).find() || pointer.endsWith("~")) {
      throw ApiError.badRequest("Pointer `" + pointer + "` contains \"~\" not part of a recognized escape sequence.");
    }
    List<String> parts = new ArrayList<>();
    for (String part : pointer.substring(1).split("/", -1)) {
      parts.add(part.replace("~1", "/").replace("~0", "~").strip());
    }
    return parts;
  }

  /** A JSON value as plain Java: String, Boolean, Integer/Long/BigInteger, Double, List, Map, null. */
  private static Object plain(JsonNode value) {
    return Json.MAPPER.convertValue(value, Object.class);
  }
}
