package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.actions.ServerActions;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.InstanceActionQuery;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.PageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * {@code /servers/{id}/os-instance-actions}: the requests that acted on a server (create, delete,
 * power actions, lock, unlock) and, in one action, its events: for admins always, for others from
 * 2.51 without the traceback. 2.21 shows a deleted server's actions; 2.58 adds {@code updated_at}
 * and pages the list ({@code limit}, {@code marker} = a request id, {@code changes-since}; 2.66
 * {@code changes-before}); 2.62 adds the event's {@code hostId} (and {@code host} for admins).
 */
final class InstanceActionsApi {
  private static final String ACTIONS = "/v2.1/servers/{server_id}/os-instance-actions";
  /** Nova's {@code [api] max_limit}: a page from 2.58 holds at most this many actions. */
  private static final int MAX_LIMIT = 1000;

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
    String serverId = request.pathParam("server_id");
    InstanceActionQuery query = InstanceActionQuery.ALL;
    if (Nova.atLeast(request, 58)) {
      if (Nova.atLeast(request, 66)) {
        Nova.onlyQuery(request, 66, "limit", "marker", "changes-since", "changes-before");
      } else {
        Nova.onlyQuery(request, 58, "limit", "marker", "changes-since");
      }
      PageRequest paging = PageRequest.from(request);
      Instant since = time(request, "changes-since");
      Instant before = Nova.atLeast(request, 66) ? time(request, "changes-before") : null;
      if (since != null && before != null && before.isBefore(since)) {
        throw ApiError.badRequest("The value of changes-since must be less than or equal to changes-before.");
      }
      int limit = paging.limit() == null ? MAX_LIMIT : Math.min(paging.limit(), MAX_LIMIT);
      query = new InstanceActionQuery(limit, paging.marker(), since, before);
    }
    InstanceActionQuery.Page page =
        actions.actions(request.caller().actor(), serverId, Nova.atLeast(request, 21), query);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("instanceActions");
    for (InstanceAction a : page.actions()) {
      items.add(view(request, a));
    }
    if (page.more() && !page.actions().isEmpty()) {
      // Nova names this one "links", not "instanceActions_links".
      body.set(
          "links",
          Nova.nextLinks(request, "servers/" + serverId + "/os-instance-actions", page.actions().getLast().requestId()));
    }
    return ApiResponse.ok(body);
  }

  /** A {@code date-time} query parameter (no zone means UTC), or null when absent. */
  private static Instant time(ApiRequest request, String name) {
    String text = request.query(name).orElse(null);
    if (text == null) {
      return null;
    }
    try {
      boolean zoned = text.matches(".*([Zz]|[+-]\\d\\d:?\\d\\d)$");
      return OffsetDateTime.parse(zoned ? text : text + "Z").toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "Invalid input for query parameters " + name + ". Value: " + text + ". '" + text + "' is not a 'date-time'");
    }
  }

  private ApiResponse show(ApiRequest request) {
    Actor actor = request.caller().actor();
    InstanceAction a =
        actions.action(actor, request.pathParam("server_id"), request.pathParam("request_id"), Nova.atLeast(request, 21));
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
