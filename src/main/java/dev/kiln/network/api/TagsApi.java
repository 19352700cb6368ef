package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code standard-attr-tag} sub-resource of every taggable collection: {@code
 * /v2.0/{collection}/{id}/tags[/{tag}]}. Each collection names the check that its resource is
 * visible to the caller (its own service's); the tags service checks the right to change them.
 */
final class TagsApi {
  /**
   * A taggable collection.
   *
   * @param path the collection's path segment ({@code security-groups})
   * @param kind the collection's name in the tags service ({@code security_groups})
   * @param visible fails as the resource's own show would when the caller may not see it
   */
  record Collection(String path, String kind, BiConsumer<Actor, String> visible) {}

  private final Tags tags;
  private final List<Collection> collections;

  TagsApi(Tags tags, List<Collection> collections) {
    this.tags = requireNonNull(tags, "tags is null");
    this.collections = List.copyOf(collections);
  }

  void register(ApiRoutes routes) {
    for (Collection c : collections) {
      String base = "/v2.0/" + c.path() + "/{resource_id}/tags";
      routes
          .get(base, Access.AUTHENTICATED, r -> list(r, c))
          .put(base, Access.AUTHENTICATED, r -> replace(r, c))
          .post(base, Access.AUTHENTICATED, r -> addAll(r, c))
          .delete(base, Access.AUTHENTICATED, r -> removeAll(r, c))
          .get(base + "/{tag}", Access.AUTHENTICATED, r -> show(r, c))
          .put(base + "/{tag}", Access.AUTHENTICATED, r -> add(r, c))
          .delete(base + "/{tag}", Access.AUTHENTICATED, r -> remove(r, c));
    }
  }

  private String visibleId(ApiRequest request, Collection c) {
    String id = request.pathParam("resource_id");
    c.visible().accept(request.caller().actor(), id);
    return id;
  }

  private ApiResponse list(ApiRequest request, Collection c) {
    return ApiResponse.ok(body(tags.of(visibleId(request, c))));
  }

  private ApiResponse show(ApiRequest request, Collection c) {
    String tag = request.pathParam("tag");
    if (!tags.of(visibleId(request, c)).contains(tag)) {
      throw ServiceException.notFound("TagNotFound", "Tag " + tag + " could not be found.");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse replace(ApiRequest request, Collection c) {
    List<String> given = given(request);
    String id = visibleId(request, c);
    return ApiResponse.ok(body(tags.replace(request.caller().actor(), c.kind(), id, given)));
  }

  private ApiResponse addAll(ApiRequest request, Collection c) {
    List<String> given = given(request);
    String id = visibleId(request, c);
    return ApiResponse.created(body(tags.addAll(request.caller().actor(), c.kind(), id, given)));
  }

  private ApiResponse add(ApiRequest request, Collection c) {
    String id = visibleId(request, c);
    tags.add(request.caller().actor(), c.kind(), id, request.pathParam("tag"));
    return ApiResponse.status(201, null);
  }

  private ApiResponse remove(ApiRequest request, Collection c) {
    String id = visibleId(request, c);
    tags.remove(request.caller().actor(), c.kind(), id, request.pathParam("tag"));
    return ApiResponse.noContent();
  }

  private ApiResponse removeAll(ApiRequest request, Collection c) {
    String id = visibleId(request, c);
    tags.removeAll(request.caller().actor(), c.kind(), id);
    return ApiResponse.noContent();
  }

  /** {@code {"tags": [...]}}, each a string. */
  private static List<String> given(ApiRequest request) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("tags");
    List<String> out = new ArrayList<>();
    for (var item : in.array("tags")) {
      if (!item.isTextual()) {
        throw in.invalid("tags", "expected a list of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  private static ObjectNode body(List<String> tagList) {
    ObjectNode body = Json.object();
    var array = body.putArray("tags");
    tagList.forEach(array::add);
    return body;
  }
}
