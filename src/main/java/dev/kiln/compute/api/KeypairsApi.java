package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.catalog.Keypair;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code /os-keypairs}: import or generate, list, show, delete. Keypairs belong to the caller's
 * user; admins name another with {@code user_id} (2.10). Type from 2.2, paging from 2.35.
 */
final class KeypairsApi {
  private static final String KEYPAIRS = "/v2.1/os-keypairs";
  private static final String KEYPAIR = KEYPAIRS + "/{keypair_name}";

  private final Keypairs keypairs;

  KeypairsApi(Keypairs keypairs) {
    this.keypairs = requireNonNull(keypairs, "keypairs is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(KEYPAIRS, Access.AUTHENTICATED, this::list)
        .post(KEYPAIRS, Access.AUTHENTICATED, this::create)
        .get(KEYPAIR, Access.AUTHENTICATED, this::show)
        .delete(KEYPAIR, Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse create(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1 || !root.path("keypair").isObject()) {
      throw ApiError.badRequest(
          "SchemaValidationError", "Invalid input: the body must be a JSON object with exactly one member, 'keypair'.");
    }
    ObjectNode in = (ObjectNode) root.get("keypair");
    List<String> allowed = new ArrayList<>(List.of("name", "public_key"));
    if (Nova.atLeast(request, 2)) {
      allowed.add("type");
    }
    if (Nova.atLeast(request, 10)) {
      allowed.add("user_id");
    }
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("keypair", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String name = string(in, "name", true);
    if (name.isEmpty() || name.length() > 255) {
      throw Nova.invalid("keypair/name", in.get("name"), "must be 1 to 255 characters long");
    }
    String type = string(in, "type", false);
    if (type != null && !type.equals(Keypair.SSH) && !type.equals(Keypair.X509)) {
      throw Nova.invalid("keypair/type", in.get("type"), "'" + type + "' is not one of ['ssh', 'x509']");
    }
    String userId = string(in, "user_id", false);
    String publicKey = string(in, "public_key", false);
    var actor = request.caller().actor();
    ObjectNode view;
    if (publicKey != null) {
      view = view(request, keypairs.importKey(actor, userId, name, publicKey, type), null);
    } else {
      Keypairs.Created created = keypairs.generate(actor, userId, name, type);
      view = view(request, created.keypair(), created.privateKey());
    }
    return ApiResponse.status(Nova.atLeast(request, 2) ? 201 : 200, Json.wrap("keypair", view));
  }

  private ApiResponse list(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id", "limit", "marker");
    Integer limit = null;
    String marker = null;
    if (Nova.atLeast(request, 35)) {
      PageRequest paging = PageRequest.from(request);
      limit = paging.limit();
      marker = paging.marker();
    }
    Keypairs.Page page = keypairs.list(request.caller().actor(), userId(request), limit, marker);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("keypairs");
    for (Keypair k : page.keypairs()) {
      ObjectNode o = Json.object();
      o.put("name", k.name());
      o.put("public_key", k.publicKey());
      o.put("fingerprint", k.fingerprint());
      if (Nova.atLeast(request, 2)) {
        o.put("type", k.type());
      }
      items.add(Json.wrap("keypair", o));
    }
    if (page.more() && !page.keypairs().isEmpty()) {
      body.set("keypairs_links", Nova.nextLinks(request, "os-keypairs", page.keypairs().getLast().name()));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    Keypair k = keypairs.get(request.caller().actor(), userId(request), request.pathParam("keypair_name"));
    ObjectNode o = Json.object();
    o.put("name", k.name());
    o.put("public_key", k.publicKey());
    o.put("fingerprint", k.fingerprint());
    o.put("user_id", k.userId());
    o.put("created_at", Nova.time(k.createdAt()));
    o.put("deleted", false);
    o.putNull("deleted_at");
    o.put("id", k.id());
    o.putNull("updated_at");
    if (Nova.atLeast(request, 2)) {
      o.put("type", k.type());
    }
    return ApiResponse.ok(Json.wrap("keypair", o));
  }

  private ApiResponse delete(ApiRequest request) {
    Nova.onlyQuery(request, 75, "user_id");
    keypairs.delete(request.caller().actor(), userId(request), request.pathParam("keypair_name"));
    return Nova.atLeast(request, 2) ? ApiResponse.noContent() : ApiResponse.status(202, null);
  }

  /** The create view: the private key only when generated, the type from 2.2. */
  private static ObjectNode view(ApiRequest request, Keypair k, String privateKey) {
    ObjectNode o = Json.object();
    if (privateKey != null) {
      o.put("private_key", privateKey);
    }
    if (Nova.atLeast(request, 2)) {
      o.put("type", k.type());
    }
    o.put("name", k.name());
    o.put("public_key", k.publicKey());
    o.put("fingerprint", k.fingerprint());
    o.put("user_id", k.userId());
    return o;
  }

  /** The {@code user_id} query parameter, honoured from 2.10. */
  private static String userId(ApiRequest request) {
    return Nova.atLeast(request, 10) ? request.queryAll("user_id").stream().findFirst().orElse(null) : null;
  }

  private static String string(ObjectNode in, String field, boolean required) {
    JsonNode value = in.get(field);
    if (value == null) {
      if (required) {
        throw Nova.invalid("keypair", in, "'" + field + "' is a required property");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("keypair/" + field, value, "expected a string");
    }
    return value.textValue();
  }
}
