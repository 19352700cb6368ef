package dev.kiln.image.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.image.Image;
import java.time.Instant;
import java.util.Map;

/** Images in Glance v2's JSON: custom properties at the top level beside the base attributes. */
final class ImageViews {
  private ImageViews() {}

  static String href(Image image) {
    return "/v2/images/" + image.id();
  }

  static ObjectNode image(Image image) {
    ObjectNode o = Json.object();
    for (Map.Entry<String, String> p : image.properties().entrySet()) {
      o.put(p.getKey(), p.getValue());
    }
    o.put("name", image.name());
    o.put("disk_format", image.diskFormat());
    o.put("container_format", image.containerFormat());
    o.put("visibility", image.visibility().apiName());
    o.put("size", image.size());
    o.put("virtual_size", image.virtualSize());
    o.put("status", image.status().apiName());
    o.put("checksum", image.checksum());
    o.put("protected", image.protectedImage());
    o.put("min_ram", image.minRam());
    o.put("min_disk", image.minDisk());
    o.put("owner", image.owner());
    o.put("os_hidden", image.hidden());
    o.put("os_hash_algo", image.hashAlgo());
    o.put("os_hash_value", image.hashValue());
    o.put("id", image.id());
    o.put("created_at", time(image.createdAt()));
    o.put("updated_at", time(image.updatedAt()));
    ArrayNode tags = o.putArray("tags");
    image.tags().forEach(tags::add);
    o.put("self", href(image));
    o.put("file", href(image) + "/file");
    o.put("schema", "/v2/schemas/image");
    return o;
  }

  /** Glance's timestamps: UTC, whole seconds, {@code 2024-01-31T12:00:00Z}. */
  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
