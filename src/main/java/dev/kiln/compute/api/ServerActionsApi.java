package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.compute.actions.ServerActions.Action;
import dev.kiln.compute.actions.ServerActions;
import dev.kiln.compute.actions.ServerRescues;
import dev.kiln.compute.attach.ServerSecurityGroups;
import dev.kiln.compute.moves.ServerShelves;
import dev.kiln.compute.servers.Servers;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /servers/{id}/action}: os-stop, os-start, reboot, pause, unpause, suspend, resume,
 * lock and unlock, addSecurityGroup and removeSecurityGroup, restore and forceDelete, each answering
 * 202 with no body (the power actions finish in the background);
 * rebuild, resize, migrate, confirmResize and revertResize are {@link MoveActionsApi}'s.
 */
final class ServerActionsApi {
  private static final String ACTION = "/v2.1/servers/{server_id}/action";

  private final ServerActions actions;
  private final MoveActionsApi moves;
  private final LiveMigrationsApi live;

  ServerActionsApi(
      ServerActions actions, MoveActionsApi moves, LiveMigrationsApi live, SnapshotActionsApi snapshots,
      ServerSecurityGroups securityGroups, Servers servers, ServerRescues rescues, ServerShelves shelves,
      FloatingIpsProxyApi floatingIps) {
    this.floatingIps = requireNonNull(floatingIps, "floatingIps is null");
    this.shelves = requireNonNull(shelves, "shelves is null");
    this.rescues = requireNonNull(rescues, "rescues is null");
    this.snapshots = requireNonNull(snapshots, "snapshots is null");
    this.securityGroups = requireNonNull(securityGroups, "securityGroups is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.actions = requireNonNull(actions, "actions is null");
    this.moves = requireNonNull(moves, "moves is null");
    this.live = requireNonNull(live, "live is null");
  }

  private final SnapshotActionsApi snapshots;
  private final ServerSecurityGroups securityGroups;
  private final Servers servers;
  private final ServerRescues rescues;
  private final ServerShelves shelves;
  private final FloatingIpsProxyApi floatingIps;

  void register(ApiRoutes routes) {
    routes.post(ACTION, Access.AUTHENTICATED, this::action);
  }

  private ApiResponse action(ApiRequest request) {
    JsonNode root = request.body();
    if (!root.isObject() || root.size() != 1) {
      throw ApiError.badRequest("Malformed request body");
    }
    Iterator<String> names = root.fieldNames();
    String name = names.next();
    JsonNode body = root.get(name);
    String id = request.pathParam("server_id");
    var actor = request.caller().actor();
    ApiResponse moved = moves.handle(request, name, id, body); // rebuild, resize, migrate, confirm/revert
    if (moved != null) {
      return moved;
    }
    ApiResponse imaged = snapshots.handle(request, name, id, body); // createImage, createBackup
    if (imaged != null) {
      return imaged;
    }
    switch (name) {
      case "os-stop" -> power(request, id, Action.STOP, body, name);
      case "os-start" -> power(request, id, Action.START, body, name);
      case "pause" -> power(request, id, Action.PAUSE, body, name);
      case "unpause" -> power(request, id, Action.UNPAUSE, body, name);
      case "suspend" -> power(request, id, Action.SUSPEND, body, name);
      case "resume" -> power(request, id, Action.RESUME, body, name);
      case "reboot" -> {
        if (!body.isObject()) {
          throw Nova.invalid(name, body, "is not of type 'object'");
        }
        JsonNode type = body.get("type");
        if (type == null) {
          throw Nova.invalid(name, body, "'type' is a required property");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!field.equals("type")) {
            throw Nova.invalid(name, body, "Additional properties are not allowed ('" + field + "' was unexpected)");
          }
        }
        if (!type.isTextual() || !Set.of("HARD", "Hard", "hard", "SOFT", "Soft", "soft").contains(type.textValue())) {
          throw Nova.invalid(
              name + "/type", type, "is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']");
        }
        boolean hard = type.textValue().toUpperCase(Locale.ROOT).equals("HARD");
        actions.start(actor, id, hard ? Action.HARD_REBOOT : Action.SOFT_REBOOT);
      }
      case "lock" -> {
        String reason = null;
        if (!body.isNull()) {
          if (!body.isObject()) {
            throw Nova.invalid(name, body, "is not of type 'object', 'null'");
          }
          for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("locked_reason") || !Nova.atLeast(request, 73)) {
              throw Nova.invalid(name, body, "Additional properties are not allowed ('" + field + "' was unexpected)");
            }
          }
          JsonNode r = body.get("locked_reason");
          if (r != null) {
            if (!r.isTextual()) {
              throw Nova.invalid(name + "/locked_reason", r, "is not of type 'string'");
            }
            if (r.textValue().length() > 255) {
              throw Nova.invalid(name + "/locked_reason", r, "is too long");
            }
            reason = r.textValue();
          }
        }
        actions.lock(actor, id, reason);
      }
      case "os-migrateLive" -> {
        return live.migrateLive(request, id, body);
      }
      case "os-getConsoleOutput" -> {
        if (!body.isObject()) {
          throw Nova.invalid(name, body, "is not of type 'object'");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!field.equals("length")) {
            throw Nova.invalid(name, body, "Additional properties are not allowed ('" + field + "' was unexpected)");
          }
        }
        Integer length = null;
        JsonNode l = body.get("length");
        if (l != null && !l.isNull()) {
          if (l.isIntegralNumber() && l.canConvertToInt()) {
            length = l.intValue();
          } else if (l.isTextual() && l.textValue().matches("-?[0-9]{1,9}")) {
            length = Integer.parseInt(l.textValue());
          } else {
            throw Nova.invalid(name + "/length", l, "is not of type 'integer', 'string', 'null'");
          }
          if (length < -1) {
            throw Nova.invalid(name + "/length", l, "is less than the minimum of -1");
          }
        }
        return ApiResponse.ok(Json.object().put("output", actions.consoleOutput(actor, id, length)));
      }
      case "os-resetState" -> {
        if (!body.isObject() || !body.has("state")) {
          throw Nova.invalid(name, body, "'state' is a required property");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!field.equals("state")) {
            throw Nova.invalid(name, body, "Additional properties are not allowed ('" + field + "' was unexpected)");
          }
        }
        JsonNode state = body.get("state");
        if (!state.isTextual() || !Set.of("active", "error").contains(state.textValue())) {
          throw Nova.invalid(name + "/state", state, "is not one of ['active', 'error']");
        }
        actions.resetState(actor, id, state.textValue());
      }
      case "addSecurityGroup" -> securityGroups.add(actor, id, securityGroupName(body));
      case "removeSecurityGroup" -> securityGroups.remove(actor, id, securityGroupName(body));
      case "rescue" -> {
        return rescue(request, id, body);
      }
      case "unrescue" -> {
        requireNullBody(name, body);
        rescues.unrescue(actor, id);
      }
      case "addFloatingIp" -> {
        return floatingIps.add(request, id, body);
      }
      case "removeFloatingIp" -> {
        return floatingIps.remove(request, id, body);
      }
      case "shelve" -> {
        requireNullBody(name, body);
        shelves.shelve(actor, id);
      }
      case "shelveOffload" -> {
        requireNullBody(name, body);
        shelves.shelveOffload(actor, id);
      }
      case "unshelve" -> {
        if (!body.isNull() && !(body.isObject() && body.isEmpty())) {
          // 2.77 lets an object name the availability zone to unshelve into; Kiln does not place
          // by a zone asked for at unshelve yet, and says so rather than ignore it.
          throw Nova.atLeast(request, 77)
              ? ApiError.badRequest("Kiln does not support choosing an availability zone at unshelve")
              : Nova.invalid(name, body, "is not of type 'null'");
        }
        shelves.unshelve(actor, id);
      }
      case "restore" -> {
        requireNullBody(name, body);
        actions.restore(actor, id);
      }
      case "forceDelete" -> {
        requireNullBody(name, body);
        // With soft delete off (Nova's default, reclaim_instance_interval 0) a forced delete is
        // the ordinary delete, which also refuses a locked server to non-admins.
        servers.delete(actor, id);
      }
      case "unlock" -> {
        requireNullBody(name, body);
        actions.unlock(actor, id);
      }
      default -> throw ApiError.badRequest("There is no such action: " + name);
    }
    return ApiResponse.accepted(null);
  }

  private void power(ApiRequest request, String id, Action action, JsonNode body, String name) {
    requireNullBody(name, body);
    actions.start(request.caller().actor(), id, action);
  }

  /**
   * {@code rescue}: null or an object with {@code adminPass} and {@code rescue_image_ref} (a UUID),
   * as Nova's schema; 200 with the rescue's admin password (the one given, else a new one), as
   * Nova answers with {@code enable_instance_password} on, its default.
   */
  private ApiResponse rescue(ApiRequest request, String id, JsonNode body) {
    String password = null;
    String imageRef = null;
    if (!body.isNull()) {
      if (!body.isObject()) {
        throw Nova.invalid("rescue", body, "is not of type 'object', 'null'");
      }
      for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!field.equals("adminPass") && !field.equals("rescue_image_ref")) {
          throw Nova.invalid("rescue", body, "Additional properties are not allowed ('" + field + "' was unexpected)");
        }
      }
      JsonNode pass = body.get("adminPass");
      if (pass != null) {
        if (!pass.isTextual()) {
          throw Nova.invalid("rescue/adminPass", pass, "is not of type 'string'");
        }
        password = pass.textValue();
      }
      JsonNode image = body.get("rescue_image_ref");
      if (image != null) {
        if (!image.isTextual() || !Nova.isUuidLike(image.textValue())) {
          throw Nova.invalid("rescue/rescue_image_ref", image, "is not a 'uuid'");
        }
        imageRef = image.textValue();
      }
    }
    rescues.rescue(request.caller().actor(), id, imageRef);
    return ApiResponse.ok(Json.object().put("adminPass", password != null ? password : Passwords.generate()));
  }

  /** The group an add/removeSecurityGroup names, checked as Nova's security group actions do. */
  private static String securityGroupName(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.badRequest("Missing parameter dict");
    }
    JsonNode name = body.get("name");
    if (name == null) {
      throw ApiError.badRequest("Security group not specified");
    }
    if (!name.isTextual() || name.textValue().isBlank()) {
      throw ApiError.badRequest("Security group name cannot be empty");
    }
    return name.textValue();
  }

  /** Nova's schemas for these actions take {@code null} (clients send it) and nothing else. */
  private static void requireNullBody(String name, JsonNode body) {
    if (!body.isNull() && !(body.isObject() && body.isEmpty())) {
      throw Nova.invalid(name, body, "is not of type 'null'");
    }
  }
}
