package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /flavors}: list, detail, show, admin create/update/delete, extra specs ({@code
 * os-extra_specs}) and access lists ({@code os-flavor-access}, the addTenantAccess and
 * removeTenantAccess actions).
 *
 * <p>Why over 400 lines: three collections Nova nests under /flavors (flavors, os-extra_specs,
 * os-flavor-access), with their microversioned views; translation only.
 */
final class FlavorsApi {
  private static final String FLAVORS = "/v2.1/flavors";
  private static final String FLAVOR = FLAVORS + "/{flavor_id}";
  private static final String SPECS = FLAVOR + "/os-extra_specs";
  private static final Pattern ID = Pattern.compile("^(?! )[a-zA-Z0-9. _-]+(?<! )$");
  private static final Pattern SPEC_KEY = Pattern.compile("^[a-zA-Z0-9-_:. ]{1,255}$");
  private static final Pattern RXTX = Pattern.compile("^[0-9]+(\\.[0-9]+)?$");
  private static final String[] LIST_QUERY = {"limit", "marker", "is_public", "minRam", "minDisk", "sort_key", "sort_dir"};

  private final Flavors flavors;

  FlavorsApi(Flavors flavors) {
    this.flavors = requireNonNull(flavors, "flavors is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(FLAVORS, Access.AUTHENTICATED, r -> list(r, false))
        .post(FLAVORS, Access.AUTHENTICATED, this::create)
        // Before {flavor_id}, which would otherwise take "detail" for an id.
        .get(FLAVORS + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .get(FLAVOR, Access.AUTHENTICATED, this::show)
        .put(FLAVOR, Access.AUTHENTICATED, this::update)
        .delete(FLAVOR, Access.AUTHENTICATED, this::delete)
        .post(FLAVOR + "/action", Access.AUTHENTICATED, this::action)
        .get(FLAVOR + "/os-flavor-access", Access.AUTHENTICATED, this::access)
        .get(SPECS, Access.AUTHENTICATED, this::listSpecs)
        .post(SPECS, Access.AUTHENTICATED, this::createSpecs)
        .get(SPECS + "/{key}", Access.AUTHENTICATED, this::showSpec)
        .put(SPECS + "/{key}", Access.AUTHENTICATED, this::updateSpec)
        .delete(SPECS + "/{key}", Access.AUTHENTICATED, this::deleteSpec);
  }

  // Flavors

  private ApiResponse list(ApiRequest request, boolean detail) {
    Nova.onlyQuery(request, 75, LIST_QUERY);
    Actor actor = request.caller().actor();
    PageRequest paging = PageRequest.from(request);
    Flavors.ListQuery query =
        new Flavors.ListQuery(
            actor.admin() ? isPublic(request) : Boolean.TRUE,
            intFilter(request, "minRam"),
            intFilter(request, "minDisk"),
            sortKey(request),
            ascending(request),
            paging.limit(),
            paging.marker());
    Flavors.Page page = flavors.list(actor, query);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("flavors");
    for (Flavor f : page.flavors()) {
      items.add(detail ? detail(request, actor, f) : basic(request, f));
    }
    if (page.more() && !page.flavors().isEmpty()) {
      body.set(
          "flavors_links",
          Nova.nextLinks(request, detail ? "flavors/detail" : "flavors", page.flavors().getLast().id()));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    Flavor flavor = flavors.get(actor, request.pathParam("flavor_id"));
    return ApiResponse.ok(Json.wrap("flavor", detail(request, actor, flavor)));
  }

  private ApiResponse create(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || !root.has("flavor") || !root.get("flavor").isObject() || root.size() != 1) {
      throw ApiError.badRequest(
          "SchemaValidationError", "Invalid input: the body must be a JSON object with exactly one member, 'flavor'.");
    }
    ObjectNode in = (ObjectNode) root.get("flavor");
    List<String> allowed =
        new ArrayList<>(
            List.of(
                "name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "rxtx_factor",
                "os-flavor-access:is_public"));
    if (Nova.atLeast(request, 55)) {
      allowed.add("description");
    }
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid(
            "flavor", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String name = name(in);
    String id = null;
    JsonNode rawId = in.get("id");
    if (rawId != null && !rawId.isNull()) {
      if (rawId.isTextual()) {
        id = rawId.textValue();
      } else if (rawId.isNumber()) {
        id = rawId.isIntegralNumber() ? rawId.bigIntegerValue().toString() : rawId.asText();
      } else {
        throw Nova.invalid("flavor/id", rawId, "expected a string, a number or null");
      }
      if (id.isEmpty() || id.length() > 255 || !ID.matcher(id).matches()) {
        throw Nova.invalid(
            "flavor/id", rawId, "an id is 1 to 255 letters, digits, '.', '_', '-' or inner spaces");
      }
    }
    int ram = count(in, "ram", 1, true);
    int vcpus = count(in, "vcpus", 1, true);
    int disk = count(in, "disk", 0, true);
    int ephemeral = count(in, "OS-FLV-EXT-DATA:ephemeral", 0, false);
    int swap = count(in, "swap", 0, false);
    double rxtx = rxtx(in);
    boolean isPublic =
        in.hasNonNull("os-flavor-access:is_public")
            ? Nova.bool("flavor/os-flavor-access:is_public", in.get("os-flavor-access:is_public"))
            : true;
    String description = Nova.atLeast(request, 55) ? description(in) : null;
    Actor actor = request.caller().actor();
    Flavor flavor =
        flavors.create(
            actor, new Flavors.Spec(id, name, vcpus, ram, disk, ephemeral, swap, rxtx, isPublic, description));
    return ApiResponse.ok(Json.wrap("flavor", detail(request, actor, flavor)));
  }

  private ApiResponse update(ApiRequest request) {
    if (!Nova.atLeast(request, 55)) {
      throw ApiError.notFound("HTTPNotFound", "The resource could not be found.");
    }
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1 || !root.path("flavor").isObject()) {
      throw ApiError.badRequest(
          "SchemaValidationError", "Invalid input: the body must be {\"flavor\": {\"description\": ...}}.");
    }
    ObjectNode in = (ObjectNode) root.get("flavor");
    if (!in.has("description") || in.size() != 1) {
      throw Nova.invalid("flavor", in, "'description' is the one field an update takes, and it is required");
    }
    Actor actor = request.caller().actor();
    Flavor flavor = flavors.updateDescription(actor, request.pathParam("flavor_id"), description(in));
    return ApiResponse.ok(Json.wrap("flavor", detail(request, actor, flavor)));
  }

  private ApiResponse delete(ApiRequest request) {
    flavors.delete(request.caller().actor(), request.pathParam("flavor_id"));
    return ApiResponse.status(202, null);
  }

  // Access

  private ApiResponse access(ApiRequest request) {
    String id = request.pathParam("flavor_id");
    return ApiResponse.ok(accessList(id, flavors.access(request.caller().actor(), id)));
  }

  private ApiResponse action(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1) {
      throw ApiError.badRequest("Malformed request body: an action body names exactly one action.");
    }
    String action = root.fieldNames().next();
    String id = request.pathParam("flavor_id");
    Actor actor = request.caller().actor();
    return switch (action) {
      case "addTenantAccess" ->
          ApiResponse.ok(
              accessList(id, flavors.addAccess(actor, id, tenant(root, action), Nova.atLeast(request, 7))));
      case "removeTenantAccess" -> ApiResponse.ok(accessList(id, flavors.removeAccess(actor, id, tenant(root, action))));
      default -> throw ApiError.badRequest("There is no such action: " + action);
    };
  }

  private static String tenant(JsonNode root, String action) {
    JsonNode body = root.get(action);
    if (!body.isObject() || body.size() != 1 || !body.has("tenant")) {
      throw Nova.invalid(action, body, "expected {\"tenant\": \"<project id>\"}");
    }
    JsonNode tenant = body.get("tenant");
    if (!tenant.isTextual() || tenant.textValue().isEmpty() || tenant.textValue().length() > 255) {
      throw Nova.invalid(action + "/tenant", tenant, "expected a project id of 1 to 255 characters");
    }
    return tenant.textValue();
  }

  private static ObjectNode accessList(String flavorId, List<String> projects) {
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("flavor_access");
    projects.forEach(p -> list.addObject().put("flavor_id", flavorId).put("tenant_id", p));
    return body;
  }

  // Extra specs

  private ApiResponse listSpecs(ApiRequest request) {
    Map<String, String> specs = flavors.extraSpecs(request.caller().actor(), request.pathParam("flavor_id"));
    return ApiResponse.ok(Json.wrap("extra_specs", specsNode(specs)));
  }

  private ApiResponse createSpecs(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1 || !root.has("extra_specs")) {
      throw ApiError.badRequest(
          "SchemaValidationError", "Invalid input: the body must be {\"extra_specs\": {\"key\": \"value\", ...}}.");
    }
    JsonNode specs = root.get("extra_specs");
    flavors.setExtraSpecs(request.caller().actor(), request.pathParam("flavor_id"), specs("extra_specs", specs));
    // Nova answers with the body it was given.
    return ApiResponse.ok(root);
  }

