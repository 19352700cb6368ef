package dev.kiln.orchestration.resources.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.Volume;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A volume as Heat sees it through cinderclient: the body Cinder's API shows (the {@code show}
 * attribute) and the attribute values {@code OS::Cinder::Volume} derives from it.
 */
final class VolumeView {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Cinder's timestamps: UTC, microseconds, no zone. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private VolumeView() {}

  /** What {@code GET /volumes/{id}} answers inside {@code "volume"}, links aside. */
  static ObjectNode show(Volume v, String typeName) {
    ObjectNode o = JSON.objectNode();
    o.put("id", v.id());
    o.put("name", v.name());
    o.put("description", v.description());
    o.put("size", v.size());
    o.put("status", v.status());
    o.put("availability_zone", v.availabilityZone());
    o.put("bootable", String.valueOf(v.bootable()));
    o.put("encrypted", false);
    o.put("multiattach", v.multiattach());
    o.put("volume_type", typeName);
    o.put("snapshot_id", v.snapshotId());
    o.put("source_volid", v.sourceVolid());
    ObjectNode metadata = o.putObject("metadata");
    // In key order: the record's map has none, and the metadata attribute is text templates compare.
    new java.util.TreeMap<>(v.metadata()).forEach(metadata::put);
    if (!v.imageMetadata().isEmpty()) {
      ObjectNode image = o.putObject("volume_image_metadata");
      v.imageMetadata().forEach(image::put);
    }
    o.set("attachments", attachments(v));
    o.put("user_id", v.userId());
    o.put("os-vol-tenant-attr:tenant_id", v.projectId());
    o.put("replication_status", "disabled");
    o.putNull("consistencygroup_id");
    o.putNull("migration_status");
    o.putNull("group_id");
    o.put("created_at", time(v.createdAt()));
    o.put("updated_at", time(v.updatedAt()));
    return o;
  }

  /** The attached attachments, as Cinder lists them on a volume (the id is the volume's). */
  static ArrayNode attachments(Volume v) {
    ArrayNode list = JSON.arrayNode();
    for (Attachment a : v.attachments()) {
      if (a.attachStatus().equals(Attachments.ATTACHED)) {
        ObjectNode n = list.addObject();
        n.put("id", v.id());
        n.put("attachment_id", a.id());
        n.put("volume_id", v.id());
        n.put("server_id", a.instanceUuid());
        n.put("host_name", a.attachedHost());
        n.put("device", a.mountpoint());
        n.put("attached_at", time(a.attachTime()));
      }
    }
    return list;
  }

  /**
   * One attribute of OS::Cinder::Volume. Most are Python's {@code str()} of the field, as Heat
   * returns them; {@code metadata} is the JSON text of the metadata, {@code metadata_values} and
   * {@code attachments_list} the values themselves.
   */
  static JsonNode attribute(ObjectNode shown, String name) {
    return switch (name) {
      case "show" -> shown;
      case "metadata" -> TextNode.valueOf(PythonText.jsonDumps(shown.get("metadata")));
      case "metadata_values" -> shown.get("metadata");
      case "display_name" -> shown.get("name");
      case "display_description" -> shown.get("description");
      case "attachments_list" -> shown.get("attachments");
      case "attachments" -> TextNode.valueOf(PythonText.repr(shown.get("attachments")));
      case "availability_zone", "size", "snapshot_id", "volume_type", "source_volid", "status", "created_at",
          "bootable", "encrypted", "multiattach" -> TextNode.valueOf(PythonText.str(shown.get(name)));
      default -> NullNode.instance;
    };
  }

  private static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }
}
