package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.actions.ServerRebuilds;
import dev.kiln.compute.moves.ServerMoves;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.Json;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The server actions that rebuild or move a server, for {@link ServerActionsApi}: rebuild (202
 * with the server and its adminPass), resize and migrate (202), confirmResize (204) and
 * revertResize (202).
 */
final class MoveActionsApi {
  private static final Set<String> REBUILD_FIELDS =
      Set.of("imageRef", "name", "metadata", "adminPass", "preserve_ephemeral", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6");
  private static final int MAX_USER_DATA = 65_535;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final ServerMoves moves;
  private final ServerRebuilds rebuilds;
  private final ServerViews views;
  private final Servers servers;

  MoveActionsApi(ServerMoves moves, ServerRebuilds rebuilds, Servers servers) {
    this.moves = requireNonNull(moves, "moves is null");
    this.rebuilds = requireNonNull(rebuilds, "rebuilds is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.views = new ServerViews(servers);
  }

  /**
   * Keeps the disk config (and a rebuild's access addresses) the action asks for, as Nova takes
   * the action's values.
   */
  private Server keepDiskConfig(Actor actor, String id, JsonNode body) {
    Server server = servers.visible(actor, id);
    if (body.isObject() && (body.has("OS-DCF:diskConfig") || body.has("accessIPv4") || body.has("accessIPv6"))) {
      Server.Attributes asked = ServerInput.attributes((ObjectNode) body, server.attributes());
      return servers.update(actor, id, null, null, false, asked);
    }
    return server;
  }

  /** Answers the action's response, or null when {@code name} is not one of these actions. */
  ApiResponse handle(ApiRequest request, String name, String id, JsonNode body) {
    Actor actor = request.caller().actor();
    return switch (name) {
      case "rebuild" -> rebuild(request, id, body);
      case "resize" -> {
        moves.resize(actor, id, resizeFlavor(body));
        keepDiskConfig(actor, id, body);
        yield ApiResponse.accepted(null);
      }
      case "migrate" -> {
        moves.migrate(actor, id, migrateHost(request, body));
        yield ApiResponse.accepted(null);
      }
      case "confirmResize" -> {
        requireNull(name, body);
        moves.confirm(actor, id);
        yield ApiResponse.noContent();
      }
      case "revertResize" -> {
        requireNull(name, body);
        moves.revert(actor, id);
        yield ApiResponse.accepted(null);
      }
      default -> null;
    };
  }

  private ApiResponse rebuild(ApiRequest request, String id, JsonNode body) {
    if (!body.isObject()) {
      throw Nova.invalid("rebuild", body, "is not of type 'object'");
    }
    Set<String> allowed = new HashSet<>(REBUILD_FIELDS);
    if (!Nova.atLeast(request, 57)) {
      allowed.add("personality");
    } else {
      allowed.add("user_data");
    }
    if (Nova.atLeast(request, 19)) {
      allowed.add("description");
    }
    if (Nova.atLeast(request, 54)) {
      allowed.add("key_name");
    }
    if (Nova.atLeast(request, 63)) {
      allowed.add("trusted_image_certificates");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("rebuild", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode imageRef = body.get("imageRef");
    if (imageRef == null) {
      throw Nova.invalid("rebuild", body, "'imageRef' is a required property");
    }
    if (!imageRef.isTextual() || imageRef.textValue().isBlank()) {
      throw Nova.invalid("rebuild/imageRef", imageRef, "is not a 'uuid'");
    }
    String image = imageRef.textValue();
    image = image.substring(image.lastIndexOf('/') + 1); // Nova takes an image link too
    String name = null;
    if (body.has("name")) {
      name = text(body, "name", false);
      if (name.isBlank() || name.length() > 255) {
        throw Nova.invalid("rebuild/name", body.get("name"), "must be 1 to 255 characters long and not only blanks");
      }
    }
    Map<String, String> metadata = body.has("metadata") ? metadata(body.get("metadata")) : null;
    String adminPass = body.hasNonNull("adminPass") ? text(body, "adminPass", false) : null;
    boolean preserveEphemeral =
        body.has("preserve_ephemeral") && Nova.bool("rebuild/preserve_ephemeral", body.get("preserve_ephemeral"));
    diskConfig(body);
    boolean setDescription = body.has("description");
    String description = setDescription ? text(body, "description", true) : null;
    if (description != null && description.length() > 255) {
      throw Nova.invalid("rebuild/description", body.get("description"), "is too long");
    }
    boolean setKeyName = body.has("key_name");
    String keyName = setKeyName ? text(body, "key_name", true) : null;
    boolean setUserData = body.has("user_data");
    String userData = setUserData ? text(body, "user_data", true) : null;
    if (userData != null) {
      try {
        byte[] decoded = Base64.getMimeDecoder().decode(userData);
        if (decoded.length > MAX_USER_DATA || userData.length() > MAX_USER_DATA) {
          throw Nova.invalid("rebuild/user_data", body.get("user_data"), "is too long");
        }
      } catch (IllegalArgumentException e) {
        throw Nova.invalid("rebuild/user_data", body.get("user_data"), "is not a 'base64'");
      }
    }
    Server server =
        rebuilds.rebuild(
            request.caller().actor(),
            id,
            new ServerRebuilds.Spec(
                image, name, metadata, setDescription, description, setKeyName, keyName, setUserData, userData,
                preserveEphemeral));
    if (body.has("OS-DCF:diskConfig") || body.has("accessIPv4") || body.has("accessIPv6")) {
      server = keepDiskConfig(request.caller().actor(), id, body);
    }
    ObjectNode view = views.changed(request, server, true);
    view.put("adminPass", adminPass != null ? adminPass : password());
    return ApiResponse.accepted(Json.wrap("server", view));
  }

  private static String resizeFlavor(JsonNode body) {
    if (!body.isObject()) {
      throw Nova.invalid("resize", body, "is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("flavorRef") && !field.equals("OS-DCF:diskConfig")) {
        throw Nova.invalid("resize", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode ref = body.get("flavorRef");
    if (ref == null) {
      throw Nova.invalid("resize", body, "'flavorRef' is a required property");
    }
    if (!(ref.isTextual() || ref.isIntegralNumber()) || ref.asText().isEmpty()) {
      throw Nova.invalid("resize/flavorRef", ref, "is not of type 'string', 'integer'");
    }
    diskConfig(body);
    String text = ref.asText();
    return text.substring(text.lastIndexOf('/') + 1); // a flavor link works too
  }

  /**
   * The host a cold migration asks for: only from 2.56, where the body may name one. Before 2.56
   * Nova checks no schema on the action's value: {@code null}, {@code {}} or anything else starts
   * a migration to a host the scheduler picks.
   */
  private static String migrateHost(ApiRequest request, JsonNode body) {
    if (body.isNull() || !Nova.atLeast(request, 56)) {
      return null;
    }
    if (!body.isObject()) {
      throw Nova.invalid("migrate", body, "is not of type 'object', 'null'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("host")) {
        throw Nova.invalid("migrate", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode host = body.get("host");
    if (host == null || host.isNull()) {
      return null;
    }
    if (!host.isTextual() || host.textValue().isEmpty() || host.textValue().length() > 255) {
      throw Nova.invalid("migrate/host", host, "is not a valid hostname");
    }
    return host.textValue();
  }

  private static void diskConfig(JsonNode body) {
    JsonNode disk = body.get("OS-DCF:diskConfig");
    if (disk != null && !(disk.isTextual() && Set.of("AUTO", "MANUAL").contains(disk.textValue()))) {
      throw Nova.invalid("OS-DCF:diskConfig", disk, "is not one of ['AUTO', 'MANUAL']");
    }
  }

  /** These actions take {@code null} (clients send it) and nothing else. */
  private static void requireNull(String name, JsonNode body) {
    if (!body.isNull() && !(body.isObject() && body.isEmpty())) {
      throw Nova.invalid(name, body, "is not of type 'null'");
    }
  }

  private static String text(JsonNode body, String field, boolean nullable) {
    JsonNode value = body.get(field);
    if (value.isNull() && nullable) {
      return null;
    }
    if (!value.isTextual()) {
      throw Nova.invalid("rebuild/" + field, value, "is not of type 'string'");
    }
    return value.textValue();
  }

  private static Map<String, String> metadata(JsonNode node) {
    if (!node.isObject()) {
      throw Nova.invalid("rebuild/metadata", node, "is not of type 'object'");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().isEmpty() || e.getKey().length() > 255) {
        throw Nova.invalid("rebuild/metadata", node, "keys must be 1 to 255 characters long");
      }
      if (!e.getValue().isTextual() || e.getValue().textValue().length() > 255) {
        throw Nova.invalid("rebuild/metadata/" + e.getKey(), e.getValue(), "must be a string of at most 255 characters");
      }
      result.put(e.getKey(), e.getValue().textValue());
    }
    return result;
  }

  private static String password() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      sb.append(PASSWORD_CHARS.charAt(RANDOM.nextInt(PASSWORD_CHARS.length())));
    }
    return sb.toString();
  }
}
