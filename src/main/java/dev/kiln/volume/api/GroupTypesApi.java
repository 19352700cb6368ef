package dev.kiln.volume.api;

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
import dev.kiln.http.JsonInput;
import dev.kiln.http.PageRequest;
import dev.kiln.volume.GroupType;
import dev.kiln.volume.GroupTypes;
import java.util.List;
import java.util.Map;

/**
 * {@code /v3/{project_id}/group_types}: group types and their group specs, from microversion
 * 3.11 (before it Cinder has no such resource: 404). Group specs are shown to admins only, as
 * Cinder's {@code group:access_group_types_specs} policy has it.
 */
final class GroupTypesApi {
  private static final String TYPES = "/v3/{project_id}/group_types";
  private static final String TYPE = TYPES + "/{group_type_id}";
  private static final String SPECS = TYPE + "/group_specs";

  private final GroupTypes types;

  GroupTypesApi(GroupTypes types) {
    this.types = requireNonNull(types, "types is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(TYPES, Access.AUTHENTICATED, this::list)
        .post(TYPES, Access.AUTHENTICATED, this::create)
        .get(TYPE, Access.AUTHENTICATED, this::show)
        .put(TYPE, Access.AUTHENTICATED, this::update)
        .delete(TYPE, Access.AUTHENTICATED, this::delete)
        .get(SPECS, Access.AUTHENTICATED, this::listSpecs)
        .post(SPECS, Access.AUTHENTICATED, this::setSpecs)
        .get(SPECS + "/{key}", Access.AUTHENTICATED, this::showSpec)
        .put(SPECS + "/{key}", Access.AUTHENTICATED, this::updateSpec)
        .delete(SPECS + "/{key}", Access.AUTHENTICATED, this::deleteSpec);
  }

  /** The project of the URL, once the request is known to be at 3.11 or later. */
  private static String project(ApiRequest request) {
    if (!request.microversion().atLeast(3, 11)) {
      throw ApiError.notFound(
          "VersionNotFoundForAPIMethod", "API version " + request.microversion() + " is not supported on this method.");
    }
    return CinderProject.of(request);
  }

  private ApiResponse list(ApiRequest request) {
    String project = project(request);
    Actor actor = request.caller().actor();
    List<GroupType> all = types.list(actor, TypeInput.isPublicFilter(request), TypeInput.sorts(request));
    int offset = TypeInput.offset(request);
    List<GroupType> rest = offset >= all.size() ? List.of() : all.subList(offset, all.size());
    PageRequest.Page<GroupType> page = PageRequest.from(request).apply(rest, GroupType::id);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("group_types");
    page.items().forEach(t -> items.add(view(actor, t)));
    ArrayNode links = page.links(request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/group_types");
    if (!links.isEmpty()) {
      body.set("group_type_links", links);
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    project(request);
    JsonInput.root(request.body()).allowOnly("group_type");
    JsonInput in = JsonInput.wrapped(request.body(), "group_type");
    in.allowOnly("name", "description", "group_specs", "is_public");
    String name = in.nonBlankString("name", 255);
    String description = TypeInput.description(in);
    Map<String, String> specs =
        in.has("group_specs") && !in.isNull("group_specs")
            ? TypeInput.specs(in, "group_specs", in.raw("group_specs"), TypeInput.CREATE_KEY)
            : Map.of();
    boolean isPublic = TypeInput.bool(in, "is_public").orElse(true);
    Actor actor = request.caller().actor();
    GroupType made = types.create(actor, name, description, isPublic, specs);
    return ApiResponse.status(202, Json.wrap("group_type", view(actor, made)));
  }

  private ApiResponse show(ApiRequest request) {
    project(request);
    Actor actor = request.caller().actor();
    String id = request.pathParam("group_type_id");
    if (id.equals("default")) {
      // Kiln configures no default group type (Cinder's default_group_type is unset by default).
      throw ApiError.notFound("GroupTypeNotFound", "Default group type can not be found.");
    }
    return ApiResponse.ok(Json.wrap("group_type", view(actor, types.show(actor, id))));
  }

  private ApiResponse update(ApiRequest request) {
    project(request);
    JsonInput.root(request.body()).allowOnly("group_type");
    JsonInput in = JsonInput.wrapped(request.body(), "group_type");
    in.allowOnly("name", "description", "is_public");
    String name = in.optionalString("name").orElse(null);
    if (name != null && (name.strip().isEmpty() || name.length() > 255)) {
      throw ApiError.badRequest("Group type name can not be empty.");
    }
    String description = TypeInput.description(in);
    Boolean isPublic = TypeInput.bool(in, "is_public").orElse(null);
    if (name == null && description == null && isPublic == null) {
      throw ApiError.badRequest("Specify group type name, description or a combination thereof.");
    }
    Actor actor = request.caller().actor();
    GroupType changed = types.update(actor, request.pathParam("group_type_id"), name, description, isPublic);
    return ApiResponse.ok(Json.wrap("group_type", view(actor, changed)));
  }

  private ApiResponse delete(ApiRequest request) {
    project(request);
    types.delete(request.caller().actor(), request.pathParam("group_type_id"));
    return ApiResponse.status(202, null);
  }

  private ApiResponse listSpecs(ApiRequest request) {
    project(request);
    Map<String, String> specs = types.specs(request.caller().actor(), request.pathParam("group_type_id"));
    return ApiResponse.ok(Json.wrap("group_specs", specsNode(specs)));
  }

  /** Cinder answers the body it was sent. */
  private ApiResponse setSpecs(ApiRequest request) {
    project(request);
    JsonInput in = JsonInput.root(request.body()).allowOnly("group_specs");
    Map<String, String> specs = TypeInput.specs(in, "group_specs", in.raw("group_specs"), TypeInput.SPEC_KEY);
    types.setSpecs(request.caller().actor(), request.pathParam("group_type_id"), specs);
    return ApiResponse.status(202, Json.wrap("group_specs", specsNode(specs)));
  }

  private ApiResponse showSpec(ApiRequest request) {
    project(request);
    String key = request.pathParam("key");
    ObjectNode body = Json.object();
    body.put(key, types.spec(request.caller().actor(), request.pathParam("group_type_id"), key));
    return ApiResponse.ok(body);
  }

  private ApiResponse updateSpec(ApiRequest request) {
    project(request);
    String key = request.pathParam("key");
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest(
          "SchemaValidationError",
          "Invalid input: the body must be a JSON object with exactly one group spec, {\"" + key + "\": \"value\"}.");
    }
    Map<String, String> specs = TypeInput.specs(JsonInput.root(body), "", body, TypeInput.SPEC_KEY);
    if (!specs.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    types.setSpecs(request.caller().actor(), request.pathParam("group_type_id"), specs);
    return ApiResponse.ok(specsNode(specs));
  }

  private ApiResponse deleteSpec(ApiRequest request) {
    project(request);
    types.deleteSpec(request.caller().actor(), request.pathParam("group_type_id"), request.pathParam("key"));
    return ApiResponse.status(202, null);
  }

  private static ObjectNode view(Actor actor, GroupType t) {
    ObjectNode o = Json.object();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("description", t.description());
    o.put("is_public", t.isPublic());
    if (actor.admin()) {
      o.set("group_specs", specsNode(t.groupSpecs()));
    }
    return o;
  }

  private static ObjectNode specsNode(Map<String, String> specs) {
    ObjectNode o = Json.object();
    specs.forEach(o::put);
    return o;
  }
}
