package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.VolumeType;
import dev.kiln.volume.VolumeUploads;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code os-volume_upload_image} action's input (Cinder's schema: {@code image_name}
 * required; {@code visibility} and {@code protected} from 3.1) and its answer, the volume as the
 * upload left it with the new image's id.
 */
final class UploadView {
  private static final Set<String> VISIBILITIES = Set.of("public", "private", "community", "shared");

  private UploadView() {}

  static ObjectNode started(ApiRequest request, JsonInput in, VolumeService service, Actor actor, String volumeId) {
    boolean v31 = request.microversion().atLeast(3, 1);
    if (v31) {
      in.allowOnly("image_name", "force", "disk_format", "container_format", "visibility", "protected");
    } else {
      in.allowOnly("image_name", "force", "disk_format", "container_format");
    }
    String name = in.string("image_name");
    if (name.isEmpty() || name.length() > 255) {
      throw in.invalid("image_name", "must be 1 to 255 characters long");
    }
    String diskFormat = in.optionalString("disk_format", 255).orElse("raw").toLowerCase(Locale.ROOT);
    String containerFormat = in.optionalString("container_format", 255).orElse("bare");
    String visibility = in.optionalString("visibility", 255).orElse("private");
    if (!VISIBILITIES.contains(visibility)) {
      throw in.invalid("visibility", "must be one of public, private, community, shared");
    }
    boolean force = bool(in, "force");
    boolean isProtected = bool(in, "protected");
    VolumeUploads.Started started =
        service.uploads().upload(
            actor, volumeId,
            new VolumeUploads.Request(name, force, diskFormat, containerFormat, visibility, isProtected));
    ObjectNode o = Json.object();
    o.put("id", started.volume().id());
    o.put("updated_at", VolumeViews.time(started.volume().updatedAt()));
    o.put("status", started.volume().status());
    o.put("display_description", started.volume().description());
    o.put("size", started.volume().size());
    VolumeType type = service.types().find(started.volume().volumeTypeId()).orElse(null);
    if (type == null) {
      o.putNull("volume_type");
    } else {
      ObjectNode t = o.putObject("volume_type");
      t.put("id", type.id());
      t.put("name", type.name());
      t.put("description", type.description());
      t.put("is_public", type.isPublic());
      ObjectNode specs = t.putObject("extra_specs");
      type.extraSpecs().forEach(specs::put);
      t.put("qos_specs_id", type.qosSpecsId());
      t.put("deleted", false);
    }
    o.put("image_id", started.image().id());
    o.put("container_format", containerFormat);
    o.put("disk_format", diskFormat);
    o.put("image_name", name);
    if (v31) {
      o.put("visibility", visibility);
      o.put("protected", isProtected);
    }
    return Json.wrap("os-volume_upload_image", o);
  }

  /** Cinder's boolean parameter: JSON true/false or one of its words; absent is false. */
  private static boolean bool(JsonInput in, String field) {
    if (!in.has(field) || in.isNull(field)) {
      return false;
    }
    JsonNode value = in.raw(field);
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      switch (value.textValue().toLowerCase(Locale.ROOT)) {
        case "1", "t", "true", "on", "y", "yes":
          return true;
        case "0", "f", "false", "off", "n", "no":
          return false;
        default:
          break;
      }
    }
    throw in.invalid(field, "expected a boolean");
  }
}
