package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.InstanceAction;
import dev.kiln.compute.ServerActions;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code /servers/{id}/os-instance-actions}: the requests that acted on a server (create, delete,
 * power actions, lock, unlock) and, in one action, its events: for admins always, for others from
 * 2.51 without the traceback; 2.58 adds {@code updated_at}, 2.62 the event's {@code hostId} (and
 * {@code host} for admins).
 */
final class InstanceActionsApi {
  private static final String ACTIONS = "/v2.1/servers/{server_id}/os-instance-actions";

  private final ServerActions actions;

  InstanceActionsApi(ServerActions actions) {
    this.actions = requireNonNull(actions, "actions is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(ACTIONS, Access.AUTHENTICATED, this::list)
        .get(ACTIONS + "/{request_id}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("instanceActions");
    for (InstanceAction a : actions.actions(request.caller().actor(), request.pathParam("server_id"))) {
      items.add(view(request, a));
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    InstanceAction a = actions.action(actor, request.pathParam("server_id"), request.pathParam("request_id"));
    ObjectNode o = view(request, a);
    if (actor.admin() || Nova.atLeast(request, 51)) {
      ArrayNode events = o.putArray("events");
      for (InstanceAction.Event e : actions.events(a)) {
        ObjectNode ev = events.addObject();
        ev.put("event", e.event());
        ev.put("start_time", Nova.time(e.startTime()));
        ev.put("finish_time", Nova.time(e.finishTime()));
        ev.put("result", e.result());
        if (actor.admin()) {
          ev.put("traceback", e.traceback());
        }
        if (Nova.atLeast(request, 62)) {
          ev.put("hostId", hostId(a.projectId(), e.host()));
          if (actor.admin()) {
            ev.put("host", e.host());
          }
        }
      }
    }
    return ApiResponse.ok(Json.wrap("instanceAction", o));
  }

  private static ObjectNode view(ApiRequest request, InstanceAction a) {
    ObjectNode o = Json.object();
    o.put("action", a.action());
    o.put("instance_uuid", a.serverId());
    o.putNull("message");
    o.put("project_id", a.projectId());
    o.put("request_id", a.requestId());
    o.put("start_time", Nova.time(a.startTime()));
    o.put("user_id", a.userId());
    if (Nova.atLeast(request, 58)) {
      o.put("updated_at", Nova.time(a.updatedAt()));
    }
    return o;
  }

  /** Nova's hostId: sha224 of the project id and the host, or "" without a host. */
  private static String hostId(String projectId, String host) {
    if (host == null) {
      return "";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-224");
      return HexFormat.of().formatHex(sha.digest((projectId + host).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
