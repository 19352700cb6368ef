package dev.kiln.volume.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.Json;
import dev.kiln.volume.Backup;
import java.util.Set;

/** Cinder's JSON shapes for backups: the summary (create, update, import, list) and the detail. */
final class BackupViews {
  /** What anyone may filter backups on, as Cinder's resource filters for backups. */
  static final Set<String> FILTERS = Set.of("name", "status", "volume_id", "id");
  static final Set<String> SORT_KEYS =
      Set.of("id", "name", "description", "status", "size", "object_count", "container", "availability_zone",
          "volume_id", "created_at", "updated_at", "data_timestamp");

  private BackupViews() {}

  static ObjectNode summary(ApiRequest request, Backup b) {
    ObjectNode o = Json.object();
    o.put("id", b.id());
    o.put("name", b.name());
    o.set("links", links(request, b));
    return o;
  }

  /** The non-detail list's item, cut from the detail view the filters and sort ran on. */
  static ObjectNode summary(ObjectNode detail) {
    ObjectNode o = Json.object();
    o.set("id", detail.get("id"));
    o.set("name", detail.get("name"));
    o.set("links", detail.get("links"));
    return o;
  }

  /**
   * The detail view of show and the detail list; the owning project for admins (3.18), the
   * metadata from 3.43.
   */
  static ObjectNode detail(ApiRequest request, Backup b) {
    ObjectNode o = Json.object();
    o.put("id", b.id());
    o.put("status", b.status());
    o.put("size", b.size());
    o.put("object_count", b.objectCount());
    o.put("availability_zone", b.availabilityZone());
    o.put("container", b.container());
    o.put("created_at", VolumeViews.time(b.createdAt()));
    o.put("updated_at", VolumeViews.time(b.updatedAt()));
    o.put("name", b.name());
    o.put("description", b.description());
    o.put("fail_reason", b.failReason());
    o.put("volume_id", b.volumeId());
    o.set("links", links(request, b));
    o.put("is_incremental", b.incremental());
    o.put("has_dependent_backups", b.hasDependents());
    o.put("snapshot_id", b.snapshotId());
    o.put("data_timestamp", VolumeViews.time(b.dataTimestamp()));
    if (request.microversion().atLeast(3, 18) && request.caller().isAdmin()) {
      o.put("os-backup-project-attr:project_id", b.projectId());
    }
    if (request.microversion().atLeast(3, 43)) {
      ObjectNode metadata = o.putObject("metadata");
      b.metadata().forEach(metadata::put);
    }
    return o;
  }

  private static ArrayNode links(ApiRequest request, Backup b) {
    ArrayNode links = Json.array();
    String path = "/" + b.projectId() + "/backups/" + b.id();
    links.addObject().put("rel", "self").put("href", request.baseUrl() + VolumeApi.PREFIX + "/v3" + path);
    links.addObject().put("rel", "bookmark").put("href", request.baseUrl() + VolumeApi.PREFIX + path);
    return links;
  }
}
