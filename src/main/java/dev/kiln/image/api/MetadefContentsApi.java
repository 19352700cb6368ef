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
import dev.kiln.image.metadef.MetadefContents;
import dev.kiln.image.metadef.MetadefObject;
import dev.kiln.image.metadef.MetadefTag;
import java.util.ArrayList;
import java.util.List;

/** {@code /v2/metadefs/namespaces/{namespace}/objects|properties|tags}: what a namespace defines. */
final class MetadefContentsApi {
  private static final String NS = MetadefViews.NAMESPACES + "/{namespace}";

  private final MetadefContents contents;

  MetadefContentsApi(MetadefContents contents) {
    this.contents = requireNonNull(contents, "contents is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(NS + "/objects", Access.AUTHENTICATED, this::objects)
        .post(NS + "/objects", Access.AUTHENTICATED, this::createObject)
        .delete(NS + "/objects", Access.AUTHENTICATED, r -> done(() -> contents.deleteObjects(actor(r), ns(r))))
        .get(NS + "/objects/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.ok(MetadefViews.object(ns(r), contents.object(actor(r), ns(r), r.pathParam("name")))))
        .put(NS + "/objects/{name}", Access.AUTHENTICATED, this::updateObject)
        .delete(NS + "/objects/{name}", Access.AUTHENTICATED,
            r -> done(() -> contents.deleteObject(actor(r), ns(r), r.pathParam("name"))))
        .get(NS + "/properties", Access.AUTHENTICATED, this::properties)
        .post(NS + "/properties", Access.AUTHENTICATED,
            r -> ApiResponse.created(MetadefViews.property(
                contents.createProperty(actor(r), ns(r), MetadefBodies.property(null, r.body())))))
        .delete(NS + "/properties", Access.AUTHENTICATED, r -> done(() -> contents.deleteProperties(actor(r), ns(r))))
        .get(NS + "/properties/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.ok(MetadefViews.property(contents.property(actor(r), ns(r), r.pathParam("name")))))
        .put(NS + "/properties/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.ok(MetadefViews.property(contents.updateProperty(
                actor(r), ns(r), r.pathParam("name"), MetadefBodies.property(null, r.body())))))
        .delete(NS + "/properties/{name}", Access.AUTHENTICATED,
            r -> done(() -> contents.deleteProperty(actor(r), ns(r), r.pathParam("name"))))
        .get(NS + "/tags", Access.AUTHENTICATED, this::tags)
        .post(NS + "/tags", Access.AUTHENTICATED, this::createTags)
        .delete(NS + "/tags", Access.AUTHENTICATED, r -> done(() -> contents.deleteTags(actor(r), ns(r))))
        .get(NS + "/tags/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.ok(MetadefViews.tag(contents.tag(actor(r), ns(r), r.pathParam("name")))))
        .post(NS + "/tags/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.created(MetadefViews.tag(contents.createTag(actor(r), ns(r), r.pathParam("name")))))
        .put(NS + "/tags/{name}", Access.AUTHENTICATED,
            r -> ApiResponse.ok(MetadefViews.tag(contents.renameTag(
                actor(r), ns(r), r.pathParam("name"), MetadefBodies.tagName(r.body())))))
        .delete(NS + "/tags/{name}", Access.AUTHENTICATED,
            r -> done(() -> contents.deleteTag(actor(r), ns(r), r.pathParam("name"))));
  }

  private static Actor actor(ApiRequest request) {
    return request.caller().actor();
  }

  private static String ns(ApiRequest request) {
    return request.pathParam("namespace");
  }

  private static ApiResponse done(Runnable change) {
    change.run();
    return ApiResponse.noContent();
  }

  private ApiResponse objects(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("objects");
    contents.objects(actor(request), ns(request)).forEach(o -> list.add(MetadefViews.object(ns(request), o)));
    // Without the leading slash, exactly as Glance answers it.
    body.put("schema", "v2/schemas/metadefs/objects");
    return ApiResponse.ok(body);
  }

  private ApiResponse createObject(ApiRequest request) {
    MetadefObject made = contents.createObject(actor(request), ns(request), MetadefBodies.object(request.body()));
    return ApiResponse.created(MetadefViews.object(ns(request), made))
        .withHeader("Location", MetadefViews.NAMESPACES + "/" + ns(request) + "/objects/" + made.name());
  }

  private ApiResponse updateObject(ApiRequest request) {
    MetadefObject updated =
        contents.updateObject(actor(request), ns(request), request.pathParam("name"), MetadefBodies.object(request.body()));
    return ApiResponse.ok(MetadefViews.object(ns(request), updated));
  }

  private ApiResponse properties(ApiRequest request) {
    ObjectNode body = Json.object();
    body.set("properties", MetadefViews.properties(contents.properties(actor(request), ns(request))));
    return ApiResponse.ok(body);
  }

  private ApiResponse tags(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("tags");
    contents.tags(actor(request), ns(request)).forEach(t -> list.add(MetadefViews.tag(t)));
    return ApiResponse.ok(body);
  }

  /** {@code {"tags": [{"name": …}, …]}}: replaces the tags, or adds to them with X-Openstack-Append: true. */
  private ApiResponse createTags(ApiRequest request) {
    JsonNode body = request.body();
    if (!body.isObject() || !body.path("tags").isArray()) {
      throw ApiError.badRequest("The body must be {\"tags\": [{\"name\": \"...\"}, ...]}.");
    }
    List<String> names = new ArrayList<>();
    body.get("tags").forEach(t -> names.add(MetadefBodies.tagName(t)));
    boolean append = request.header("X-Openstack-Append").map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    List<MetadefTag> made = contents.createTags(actor(request), ns(request), names, append);
    ObjectNode answer = Json.object();
    ArrayNode list = answer.putArray("tags");
    made.forEach(t -> list.addObject().put("name", t.name()));
    return ApiResponse.created(answer);
  }
}
