package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.volume.UserMessage;
import dev.kiln.volume.UserMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /v3/{project_id}/messages}: user messages from microversion 3.3 (list, show, delete);
 * filters, sorting and paging as Cinder's other lists (3.5).
 */
final class MessagesApi {
  private static final String MESSAGES = "/v3/{project_id}/messages";
  private static final Set<String> FILTERS = Set.of("resource_uuid", "resource_type", "event_id", "request_id", "message_level");
  private static final Set<String> SORT_KEYS =
      Set.of("id", "resource_uuid", "resource_type", "event_id", "request_id", "message_level", "created_at");

  private final UserMessages messages;

  MessagesApi(UserMessages messages) {
    this.messages = requireNonNull(messages, "messages is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(MESSAGES, Access.AUTHENTICATED, this::list)
        .get(MESSAGES + "/{message_id}", Access.AUTHENTICATED, this::show)
        .delete(MESSAGES + "/{message_id}", Access.AUTHENTICATED, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    String project = GroupsApi.project(request, 3);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<ObjectNode> items = new ArrayList<>();
    for (UserMessage m : messages.list(request.caller().actor(), all)) {
      items.add(view(request, project, m));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "messages", VolumesApi.url(request, project) + "/messages", items, FILTERS, SORT_KEYS, null));
  }

  private ApiResponse show(ApiRequest request) {
    String project = GroupsApi.project(request, 3);
    UserMessage m = messages.show(request.caller().actor(), request.pathParam("message_id"));
    return ApiResponse.ok(Json.wrap("message", view(request, project, m)));
  }

  private ApiResponse delete(ApiRequest request) {
    GroupsApi.project(request, 3);
    messages.delete(request.caller().actor(), request.pathParam("message_id"));
    return ApiResponse.noContent();
  }

  private static ObjectNode view(ApiRequest request, String project, UserMessage m) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("message_level", m.messageLevel());
    o.put("event_id", m.eventId());
    o.put("user_message", m.userMessage());
    o.put("resource_type", m.resourceType());
    o.put("resource_uuid", m.resourceUuid());
    o.put("request_id", m.requestId());
    o.put("created_at", VolumeViews.time(m.createdAt()));
    o.put("guaranteed_until", VolumeViews.time(m.expiresAt()));
    String self = VolumesApi.url(request, project) + "/messages/" + m.id();
    o.putArray("links").add(Json.object().put("rel", "self").put("href", self));
    return o;
  }
}
