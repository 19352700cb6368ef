package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.events.ExternalEvent;
import dev.kiln.compute.events.ExternalEvents.Outcome;
import dev.kiln.compute.events.ExternalEvents;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /os-server-external-events} (admin only): the API Neutron and Cinder call to tell
 * Nova about a server's ports and volumes. Every event is answered with a code of its own (200
 * accepted, 400 tag missing, 404 no such server, 422 server on no host); the request answers 200
 * when all were accepted and 207 otherwise. Since Ussuri Nova answers 207 even when none was
 * accepted (its old blanket 404 hid which event failed, bug 1855752), and so does Kiln.
 *
 * <p>Also Kiln's own {@code GET /os-kiln-external-events?server_uuid=} (admin only), which no
 * OpenStack cloud has: the events Compute recorded for a server, whoever sent them.
 */
final class ServerExternalEventsApi {
  private static final String EVENTS = "/v2.1/os-server-external-events";
  private static final String KILN_EVENTS = "/v2.1/os-kiln-external-events";
  private static final Set<String> FIELDS = Set.of("name", "server_uuid", "status", "tag");
  private static final int MAX_TAG = 255;

  private final ExternalEvents events;

  ServerExternalEventsApi(ExternalEvents events) {
    this.events = requireNonNull(events, "events is null");
  }

  void register(ApiRoutes routes) {
    routes.post(EVENTS, Access.ADMIN, this::create).get(KILN_EVENTS, Access.ADMIN, this::list);
  }

  /** One event of the request, checked against Nova's schema for the request's microversion. */
  private record Requested(ObjectNode echo, String serverId, String name, String tag, String status) {}

  private ApiResponse create(ApiRequest request) {
    List<Requested> requested = read(request);
    ArrayNode answered = Json.object().arrayNode();
    boolean allAccepted = true;
    for (Requested r : requested) {
      Outcome outcome = events.record(r.serverId(), r.name(), r.tag(), r.status(), ExternalEvent.Source.API);
      ObjectNode echo = r.echo();
      echo.put("status", outcome == Outcome.ACCEPTED ? ExternalEvents.COMPLETED : ExternalEvents.FAILED);
      echo.put("code", outcome.code());
      answered.add(echo);
      allAccepted &= outcome == Outcome.ACCEPTED;
    }
    ObjectNode body = Json.object();
    body.set("events", answered);
    return ApiResponse.status(allAccepted ? 200 : 207, body);
  }

  /** Reads and checks the whole body before any event is recorded, so a bad one changes nothing. */
  private static List<Requested> read(ApiRequest request) {
    JsonNode body = request.body();
    if (!body.isObject()) {
      throw Nova.invalid("body", body, "is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("events")) {
        throw Nova.invalid(field, body.get(field), "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    JsonNode list = body.get("events");
    if (list == null) {
      throw Nova.invalid("events", null, "'events' is a required property");
    }
    if (!list.isArray()) {
      throw Nova.invalid("events", list, "is not of type 'array'");
    }
    if (list.isEmpty()) {
      throw Nova.invalid("events", list, "[] is too short");
    }
    List<String> names = names(request);
    List<Requested> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : list) {
      out.add(event("events/" + i++, item, names));
    }
    return out;
  }

  private static Requested event(String path, JsonNode item, List<String> names) {
    if (!(item instanceof ObjectNode event)) {
      throw Nova.invalid(path, item, "is not of type 'object'");
    }
    for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw Nova.invalid(path, event, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    for (String required : List.of("name", "server_uuid")) {
      if (!event.has(required)) {
        throw Nova.invalid(path, event, "'" + required + "' is a required property");
      }
    }
    String name = string(path + "/name", event.get("name"));
    if (!names.contains(name)) {
      throw Nova.invalid(path + "/name", event.get("name"), "is not one of " + quoted(names));
    }
    String serverId = string(path + "/server_uuid", event.get("server_uuid"));
    if (!Nova.isUuidLike(serverId)) {
      throw Nova.invalid(path + "/server_uuid", event.get("server_uuid"), "is not a 'uuid'");
    }
    String status = ExternalEvents.COMPLETED;
    if (event.has("status")) {
      status = string(path + "/status", event.get("status"));
      if (!ExternalEvents.STATUSES.contains(status)) {
        throw Nova.invalid(path + "/status", event.get("status"), "is not one of " + quoted(ExternalEvents.STATUSES));
      }
    }
    String tag = null;
    if (event.has("tag")) {
      tag = string(path + "/tag", event.get("tag"));
      if (tag.length() > MAX_TAG) {
        throw Nova.invalid(path + "/tag", event.get("tag"), "is too long (at most " + MAX_TAG + " characters)");
      }
    }
    return new Requested(event.deepCopy(), serverId, name, tag, status);
  }

  /** The event names Nova's schema allows at this microversion. */
  private static List<String> names(ApiRequest request) {
    List<String> names =
        new ArrayList<>(
            List.of(
                ExternalEvents.NETWORK_CHANGED,
                ExternalEvents.VIF_PLUGGED,
                ExternalEvents.VIF_UNPLUGGED,
                ExternalEvents.VIF_DELETED));
    if (Nova.atLeast(request, 51)) {
      names.add(ExternalEvents.VOLUME_EXTENDED);
    }
    if (Nova.atLeast(request, 76)) {
      names.add(ExternalEvents.POWER_UPDATE);
    }
    return names;
  }

  private static String string(String path, JsonNode value) {
    if (value == null || !value.isTextual()) {
      throw Nova.invalid(path, value, "is not of type 'string'");
    }
    return value.textValue();
  }

  private static String quoted(List<String> values) {
    return "['" + String.join("', '", values) + "']";
  }

  private ApiResponse list(ApiRequest request) {
    Nova.onlyQuery(request, 1, "server_uuid");
    String serverId =
        request.query("server_uuid")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> ApiError.badRequest("The query parameter server_uuid is required."));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("external_events");
    for (ExternalEvent e : events.of(serverId)) {
      ObjectNode item = items.addObject();
      item.put("name", e.name());
      item.put("server_uuid", e.serverId());
      item.put("tag", e.tag());
      item.put("status", e.status());
      item.put("source", e.source().wireName());
      item.put("received_at", Nova.time(e.receivedAt()));
    }
    return ApiResponse.ok(body);
  }
}
