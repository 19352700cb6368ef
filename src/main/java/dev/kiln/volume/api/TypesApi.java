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
import dev.kiln.volume.VolumeType;
import dev.kiln.volume.VolumeTypeAccess;
import dev.kiln.volume.VolumeTypes;
import java.util.List;
import java.util.Map;

/** {@code /v3/{project_id}/types}: volume types and their extra specs. */
final class TypesApi {
  private static final String TYPES = "/v3/{project_id}/types";
  private static final String TYPE = TYPES + "/{type_id}";
  private static final String SPECS = TYPE + "/extra_specs";

  private final VolumeTypes types;
  private final VolumeTypeAccess access;

  TypesApi(VolumeTypes types, VolumeTypeAccess access) {
    this.types = requireNonNull(types, "types is null");
    this.access = requireNonNull(access, "access is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(TYPES, Access.AUTHENTICATED, this::list)
        .post(TYPES, Access.AUTHENTICATED, this::create)
        // Before {type_id}, which would otherwise take "default" for an id.
        .get(TYPES + "/default", Access.AUTHENTICATED, this::showDefault)
        .get(TYPE, Access.AUTHENTICATED, this::show)
        .put(TYPE, Access.AUTHENTICATED, this::update)
        .delete(TYPE, Access.AUTHENTICATED, this::delete)
        .post(TYPE + "/action", Access.AUTHENTICATED, this::act)
        .get(TYPE + "/os-volume-type-access", Access.AUTHENTICATED, this::listAccess)
        .get(SPECS, Access.AUTHENTICATED, this::listSpecs)
        .post(SPECS, Access.AUTHENTICATED, this::setSpecs)
        .get(SPECS + "/{key}", Access.AUTHENTICATED, this::showSpec)
        .put(SPECS + "/{key}", Access.AUTHENTICATED, this::updateSpec)
        .delete(SPECS + "/{key}", Access.AUTHENTICATED, this::deleteSpec);
  }

  // Types

  private ApiResponse list(ApiRequest request) {
    String project = CinderProject.of(request);
    Actor actor = request.caller().actor();
    List<VolumeType> all = types.list(actor, TypeInput.isPublicFilter(request), TypeInput.sorts(request));
    int offset = TypeInput.offset(request);
    List<VolumeType> rest = offset >= all.size() ? List.of() : all.subList(offset, all.size());
    PageRequest.Page<VolumeType> page = PageRequest.from(request).apply(rest, VolumeType::id);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("volume_types");
    page.items().forEach(t -> items.add(view(actor, t)));
    ArrayNode links = page.links(request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/types");
    if (!links.isEmpty()) {
      body.set("volume_type_links", links);
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "volume_type");
    in.allowOnly("name", "description", "extra_specs", "os-volume-type-access:is_public");
    String name = in.nonBlankString("name", 255);
    String description = TypeInput.description(in);
    Map<String, String> specs =
        in.has("extra_specs") && !in.isNull("extra_specs")
            ? TypeInput.specs(in, "extra_specs", in.raw("extra_specs"), TypeInput.CREATE_KEY)
            : Map.of();
    boolean isPublic = TypeInput.bool(in, "os-volume-type-access:is_public").orElse(true);
    Actor actor = request.caller().actor();
    VolumeType type = types.create(actor, new VolumeTypes.Spec(name, description, isPublic, specs));
    ObjectNode view = legacyView(type);
    view.put("os-volume-type-access:is_public", type.isPublic());
    return ApiResponse.ok(Json.wrap("volume_type", view));
  }

  private ApiResponse showDefault(ApiRequest request) {
    CinderProject.of(request);
    Actor actor = request.caller().actor();
    return ApiResponse.ok(Json.wrap("volume_type", view(actor, types.showDefault(actor))));
  }

  private ApiResponse show(ApiRequest request) {
    CinderProject.of(request);
    Actor actor = request.caller().actor();
    VolumeType type = types.show(actor, request.pathParam("type_id"));
    return ApiResponse.ok(Json.wrap("volume_type", view(actor, type)));
  }

  private ApiResponse update(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "volume_type");
    in.allowOnly("name", "description", "is_public");
    String name = in.optionalString("name").orElse(null);
    if (name != null && (name.isEmpty() || name.length() > 255)) {
      throw in.invalid("name", "must be 1 to 255 characters long");
    }
    String description = TypeInput.description(in);
    Boolean isPublic = TypeInput.bool(in, "is_public").orElse(null);
    Actor actor = request.caller().actor();
    VolumeType type =
        types.update(actor, request.pathParam("type_id"), new VolumeTypes.Changes(name, description, isPublic));
    return ApiResponse.ok(Json.wrap("volume_type", legacyView(type)));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    types.delete(request.caller().actor(), request.pathParam("type_id"));
    return ApiResponse.status(202, null);
  }

  // Type access

  /** addProjectAccess and removeProjectAccess, each naming one project. */
  private ApiResponse act(ApiRequest request) {
    CinderProject.of(request);
    JsonInput body = JsonInput.root(request.body()).allowOnly("addProjectAccess", "removeProjectAccess");
    boolean add = body.has("addProjectAccess");
    if (add == body.has("removeProjectAccess")) {
      throw ApiError.badRequest("Name exactly one action: addProjectAccess or removeProjectAccess.");
    }
    JsonInput in = body.object(add ? "addProjectAccess" : "removeProjectAccess");
    in.allowOnly("project");
    String project = in.string("project");
    if (project.isEmpty() || project.length() > 255) {
      throw in.invalid("project", "must be 1 to 255 characters long");
    }
    Actor actor = request.caller().actor();
    if (add) {
      access.add(actor, request.pathParam("type_id"), project);
    } else {
      access.remove(actor, request.pathParam("type_id"), project);
    }
    return ApiResponse.status(202, null);
  }

  private ApiResponse listAccess(ApiRequest request) {
    CinderProject.of(request);
    String typeId = request.pathParam("type_id");
    ArrayNode list = Json.array();
    for (String project : access.projects(request.caller().actor(), typeId)) {
      list.addObject().put("volume_type_id", typeId).put("project_id", project);
    }
    return ApiResponse.ok(Json.wrap("volume_type_access", list));
  }

  // Extra specs

  private ApiResponse listSpecs(ApiRequest request) {
    CinderProject.of(request);
    Map<String, String> specs = types.extraSpecs(request.caller().actor(), request.pathParam("type_id"));
    return ApiResponse.ok(Json.wrap("extra_specs", specsNode(specs)));
  }

  private ApiResponse setSpecs(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body()).allowOnly("extra_specs");
    Map<String, String> specs = TypeInput.specs(in, "extra_specs", in.raw("extra_specs"), TypeInput.SPEC_KEY);
    Map<String, String> set = types.setExtraSpecs(request.caller().actor(), request.pathParam("type_id"), specs);
    return ApiResponse.ok(Json.wrap("extra_specs", specsNode(set)));
  }

