package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.VolumeService;
import java.util.Set;

/**
 * {@code POST /v3/{project_id}/volumes/{volume_id}/action}: extend, bootable, read-only, image
 * metadata, retype, the admin actions, and the legacy attach/detach actions, which move the same
 * attachment records as the attachments API.
 */
final class VolumeActionsApi {
  private static final Set<String> ADMIN_ACTIONS = Set.of("os-reset_status", "os-force_detach", "os-force_delete");

  private final VolumeService service;

  VolumeActionsApi(VolumeService service) {
    this.service = requireNonNull(service, "service is null");
  }

  void register(ApiRoutes routes) {
    routes.post("/v3/{project_id}/volumes/{volume_id}/action", Access.AUTHENTICATED, this::act);
  }

  private ApiResponse act(ApiRequest request) {
    CinderProject.of(request);
    JsonInput body = JsonInput.root(request.body());
    var names = request.body().fieldNames();
    if (!names.hasNext()) {
      throw ApiError.badRequest("The action body is empty: name one action, e.g. {\"os-extend\": {\"new_size\": 2}}.");
    }
    String action = names.next();
    if (names.hasNext()) {
      throw ApiError.badRequest("Name exactly one action per request.");
    }
    if (ADMIN_ACTIONS.contains(action) && !request.caller().isAdmin()) {
      throw ApiError.forbidden("Policy doesn't allow volume_extension:volume_admin_actions:" + action.substring(3) + " to be performed.");
    }
    Actor actor = request.caller().actor();
    String id = request.pathParam("volume_id");
    Attachments attachments = service.attachments();
    switch (action) {
      case "os-extend" -> {
        JsonInput in = body.object(action);
        in.allowOnly("new_size");
        int newSize = in.optionalInt("new_size").orElseThrow(() -> in.invalid("new_size", "this field is required"));
        service.volumes().extend(actor, id, newSize, request.microversion().atLeast(3, 42));
      }
      case "os-set_bootable" -> {
        JsonInput in = body.object(action);
        in.allowOnly("bootable");
        boolean bootable = in.optionalBoolean("bootable").orElseThrow(() -> in.invalid("bootable", "this field is required"));
        service.volumes().update(actor, id, null, null, bootable);
        return ApiResponse.ok(null);
      }
      case "os-reserve" -> attachments.reserve(actor, id);
      case "os-unreserve" -> attachments.unreserve(actor, id);
      case "os-initialize_connection" -> {
        JsonInput in = body.object(action);
        in.allowOnly("connector");
        String info = attachments.initializeConnection(actor, id, AttachmentsApi.connector(in));
        return ApiResponse.ok(Json.wrap("connection_info", VolumeViews.parse(info)));
      }
      case "os-attach" -> {
        JsonInput in = body.object(action);
        in.allowOnly("instance_uuid", "mountpoint", "mode", "host_name");
        String instance = in.optionalUuid("instance_uuid").orElse(null);
        String host = in.optionalString("host_name", 255).orElse(null);
        if (instance == null && host == null) {
          throw in.invalid("instance_uuid", "give the instance_uuid (or host_name) the volume is attached to");
        }
        String mode = in.optionalString("mode").orElse(null);
        if (mode != null && !mode.equals("rw") && !mode.equals("ro")) {
          throw in.invalid("mode", "must be 'rw' or 'ro'");
        }
        attachments.attach(actor, id, instance, host, in.optionalString("mountpoint", 255).orElse(null), mode);
      }
      case "os-begin_detaching" -> attachments.beginDetaching(actor, id);
      case "os-roll_detaching" -> attachments.rollDetaching(actor, id);
      case "os-terminate_connection" -> {
        JsonInput in = body.object(action);
        in.allowOnly("connector");
        attachments.terminateConnection(actor, id, AttachmentsApi.connector(in));
      }
      case "os-detach" -> {
        String attachmentId = optionalField(body, action, "attachment_id");
        attachments.detach(actor, id, attachmentId);
      }
      case "os-force_detach" -> {
        String attachmentId = optionalField(body, action, "attachment_id", "connector");
        attachments.forceDetach(actor, id, attachmentId);
      }
      case "os-force_delete" -> service.volumes().forceDelete(actor, id);
      case "os-update_readonly_flag" -> {
        JsonInput in = body.object(action);
        in.allowOnly("readonly");
        boolean readonly = in.optionalBoolean("readonly").orElseThrow(() -> in.invalid("readonly", "this field is required"));
        service.properties().setReadonly(actor, id, readonly);
      }
      case "os-retype" -> {
        JsonInput in = body.object(action);
        in.allowOnly("new_type", "migration_policy");
        service.properties().retype(
            actor, id, in.string("new_type"), in.optionalString("migration_policy").orElse(null));
      }
      case "os-show_image_metadata" -> {
        return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(service.properties().imageMetadata(actor, id))));
      }
      case "os-set_image_metadata" -> {
        JsonInput in = body.object(action);
        in.allowOnly("metadata");
        var metadata = VolumesApi.metadata(in, "metadata");
        if (metadata == null) {
          throw in.invalid("metadata", "this field is required");
        }
        return ApiResponse.ok(Json.wrap("metadata", Json.MAPPER.valueToTree(service.properties().setImageMetadata(actor, id, metadata))));
      }
      case "os-unset_image_metadata" -> {
        JsonInput in = body.object(action);
        in.allowOnly("key");
        service.properties().unsetImageMetadata(actor, id, in.string("key"));
        return ApiResponse.ok(null);
      }
      case "os-reset_status" -> {
        JsonInput in = body.object(action);
        in.allowOnly("status", "attach_status", "migration_status");
        service.volumes().resetStatus(
            id, in.optionalString("status").orElse(null), in.optionalString("attach_status").orElse(null));
      }
      case "os-volume_upload_image" -> {
        return ApiResponse.accepted(UploadView.started(request, body.object(action), service, actor, id));
      }
      default -> throw ApiError.badRequest("There is no such action: " + action);
    }
    return ApiResponse.accepted(null);
  }

  /** Reads {@code attachment_id} from an action whose body may also be null or empty. */
  private static String optionalField(JsonInput body, String action, String... allowed) {
    JsonNode raw = body.has(action) ? body.raw(action) : null;
    if (raw == null || raw.isNull()) {
      return null;
    }
    JsonInput in = body.object(action);
    in.allowOnly(allowed);
    return in.optionalString("attachment_id").orElse(null);
  }
}