  private ApiResponse showSpec(ApiRequest request) {
    String key = request.pathParam("key");
    String value = flavors.extraSpec(request.caller().actor(), request.pathParam("flavor_id"), key);
    ObjectNode body = Json.object();
    body.put(key, value);
    return ApiResponse.ok(body);
  }

  private ApiResponse updateSpec(ApiRequest request) {
    String key = request.pathParam("key");
    JsonNode body = request.body();
    if (!body.isObject() || body.size() != 1) {
      throw ApiError.badRequest(
          "SchemaValidationError",
          "Invalid input: the body must hold exactly one extra spec, {\"" + key + "\": \"value\"}.");
    }
    Map<String, String> specs = specs("", body);
    if (!specs.containsKey(key)) {
      throw ApiError.badRequest("Request body and URI mismatch");
    }
    flavors.setExtraSpecs(request.caller().actor(), request.pathParam("flavor_id"), specs);
    return ApiResponse.ok(body);
  }

  private ApiResponse deleteSpec(ApiRequest request) {
    flavors.deleteExtraSpec(request.caller().actor(), request.pathParam("flavor_id"), request.pathParam("key"));
    return ApiResponse.status(200, null);
  }

  /** An extra specs object: keys Nova's schema takes, string or number values of up to 255. */
  private static Map<String, String> specs(String path, JsonNode node) {
    if (!node.isObject()) {
      throw Nova.invalid(path.isEmpty() ? "body" : path, node, "expected an object");
    }
    Map<String, String> specs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = path.isEmpty() ? e.getKey() : path + "/" + e.getKey();
      if (!SPEC_KEY.matcher(e.getKey()).matches()) {
        throw Nova.invalid(
            field, e.getValue(), "an extra spec key is 1 to 255 letters, digits, spaces or any of '-_:.'");
      }
      JsonNode value = e.getValue();
      String text;
      if (value.isTextual()) {
        text = value.textValue();
      } else if (value.isIntegralNumber()) {
        text = value.bigIntegerValue().toString();
      } else if (value.isNumber()) {
        text = value.asText();
      } else {
        throw Nova.invalid(field, value, "expected a string or a number");
      }
      if (text.length() > 255) {
        throw Nova.invalid(field, value, "must be at most 255 characters long");
      }
      specs.put(e.getKey(), text);
    }
    return specs;
  }

  private static ObjectNode specsNode(Map<String, String> specs) {
    ObjectNode o = Json.object();
    specs.forEach(o::put);
    return o;
  }

  // Views

  private static ObjectNode basic(ApiRequest request, Flavor f) {
    ObjectNode o = Json.object();
    o.put("id", f.id());
    o.put("name", f.name());
    o.set("links", Nova.links(request, "flavors", f.id()));
    if (Nova.atLeast(request, 55)) {
      o.put("description", f.description());
    }
    return o;
  }

  private static ObjectNode detail(ApiRequest request, Actor actor, Flavor f) {
    ObjectNode o = Json.object();
    o.put("id", f.id());
    o.put("name", f.name());
    o.put("ram", f.ramMb());
    o.put("disk", f.diskGb());
    if (f.swapMb() == 0 && !Nova.atLeast(request, 75)) {
      o.put("swap", "");
    } else {
      o.put("swap", f.swapMb());
    }
    o.put("OS-FLV-EXT-DATA:ephemeral", f.ephemeralGb());
    o.put("OS-FLV-DISABLED:disabled", f.disabled());
    o.put("vcpus", f.vcpus());
    o.put("os-flavor-access:is_public", f.isPublic());
    o.put("rxtx_factor", f.rxtxFactor());
    o.set("links", Nova.links(request, "flavors", f.id()));
    if (Nova.atLeast(request, 55)) {
      o.put("description", f.description());
    }
    if (Nova.atLeast(request, 61) && Flavors.canSeeExtraSpecs(actor)) {
      o.set("extra_specs", specsNode(f.extraSpecs()));
    }
    return o;
  }

  // Input

  /** Nova's "name" format: 1 to 255 printable characters, no leading or trailing whitespace. */
  private static String name(ObjectNode in) {
    JsonNode value = in.get("name");
    if (value == null || value.isNull()) {
      throw Nova.invalid("flavor", in, "'name' is a required property");
    }
    if (!value.isTextual()) {
      throw Nova.invalid("flavor/name", value, "expected a string");
    }
    String name = value.textValue();
    if (name.isEmpty() || name.length() > 255) {
      throw Nova.invalid("flavor/name", value, "must be 1 to 255 characters long");
    }
    if (!name.strip().equals(name) || name.chars().anyMatch(Character::isISOControl)) {
      throw Nova.invalid(
          "flavor/name", value, "names may only contain printable characters and cannot start or end with whitespace");
    }
    return name;
  }

  /** A whole number, or a string of digits, from {@code min} to Nova's MAX_INT. */
  private static int count(ObjectNode in, String field, int min, boolean required) {
    JsonNode value = in.get(field);
    String path = "flavor/" + field;
    if (value == null || value.isNull()) {
      if (required) {
        throw Nova.invalid("flavor", in, "'" + field + "' is a required property");
      }
      return 0;
    }
    BigDecimal number;
    if (value.isIntegralNumber()) {
      number = new BigDecimal(value.bigIntegerValue());
    } else if (value.isTextual() && value.textValue().matches("[0-9]+")) {
      number = new BigDecimal(value.textValue());
    } else {
      throw Nova.invalid(path, value, "expected a whole number");
    }
    if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(Flavors.MAX_INT)) > 0) {
      throw Nova.invalid(path, value, "must be from " + min + " to " + Flavors.MAX_INT);
    }
    return number.intValueExact();
  }

  private static double rxtx(ObjectNode in) {
    JsonNode value = in.get("rxtx_factor");
    if (value == null || value.isNull()) {
      return 1.0;
    }
    double factor;
    if (value.isNumber()) {
      factor = value.doubleValue();
    } else if (value.isTextual() && RXTX.matcher(value.textValue()).matches()) {
      factor = Double.parseDouble(value.textValue());
    } else {
      throw Nova.invalid("flavor/rxtx_factor", value, "expected a number");
    }
    if (!(factor > 0) || factor > Flavors.MAX_RXTX) {
      throw Nova.invalid("flavor/rxtx_factor", value, "must be above 0 and at most " + Flavors.MAX_RXTX);
    }
    return factor;
  }

  private static String description(ObjectNode in) {
    JsonNode value = in.get("description");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("flavor/description", value, "expected a string or null");
    }
    String text = value.textValue();
    if (text.length() > 65535) {
      throw Nova.invalid("flavor/description", value, "must be at most 65535 characters long");
    }
    if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      throw Nova.invalid("flavor/description", value, "must contain only printable characters");
    }
    return text;
  }

  /** Nova's is_public filter, for admins: absent means public, "none" means all. */
  private static Boolean isPublic(ApiRequest request) {
    Optional<String> raw = request.query("is_public");
    if (raw.isEmpty()) {
      return Boolean.TRUE;
    }
    if (raw.get().equalsIgnoreCase("none")) {
      return null;
    }
    Boolean value = Nova.strictBool(raw.get());
    if (value == null) {
      throw ApiError.badRequest("Invalid is_public filter [" + raw.get() + "]");
    }
    return value;
  }

  private static Integer intFilter(ApiRequest request, String name) {
    Optional<String> raw = request.query(name);
    if (raw.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(raw.get().strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid " + name + " filter [" + raw.get() + "]");
    }
  }

  private static Flavors.SortKey sortKey(ApiRequest request) {
    String raw = request.query("sort_key").filter(s -> !s.isEmpty()).orElse("flavorid");
    return Flavors.SortKey.fromApiName(raw)
        .orElseThrow(
            () ->
                ApiError.badRequest(
                    "Invalid input for query parameters sort_key. Value: " + raw + ". '" + raw
                        + "' is not one of created_at, description, disabled, ephemeral_gb, flavorid, id,"
                        + " is_public, memory_mb, name, root_gb, rxtx_factor, swap, updated_at, vcpu_weight,"
                        + " vcpus."));
  }

  private static boolean ascending(ApiRequest request) {
    String raw = request.query("sort_dir").filter(s -> !s.isEmpty()).orElse("asc");
    return switch (raw) {
      case "asc" -> true;
      case "desc" -> false;
      default ->
          throw ApiError.badRequest(
              "Invalid input for query parameters sort_dir. Value: " + raw + ". '" + raw + "' is not one of asc, desc.");
    };
  }
}
