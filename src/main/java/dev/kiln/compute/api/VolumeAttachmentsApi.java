package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.attach.ServerVolumeAttachments;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /servers/{id}/os-volume_attachments}: list, show, attach (answers with the device at
 * once; the attach finishes in the background), detach, and an admin's swap (PUT). A {@code tag}
 * may be given from 2.49 and shows from 2.70; {@code delete_on_termination} from 2.79.
 */
final class VolumeAttachmentsApi {
  private static final String ATTACHMENTS = "/v2.1/servers/{server_id}/os-volume_attachments";
  private static final String ATTACHMENT = ATTACHMENTS + "/{volume_id}";

  private final ServerVolumeAttachments attachments;

  VolumeAttachmentsApi(ServerVolumeAttachments attachments) {
    this.attachments = requireNonNull(attachments, "attachments is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(ATTACHMENTS, Access.AUTHENTICATED, this::list)
        .post(ATTACHMENTS, Access.AUTHENTICATED, this::attach)
        .get(ATTACHMENT, Access.AUTHENTICATED, this::show)
        .put(ATTACHMENT, Access.ADMIN, this::swap)
        .delete(ATTACHMENT, Access.AUTHENTICATED, this::detach);
  }

  private ApiResponse list(ApiRequest request) {
    int offset = nonNegative(request, "offset", 0);
    int limit = nonNegative(request, "limit", Integer.MAX_VALUE);
    List<BlockDevice> found = attachments.list(request.caller().actor(), request.pathParam("server_id"));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("volumeAttachments");
    found.stream().skip(offset).limit(limit).forEach(d -> items.add(view(request, d)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    BlockDevice d =
        attachments.show(request.caller().actor(), request.pathParam("server_id"), request.pathParam("volume_id"));
    return ApiResponse.ok(Json.wrap("volumeAttachment", view(request, d)));
  }

  private ApiResponse attach(ApiRequest request) {
    JsonNode in = body(request);
    Set<String> allowed =
        Nova.atLeast(request, 79)
            ? Set.of("volumeId", "device", "tag", "delete_on_termination")
            : Nova.atLeast(request, 49) ? Set.of("volumeId", "device", "tag") : Set.of("volumeId", "device");
    onlyFields(in, allowed);
    String volumeId = volumeId(in);
    String device = null;
    JsonNode d = in.get("device");
    if (d != null && !d.isNull()) {
      if (!d.isTextual() || !d.textValue().matches("(/dev/)?[a-z]+[a-z0-9]*")) {
        throw Nova.invalid("volumeAttachment/device", d, "does not match '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'");
      }
      device = d.textValue().startsWith("/dev/") ? d.textValue() : "/dev/" + d.textValue();
      if (device.length() > 255) {
        throw Nova.invalid("volumeAttachment/device", d, "is too long");
      }
    }
    String tag = null;
    if (in.has("tag")) {
      JsonNode t = in.get("tag");
      if (!t.isTextual() || t.textValue().isEmpty() || t.textValue().length() > 60 || t.textValue().matches(".*[/,].*")) {
        throw Nova.invalid("volumeAttachment/tag", t, "must be 1 to 60 characters without '/' or ','");
      }
      tag = t.textValue();
    }
    boolean deleteOnTermination =
        in.has("delete_on_termination") && Nova.bool("volumeAttachment/delete_on_termination", in.get("delete_on_termination"));
    BlockDevice attached =
        attachments.attach(
            request.caller().actor(), request.pathParam("server_id"), volumeId, device, tag, deleteOnTermination,
            Nova.atLeast(request, 60));
    return ApiResponse.ok(Json.wrap("volumeAttachment", view(request, attached)));
  }

  private ApiResponse swap(ApiRequest request) {
    JsonNode in = body(request);
    onlyFields(in, Set.of("volumeId"));
    attachments.swap(
        request.caller().actor(), request.pathParam("server_id"), request.pathParam("volume_id"), volumeId(in));
    return ApiResponse.accepted(null);
  }

  private ApiResponse detach(ApiRequest request) {
    attachments.detach(request.caller().actor(), request.pathParam("server_id"), request.pathParam("volume_id"));
    return ApiResponse.accepted(null);
  }

  private static JsonNode body(ApiRequest request) {
    JsonNode root = request.body();
    JsonNode in = root.path("volumeAttachment");
    if (!root.isObject() || root.size() != 1 || !in.isObject()) {
      throw Nova.invalid("", root, "'volumeAttachment' is a required property");
    }
    return in;
  }

  private static void onlyFields(JsonNode in, Set<String> allowed) {
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("volumeAttachment", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
  }

  private static String volumeId(JsonNode in) {
    JsonNode v = in.get("volumeId");
    if (v == null) {
      throw Nova.invalid("volumeAttachment", in, "'volumeId' is a required property");
    }
    if (!v.isTextual() || !Nova.isUuidLike(v.textValue())) {
      throw Nova.invalid("volumeAttachment/volumeId", v, "is not a 'uuid'");
    }
    return v.textValue();
  }

  private static int nonNegative(ApiRequest request, String name, int absent) {
    String raw = request.query(name).orElse(null);
    if (raw == null) {
      return absent;
    }
    if (!raw.matches("[0-9]{1,9}")) {
      throw ApiError.badRequest(
          "Invalid input for query parameters " + name + ". Value: " + raw + ". '" + raw + "' does not match '^[0-9]*$'");
    }
    return Integer.parseInt(raw);
  }

  private static ObjectNode view(ApiRequest request, BlockDevice d) {
    ObjectNode o = Json.object();
    o.put("device", d.deviceName());
    o.put("id", d.volumeId());
    o.put("serverId", d.serverId());
    o.put("volumeId", d.volumeId());
    if (Nova.atLeast(request, 70)) {
      o.put("tag", d.tag());
    }
    if (Nova.atLeast(request, 79)) {
      o.put("delete_on_termination", d.deleteOnTermination());
    }
    return o;
  }
}