  private ApiResponse showSpec(ApiRequest request) {
    CinderProject.of(request);
    String key = request.pathParam("key");
    String value = types.extraSpec(request.caller().actor(), request.pathParam("type_id"), key);
    ObjectNode body = Json.object();
    body.put(key, value);
    return ApiResponse.ok(body);
  }

  private ApiResponse updateSpec(ApiRequest request) {
    CinderProject.of(request);
    String key = request.pathParam("key");
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest(
          "SchemaValidationError",
          "Invalid input: the body must be a JSON object with exactly one extra spec, {\"" + key + "\": \"value\"}.");
    }
    Map<String, String> specs = TypeInput.specs(JsonInput.root(body), "", body, TypeInput.SPEC_KEY);
    if (!specs.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    types.setExtraSpecs(request.caller().actor(), request.pathParam("type_id"), specs);
    ObjectNode answer = Json.object();
    answer.put(key, specs.get(key));
    return ApiResponse.ok(answer);
  }

  private ApiResponse deleteSpec(ApiRequest request) {
    CinderProject.of(request);
    types.deleteExtraSpec(request.caller().actor(), request.pathParam("type_id"), request.pathParam("key"));
    return ApiResponse.status(202, null);
  }

  // Views

  /**
   * A type as Cinder's types_manage answers a create or an update: its legacy view, without the
   * QoS specs id. The create adds the type-access flag (that extension extends create, show and
   * list, not update).
   */
  private static ObjectNode legacyView(VolumeType type) {
    ObjectNode o = Json.object();
    o.put("id", type.id());
    o.put("name", type.name());
    o.put("is_public", type.isPublic());
    o.set("extra_specs", specsNode(type.extraSpecs()));
    o.put("description", type.description());
    return o;
  }

  /**
   * A type as Cinder shows and lists it: extra specs to everyone (the operator's own only to
   * admins, which the service already did), the QoS specs id only to admins.
   */
  private static ObjectNode view(Actor actor, VolumeType type) {
    ObjectNode o = Json.object();
    o.put("id", type.id());
    o.put("name", type.name());
    o.put("is_public", type.isPublic());
    o.put("description", type.description());
    o.set("extra_specs", specsNode(type.extraSpecs()));
    if (actor.admin()) {
      o.put("qos_specs_id", type.qosSpecsId());
    }
    o.put("os-volume-type-access:is_public", type.isPublic());
    return o;
  }

  private static ObjectNode specsNode(Map<String, String> specs) {
    ObjectNode o = Json.object();
    specs.forEach(o::put);
    return o;
  }
}
