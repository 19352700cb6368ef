package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.http.PageRequest;
import dev.kiln.volume.QosSpec;
import dev.kiln.volume.QosSpecs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /v3/{project_id}/qos-specs}: QoS specs and their associations with volume types. As in
 * Cinder, associating and disassociating are GETs with {@code ?vol_type_id=}, and a set answers
 * the body it was sent.
 */
final class QosSpecsApi {
  private static final String QOS = "/v3/{project_id}/qos-specs";
  private static final String ONE = QOS + "/{qos_id}";
  /** Keys of a set (Cinder's extra specs schema). */
  private static final Pattern KEY = Pattern.compile("[a-zA-Z0-9\\-_:. /]{1,255}");

  private final QosSpecs qos;

  QosSpecsApi(QosSpecs qos) {
    this.qos = requireNonNull(qos, "qos is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(QOS, Access.AUTHENTICATED, this::list)
        .post(QOS, Access.AUTHENTICATED, this::create)
        .get(ONE, Access.AUTHENTICATED, this::show)
        .put(ONE, Access.AUTHENTICATED, this::set)
        .delete(ONE, Access.AUTHENTICATED, this::delete)
        .put(ONE + "/delete_keys", Access.AUTHENTICATED, this::unset)
        .get(ONE + "/associations", Access.AUTHENTICATED, this::associations)
        .get(ONE + "/associate", Access.AUTHENTICATED, this::associate)
        .get(ONE + "/disassociate", Access.AUTHENTICATED, this::disassociate)
        .get(ONE + "/disassociate_all", Access.AUTHENTICATED, this::disassociateAll);
  }

  private ApiResponse list(ApiRequest request) {
    String project = CinderProject.of(request);
    List<QosSpec> all = new ArrayList<>();
    Optional<String> id = request.query("id");
    Optional<String> name = request.query("name");
    Optional<String> consumer = request.query("consumer");
    for (QosSpec q : qos.list(request.caller().actor())) {
      if (id.map(q.id()::equals).orElse(true)
          && name.map(q.name()::equals).orElse(true)
          && consumer.map(q.consumer()::equals).orElse(true)) {
        all.add(q);
      }
    }
    PageRequest.Page<QosSpec> page = PageRequest.from(request).apply(all, QosSpec::id);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("qos_specs");
    page.items().forEach(q -> items.add(fields(q)));
    ArrayNode links = page.links(request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/qos-specs");
    if (!links.isEmpty()) {
      body.set("qos_specs_links", links);
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    String project = CinderProject.of(request);
    JsonInput.root(request.body()).allowOnly("qos_specs");
    JsonInput in = JsonInput.wrapped(request.body(), "qos_specs");
    String name = in.string("name").strip();
    if (name.isEmpty() || name.length() > 255) {
      throw in.invalid("name", "must be 1 to 255 characters long, not counting leading and trailing spaces");
    }
    Map<String, String> specs = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = request.body().get("qos_specs").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("name")) {
        continue;
      }
      // Cinder's string-length check of every key and value (0 to 255 characters, strings only).
      if (field.getKey().length() > 255) {
        throw in.invalid(field.getKey(), "a key must be at most 255 characters long");
      }
      if (!field.getValue().isTextual() || field.getValue().textValue().length() > 255) {
        throw in.invalid(field.getKey(), "expected a string of at most 255 characters");
      }
      specs.put(field.getKey(), field.getValue().textValue());
    }
    QosSpec made = qos.create(request.caller().actor(), name, specs);
    return ApiResponse.ok(detail(request, project, made));
  }

  private ApiResponse show(ApiRequest request) {
    String project = CinderProject.of(request);
    QosSpec shown = qos.show(request.caller().actor(), request.pathParam("qos_id"));
    return ApiResponse.ok(detail(request, project, shown));
  }

  private ApiResponse set(ApiRequest request) {
    CinderProject.of(request);
    JsonInput.root(request.body()).allowOnly("qos_specs");
    JsonInput in = JsonInput.wrapped(request.body(), "qos_specs");
    JsonNode node = request.body().get("qos_specs");
    Map<String, String> specs = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (!KEY.matcher(key).matches()) {
        throw in.invalid(key, "a key must be 1 to 255 letters, digits or any of '-_:. /'");
      }
      JsonNode value = field.getValue();
      if (value.isNull()) {
        specs.put(key, null);
      } else if (value.isTextual() && value.textValue().length() <= 255) {
        specs.put(key, value.textValue());
      } else {
        throw in.invalid(key, "expected a string of at most 255 characters, or null");
      }
    }
    qos.set(request.caller().actor(), request.pathParam("qos_id"), specs);
    return ApiResponse.ok(Json.wrap("qos_specs", node.deepCopy()));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    qos.delete(request.caller().actor(), request.pathParam("qos_id"), force(request));
    return ApiResponse.status(202, null);
  }

