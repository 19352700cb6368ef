package dev.kiln.network.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.network.Tags;
import dev.kiln.network.Trunk;
import dev.kiln.network.Trunks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v2.0/trunks}: trunks, and {@code add_subports}, {@code remove_subports} and
 * {@code get_subports}.
 */
final class TrunksApi {
  private static final String TRUNKS = "/v2.0/trunks";

  static final Set<String> ATTRIBUTES =
      Set.of(
          "id", "name", "description", "tenant_id", "project_id", "admin_state_up", "port_id", "status",
          "sub_ports", "tags", "created_at", "updated_at", "revision_number");

  private final Trunks trunks;
  private final Tags tags;

  TrunksApi(Trunks trunks, Tags tags) {
    this.trunks = requireNonNull(trunks, "trunks is null");
    this.tags = requireNonNull(tags, "tags is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(TRUNKS, Access.AUTHENTICATED, this::list)
        .post(TRUNKS, Access.AUTHENTICATED, this::create)
        .get(TRUNKS + "/{trunk_id}", Access.AUTHENTICATED, this::show)
        .put(TRUNKS + "/{trunk_id}", Access.AUTHENTICATED, this::update)
        .delete(TRUNKS + "/{trunk_id}", Access.AUTHENTICATED, this::delete)
        .put(TRUNKS + "/{trunk_id}/add_subports", Access.AUTHENTICATED, r -> changeSubPorts(r, true))
        .put(TRUNKS + "/{trunk_id}/remove_subports", Access.AUTHENTICATED, r -> changeSubPorts(r, false))
        .get(TRUNKS + "/{trunk_id}/get_subports", Access.AUTHENTICATED, this::subPorts);
  }

  private ApiResponse list(ApiRequest request) {
    Actor actor = request.caller().actor();
    Map<String, List<String>> tagged = tags.ofKind("trunks");
    List<ObjectNode> all = new ArrayList<>();
    for (Trunk t : trunks.list(actor)) {
      all.add(render(t, tagged.getOrDefault(t.id(), List.of())));
    }
    return ApiResponse.ok(
        NeutronListQuery.answer(request, "trunks", request.baseUrl() + NetworkApi.PREFIX + TRUNKS, all, ATTRIBUTES));
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "trunk");
    in.allowOnly("name", "description", "admin_state_up", "port_id", "sub_ports", "project_id", "tenant_id", "tags");
    List<String> initialTags = NeutronInput.tags(in);
    Trunk trunk =
        trunks.create(
            request.caller().actor(),
            new Trunks.Spec(
                NeutronInput.projectId(in), NeutronInput.text(in, "name"), NeutronInput.text(in, "description"),
                in.optionalBoolean("admin_state_up").orElse(null), in.string("port_id"), subPorts(in)),
            initialTags);
    return ApiResponse.created(Json.wrap("trunk", render(trunk, initialTags)));
  }

  private ApiResponse show(ApiRequest request) {
    Trunk trunk = trunks.visible(request.caller().actor(), request.pathParam("trunk_id"));
    return ApiResponse.ok(Json.wrap("trunk", NeutronListQuery.fields(request, render(trunk, tags.of(trunk.id())))));
  }

  private ApiResponse update(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "trunk");
    in.allowOnly("name", "description", "admin_state_up");
    Trunk trunk =
        trunks.update(
            request.caller().actor(),
            request.pathParam("trunk_id"),
            new Trunks.Spec(
                null, NeutronInput.text(in, "name"), NeutronInput.text(in, "description"),
                in.optionalBoolean("admin_state_up").orElse(null), null, null),
            NeutronInput.ifMatchRevision(request));
    return ApiResponse.ok(Json.wrap("trunk", render(trunk, tags.of(trunk.id()))));
  }

  private ApiResponse delete(ApiRequest request) {
    trunks.delete(request.caller().actor(), request.pathParam("trunk_id"));
    return ApiResponse.noContent();
  }

  /** Both answer the whole trunk, as Neutron does. */
  private ApiResponse changeSubPorts(ApiRequest request, boolean add) {
    JsonInput in = JsonInput.root(request.body());
    in.allowOnly("sub_ports");
    if (!in.has("sub_ports")) {
      throw in.invalid("sub_ports", "a list of subports is required");
    }
    List<Trunks.SubPortRequest> given = subPorts(in);
    Actor actor = request.caller().actor();
    String id = request.pathParam("trunk_id");
    Trunk trunk = add ? trunks.addSubPorts(actor, id, given) : trunks.removeSubPorts(actor, id, given);
    return ApiResponse.ok(render(trunk, tags.of(trunk.id())));
  }

  private ApiResponse subPorts(ApiRequest request) {
    Trunk trunk = trunks.visible(request.caller().actor(), request.pathParam("trunk_id"));
    ObjectNode body = Json.object();
    body.set("sub_ports", subPortList(trunk));
    return ApiResponse.ok(body);
  }

  private static List<Trunks.SubPortRequest> subPorts(JsonInput in) {
    return in.optionalObjectList("sub_ports")
        .map(list -> list.stream().map(s -> {
          s.allowOnly("port_id", "segmentation_type", "segmentation_id");
          return new Trunks.SubPortRequest(
              s.string("port_id"), s.optionalString("segmentation_type").orElse(null),
              s.optionalInt("segmentation_id").orElse(null));
        }).toList())
        .orElse(List.of());
  }

  static ObjectNode render(Trunk t, List<String> tagList) {
    ObjectNode o = Json.object();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("description", t.description());
    o.put("tenant_id", t.projectId());
    o.put("project_id", t.projectId());
    o.put("admin_state_up", t.adminStateUp());
    o.put("port_id", t.portId());
    o.put("status", t.status());
    o.set("sub_ports", subPortList(t));
    NetworkViews.tags(o, tagList);
    NetworkViews.standardAttributes(o, t.createdAt(), t.updatedAt(), t.revision());
    return o;
  }

  private static ArrayNode subPortList(Trunk t) {
    ArrayNode list = Json.array();
    for (Trunk.SubPort s : t.subPorts()) {
      list.addObject()
          .put("port_id", s.portId())
          .put("segmentation_type", s.segmentationType())
          .put("segmentation_id", s.segmentationId());
    }
    return list;
  }
}
