package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.servers.ServerTags;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.ArrayList;
import java.util.List;

/** {@code /servers/{id}/tags} (2.26): list, replace, delete all, and one tag's check, add, delete. */
final class ServerTagsApi {
  private static final String TAGS = "/v2.1/servers/{server_id}/tags";
  private static final String TAG = TAGS + "/{tag}";

  private final ServerTags tags;

  ServerTagsApi(ServerTags tags) {
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(TAGS, Access.AUTHENTICATED, this::list)
        .put(TAGS, Access.AUTHENTICATED, this::replace)
        .delete(TAGS, Access.AUTHENTICATED, this::clear)
        .get(TAG, Access.AUTHENTICATED, this::check)
        .put(TAG, Access.AUTHENTICATED, this::add)
        .delete(TAG, Access.AUTHENTICATED, this::remove);
  }

  private ApiResponse list(ApiRequest request) {
    since226(request);
    return ApiResponse.ok(body(tags.list(request.caller().actor(), request.pathParam("server_id"))));
  }

  private ApiResponse replace(ApiRequest request) {
    since226(request);
    JsonNode root = request.body();
    if (!root.isObject() || !root.path("tags").isArray()) {
      throw Nova.invalid("", root, "'tags' is a required property");
    }
    if (root.size() != 1) {
      throw Nova.invalid("", root, "Additional properties are not allowed");
    }
    List<String> given = new ArrayList<>();
    for (JsonNode t : root.get("tags")) {
      given.add(tag("tags", t));
    }
    if (given.size() > ServerTags.MAX_TAGS) {
      throw Nova.invalid("tags", root.get("tags"), "is too long");
    }
    return ApiResponse.ok(body(tags.replace(request.caller().actor(), request.pathParam("server_id"), given)));
  }

  private ApiResponse clear(ApiRequest request) {
    since226(request);
    tags.clear(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.noContent();
  }

  private ApiResponse check(ApiRequest request) {
    since226(request);
    String tag = request.pathParam("tag");
    if (!tags.has(request.caller().actor(), request.pathParam("server_id"), tag)) {
      throw ApiError.notFound("itemNotFound", "Tag " + tag + " could not be found for instance " + request.pathParam("server_id") + ".");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse add(ApiRequest request) {
    since226(request);
    String id = request.pathParam("server_id");
    String tag = tag("tag", Json.object().textNode(request.pathParam("tag")));
    if (tags.add(request.caller().actor(), id, tag)) {
      return ApiResponse.created(null)
          .withHeader("Location", request.baseUrl() + ComputeApi.PREFIX + "/v2.1/servers/" + id + "/tags/" + tag);
    }
    return ApiResponse.noContent();
  }

  private ApiResponse remove(ApiRequest request) {
    since226(request);
    tags.remove(request.caller().actor(), request.pathParam("server_id"), request.pathParam("tag"));
    return ApiResponse.noContent();
  }

  /** Nova's tag: 1 to 60 characters, no '/' and no ','. */
  static String tag(String path, JsonNode value) {
    if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > 60
        || value.textValue().contains("/") || value.textValue().contains(",")) {
      throw Nova.invalid(path, value, "must be a string of 1 to 60 characters without '/' or ','");
    }
    return value.textValue();
  }

  private static ObjectNode body(List<String> tags) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("tags");
    tags.forEach(list::add);
    return body;
  }

  private static void since226(ApiRequest request) {
    if (!Nova.atLeast(request, 26)) {
      throw ApiError.notFound("itemNotFound", "The resource could not be found.");
    }
  }
}