  private ApiResponse unset(ApiRequest request) {
    CinderProject.of(request);
    JsonInput in = JsonInput.root(request.body()).allowOnly("keys");
    if (!in.has("keys") || !in.raw("keys").isArray()) {
      throw in.invalid("keys", "expected a list of keys");
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode key : in.array("keys")) {
      if (!key.isTextual() || key.textValue().isEmpty() || key.textValue().length() > 255) {
        throw in.invalid("keys", "each key must be a string of 1 to 255 characters");
      }
      keys.add(key.textValue());
    }
    if (new HashSet<>(keys).size() != keys.size()) {
      throw in.invalid("keys", "the keys must be unique");
    }
    qos.unset(request.caller().actor(), request.pathParam("qos_id"), keys);
    return ApiResponse.status(202, null);
  }

  private ApiResponse associations(ApiRequest request) {
    CinderProject.of(request);
    ArrayNode list = Json.array();
    for (QosSpec.Association a : qos.associations(request.caller().actor(), request.pathParam("qos_id"))) {
      list.addObject().put("association_type", "volume_type").put("name", a.typeName()).put("id", a.typeId());
    }
    return ApiResponse.ok(Json.wrap("qos_associations", list));
  }

  private ApiResponse associate(ApiRequest request) {
    CinderProject.of(request);
    qos.associate(request.caller().actor(), request.pathParam("qos_id"), typeId(request));
    return ApiResponse.status(202, null);
  }

  private ApiResponse disassociate(ApiRequest request) {
    CinderProject.of(request);
    qos.disassociate(request.caller().actor(), request.pathParam("qos_id"), typeId(request));
    return ApiResponse.status(202, null);
  }

  private ApiResponse disassociateAll(ApiRequest request) {
    CinderProject.of(request);
    qos.disassociateAll(request.caller().actor(), request.pathParam("qos_id"));
    return ApiResponse.status(202, null);
  }

  private static String typeId(ApiRequest request) {
    String typeId = request.query("vol_type_id").orElse("");
    if (typeId.isEmpty()) {
      throw ApiError.badRequest("Volume Type id must not be None.");
    }
    return typeId;
  }

  /** {@code ?force=}: Cinder's strict boolean; absent is false. */
  private static boolean force(ApiRequest request) {
    Optional<String> raw = request.query("force");
    if (raw.isEmpty()) {
      return false;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "1", "t", "true", "on", "y", "yes" -> true;
      case "0", "f", "false", "off", "n", "no" -> false;
      default -> throw ApiError.badRequest("Value '" + raw.get() + "' for 'force' is not a boolean.");
    };
  }

  private static ObjectNode detail(ApiRequest request, String project, QosSpec q) {
    ObjectNode body = Json.object();
    body.set("qos_specs", fields(q));
    String self = request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/qos-specs/" + q.id();
    ArrayNode links = body.putArray("links");
    links.addObject().put("rel", "self").put("href", self);
    links.addObject()
        .put("rel", "bookmark")
        .put("href", request.baseUrl() + VolumeApi.PREFIX + "/" + project + "/qos-specs/" + q.id());
    return body;
  }

  private static ObjectNode fields(QosSpec q) {
    ObjectNode o = Json.object();
    o.put("id", q.id());
    o.put("name", q.name());
    o.put("consumer", q.consumer());
    ObjectNode specs = o.putObject("specs");
    q.specs().forEach(specs::put);
    return o;
  }
}
