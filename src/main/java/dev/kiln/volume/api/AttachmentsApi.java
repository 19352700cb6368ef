package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.VolumeService;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/{project_id}/attachments} (microversion 3.27 and later). */
final class AttachmentsApi {
  private final VolumeService service;

  AttachmentsApi(VolumeService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    String base = "/v3/{project_id}/attachments";
    routes
        .get(base, Access.AUTHENTICATED, r -> list(r, false))
        .get(base + "/detail", Access.AUTHENTICATED, r -> list(r, true))
        .post(base, Access.AUTHENTICATED, this::create)
        .get(base + "/{attachment_id}", Access.AUTHENTICATED, this::show)
        .put(base + "/{attachment_id}", Access.AUTHENTICATED, this::update)
        .delete(base + "/{attachment_id}", Access.AUTHENTICATED, this::delete)
        .post(base + "/{attachment_id}/action", Access.AUTHENTICATED, this::action);
  }

  /** Before 3.27 these routes do not exist, as in Cinder. */
  private static void requireVersion(ApiRequest request, int minor) {
    if (!request.microversion().atLeast(3, minor)) {
      throw ApiError.notFound(
          "HTTPNotFound", "The resource could not be found: it needs microversion 3." + minor
              + " or later (send OpenStack-API-Version: volume 3." + minor + ").");
    }
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    requireVersion(request, 27);
    String project = CinderProject.of(request);
    boolean all = request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<ObjectNode> items = new ArrayList<>();
    for (Attachment a : service.attachments().list(request.caller().actor(), all)) {
      items.add(VolumeViews.attachment(a));
    }
    return ApiResponse.ok(CinderListQuery.answer(
        request, "attachments", VolumesApi.url(request, project) + "/attachments", items,
        VolumeViews.ATTACHMENT_FILTERS, VolumeViews.ATTACHMENT_SORT_KEYS, detail ? null : AttachmentsApi::summary));
  }

  private static ObjectNode summary(ObjectNode full) {
    ObjectNode o = Json.object();
    for (String f : new String[] {"id", "status", "instance", "volume_id"}) {
      o.set(f, full.get(f));
    }
    return o;
  }

  private ApiResponse create(ApiRequest request) {
    requireVersion(request, 27);
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "attachment");
    in.allowOnly("volume_uuid", "instance_uuid", "connector", "mode");
    if (in.has("mode") && !request.microversion().atLeast(3, 54)) {
      throw in.invalid("mode", "needs microversion 3.54 or later");
    }
    // An empty connector is no connector, as in Cinder (cinderclient sends {} without --connect):
    // the attachment is only reserved.
    Attachments.Connector connector =
        in.has("connector") && !in.isNull("connector") && !in.raw("connector").isEmpty() ? connector(in) : null;
    String mode = in.optionalString("mode").orElse(connector == null ? null : modeOf(in));
    Attachment attachment = service.attachments().create(
        request.caller().actor(), in.string("volume_uuid"), in.optionalUuid("instance_uuid").orElse(null),
        connector, mode);
    return ApiResponse.ok(Json.wrap("attachment", VolumeViews.attachment(attachment)));
  }

  private ApiResponse show(ApiRequest request) {
    requireVersion(request, 27);
    CinderProject.of(request);
    Attachment a = service.attachments().visible(request.caller().actor(), request.pathParam("attachment_id"));
    return ApiResponse.ok(Json.wrap("attachment", VolumeViews.attachment(a)));
  }

  private ApiResponse update(ApiRequest request) {
    requireVersion(request, 27);
    CinderProject.of(request);
    JsonInput in = JsonInput.wrapped(request.body(), "attachment");
    in.allowOnly("connector");
    Attachment a = service.attachments().update(request.caller().actor(), request.pathParam("attachment_id"), connector(in));
    return ApiResponse.ok(Json.wrap("attachment", VolumeViews.attachment(a)));
  }

  private ApiResponse delete(ApiRequest request) {
    requireVersion(request, 27);
    CinderProject.of(request);
    service.attachments().delete(request.caller().actor(), request.pathParam("attachment_id"));
    return ApiResponse.ok(Json.wrap("attachments", Json.array()));
  }

  private ApiResponse action(ApiRequest request) {
    requireVersion(request, 44);
    CinderProject.of(request);
    JsonInput body = JsonInput.root(request.body());
    body.allowOnly("os-complete");
    if (!body.has("os-complete")) {
      throw ApiError.badRequest("There is no such action; attachments know only os-complete.");
    }
    service.attachments().complete(request.caller().actor(), request.pathParam("attachment_id"));
    return ApiResponse.noContent();
  }

  /** The {@code connector} object of a body: kept whole, its {@code host} read out. */
  static Attachments.Connector connector(JsonInput in) {
    JsonNode raw = in.raw("connector");
    if (!raw.isObject()) {
      throw in.invalid("connector", "expected an object describing the host (initiator, ip, host, …)");
    }
    JsonInput fields = in.object("connector");
    // Kept whole as given; the two fields Kiln stores apart are held to their columns' size.
    return new Attachments.Connector(
        raw.toString(),
        fields.optionalString("host", 255).orElse(null),
        fields.optionalString("mountpoint", 255).orElse(null));
  }

  private static String modeOf(JsonInput in) {
    JsonNode mode = in.raw("connector").get("mode");
    return mode == null || !mode.isTextual() ? null : mode.textValue();
  }
}
