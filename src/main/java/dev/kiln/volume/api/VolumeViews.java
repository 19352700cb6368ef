package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiVersion;
import dev.kiln.http.Json;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.Volume;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Cinder's JSON shapes for volumes, snapshots and attachments. */
final class VolumeViews {
  /** Cinder's timestamps: UTC, microseconds, no zone suffix. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  static final Set<String> VOLUME_FILTERS =
      Set.of("name", "status", "metadata", "bootable", "availability_zone", "volume_type", "created_at", "updated_at",
          "multiattach", "id");
  static final Set<String> SNAPSHOT_FILTERS = Set.of("name", "status", "volume_id", "id", "metadata");
  static final Set<String> ATTACHMENT_FILTERS = Set.of("volume_id", "instance_id", "status", "id");
  /** What each collection sorts on: its attributes Cinder has as sortable columns. */
  static final Set<String> VOLUME_SORT_KEYS =
      Set.of("id", "name", "description", "status", "size", "availability_zone", "bootable", "created_at",
          "updated_at", "user_id", "os-vol-tenant-attr:tenant_id", "volume_type", "multiattach");
  static final Set<String> SNAPSHOT_SORT_KEYS =
      Set.of("id", "name", "description", "status", "size", "volume_id", "created_at", "updated_at");
  static final Set<String> ATTACHMENT_SORT_KEYS =
      Set.of("id", "status", "volume_id", "instance_id", "attached_at", "attach_mode", "created_at");

  private VolumeViews() {}

  static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  /**
   * The volume as Cinder's volumes controller builds it, which is all that create and update
   * answer: no API-extension attributes (Tempest's create/update schema forbids them).
   */
  static ObjectNode volume(Volume v, String typeName, String url, boolean admin, ApiVersion version) {
    ObjectNode o = Json.object();
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
    v.visibleMetadata().forEach(metadata::put);
    ArrayNode attachments = o.putArray("attachments");
    for (Attachment a : v.attachments()) {
      if (a.attachStatus().equals(Attachments.ATTACHED)) {
        ObjectNode n = attachments.addObject();
        n.put("id", v.id());
        n.put("attachment_id", a.id());
        n.put("volume_id", v.id());
        n.put("server_id", a.instanceUuid());
        // Cinder shows which host uses the volume only to admins (and services such as Nova).
        n.put("host_name", admin ? a.attachedHost() : null);
        n.put("device", a.mountpoint());
        n.put("attached_at", time(a.attachTime()));
      }
    }
    o.put("user_id", v.userId());
    o.put("replication_status", "disabled");
    o.putNull("consistencygroup_id");
    if (admin) {
      o.putNull("migration_status");
    }
    if (version.atLeast(3, 13)) {
      o.put("group_id", v.groupId());
    }
    if (admin && version.atLeast(3, 21)) {
      o.putNull("provider_id");
    }
    if (version.atLeast(3, 48)) {
      o.put("shared_targets", false);
      o.putNull("service_uuid");
    }
    if (version.atLeast(3, 63)) {
      o.put("volume_type_id", v.volumeTypeId());
    }
    o.put("created_at", time(v.createdAt()));
    o.put("updated_at", time(v.updatedAt()));
    o.set("links", links(url + "/volumes/" + v.id()));
    return o;
  }

  /**
   * What {@code GET /volumes/{id}} and {@code GET /volumes/detail} show: the controller's view
   * plus what Cinder's API extensions add to those two calls only — the owning project (to anyone
   * who may see the volume), the backend host and migration state (to admins), and the image the
   * volume came from (when it came from one).
   */
  static ObjectNode volumeWithExtensions(Volume v, String typeName, String url, boolean admin, ApiVersion version) {
    ObjectNode o = volume(v, typeName, url, admin, version);
    o.put("os-vol-tenant-attr:tenant_id", v.projectId());
    if (admin) {
      o.put("os-vol-host-attr:host", "kiln@simulated#pool");
      o.putNull("os-vol-mig-status-attr:migstat");
      o.putNull("os-vol-mig-status-attr:name_id");
    }
    if (!v.imageMetadata().isEmpty()) {
      ObjectNode image = o.putObject("volume_image_metadata");
      v.imageMetadata().forEach(image::put);
    }
    return o;
  }

  /** What {@code GET /volumes} (not detail) shows of a volume. */
  static ObjectNode summary(ObjectNode full) {
    ObjectNode o = Json.object();
    o.set("id", full.get("id"));
    o.set("name", full.get("name"));
    o.set("links", full.get("links"));
    return o;
  }

  /**
   * What {@code GET /snapshots} (not detail) shows of a snapshot: Cinder's summary view, which
   * has no links.
   */
  static ObjectNode snapshotSummary(ObjectNode full) {
    ObjectNode o = Json.object();
    for (String f : new String[] {"id", "created_at", "updated_at", "name", "description", "volume_id", "status", "size", "metadata"}) {
      o.set(f, full.get(f));
    }
    return o;
  }

  static ObjectNode snapshotSummary(Snapshot s) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("created_at", time(s.createdAt()));
    o.put("updated_at", time(s.updatedAt()));
    o.put("name", s.name());
    o.put("description", s.description());
    o.put("volume_id", s.volumeId());
    o.put("status", s.status());
    o.put("size", s.size());
    ObjectNode metadata = o.putObject("metadata");
    s.metadata().forEach(metadata::put);
    return o;
  }

  /** The snapshot as create and update answer it: the summary plus what later microversions add. */
  static ObjectNode snapshot(Snapshot s, ApiVersion version) {
    ObjectNode o = snapshotSummary(s);
    if (version.atLeast(3, 14)) {
      o.put("group_snapshot_id", s.groupSnapshotId());
    }
    if (version.atLeast(3, 41)) {
      o.put("user_id", s.userId());
    }
    return o;
  }

  /** Show and detail add the extended snapshot attributes: the owning project and the progress. */
  static ObjectNode snapshotWithExtensions(Snapshot s, ApiVersion version) {
    ObjectNode o = snapshot(s, version);
    o.put("os-extended-snapshot-attributes:project_id", s.projectId());
    o.put("os-extended-snapshot-attributes:progress", s.progress() != null ? s.progress() : "0%");
    return o;
  }

  static ObjectNode attachment(Attachment a) {
    ObjectNode o = Json.object();
    o.put("id", a.id());
    o.put("status", a.attachStatus());
    o.put("instance", a.instanceUuid());
    o.put("instance_id", a.instanceUuid());
    o.put("volume_id", a.volumeId());
    o.put("attached_at", time(a.attachTime()));
    o.putNull("detached_at");
    o.put("attach_mode", a.attachMode());
    o.set("connection_info", connectionInfo(a.connectionInfo()));
    return o;
  }

  /** The attachments API shows the connection info flat: the data plus the driver's type. */
  static JsonNode connectionInfo(String json) {
    if (json == null) {
      return Json.object();
    }
    JsonNode info = parse(json);
    ObjectNode flat = Json.object();
    flat.set("driver_volume_type", info.get("driver_volume_type"));
    info.path("data").fields().forEachRemaining(e -> flat.set(e.getKey(), e.getValue()));
    return flat;
  }

  static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  private static ArrayNode links(String self) {
    ArrayNode links = Json.array();
    links.addObject().put("rel", "self").put("href", self);
    links.addObject().put("rel", "bookmark").put("href", self);
    return links;
  }
}
