package dev.kiln.image;

import dev.kiln.common.Actor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The attributes of an image being created or changed: a mutable working copy that requests edit
 * attribute by attribute, checked against Glance's limits and then built into an {@link Image}.
 */
final class ImageDraft {
  String name;
  String owner;
  Visibility visibility = Visibility.SHARED;
  String diskFormat;
  String containerFormat;
  int minDisk;
  int minRam;
  boolean protectedImage;
  boolean hidden;
  final Set<String> tags = new LinkedHashSet<>();
  final Map<String, String> properties = new LinkedHashMap<>();

  static ImageDraft of(Image image) {
    ImageDraft d = new ImageDraft();
    d.name = image.name();
    d.owner = image.owner();
    d.visibility = image.visibility();
    d.diskFormat = image.diskFormat();
    d.containerFormat = image.containerFormat();
    d.minDisk = image.minDisk();
    d.minRam = image.minRam();
    d.protectedImage = image.protectedImage();
    d.hidden = image.hidden();
    d.tags.addAll(image.tags());
    d.properties.putAll(image.properties());
    return d;
  }

  /** Sets a base attribute whose value the schema has already checked. */
  void set(Actor actor, String attribute, Object value) {
    switch (attribute) {
      case "name" -> name = (String) value;
      case "visibility" -> {
        Visibility v = Visibility.fromApiName((String) value);
        if (v == Visibility.PUBLIC && visibility != Visibility.PUBLIC && !actor.admin()) {
          throw ImageErrors.policy("publicize_image");
        }
        visibility = v;
      }
      case "disk_format" -> diskFormat = (String) value;
      case "container_format" -> containerFormat = (String) value;
      case "min_disk" -> minDisk = ImageSchema.intValue(attribute, value);
      case "min_ram" -> minRam = ImageSchema.intValue(attribute, value);
      case "protected" -> protectedImage = (Boolean) value;
      case "os_hidden" -> hidden = (Boolean) value;
      case "tags" -> {
        tags.clear();
        tags.addAll(ImageSchema.tags(value));
      }
      default -> throw ImageErrors.readOnly(attribute);
    }
  }

  void checkLimits() {
    if (properties.size() > ImageSchema.MAX_PROPERTIES) {
      throw ImageErrors.overLimit(
          "The limit has been exceeded on the number of allowed image properties. Attempted: "
              + properties.size() + ", Maximum: " + ImageSchema.MAX_PROPERTIES);
    }
    if (tags.size() > ImageSchema.MAX_TAGS) {
      throw ImageErrors.overLimit(
          "The limit has been exceeded on the number of allowed image tags. Attempted: "
              + tags.size() + ", Maximum: " + ImageSchema.MAX_TAGS);
    }
  }

  /** The image with these attributes; status and data as in {@code old} (or none). */
  Image build(String id, ImageStatus status, long revision, Instant createdAt, Instant updatedAt, Image old) {
    return new Image(
        id, name, status, visibility, owner, diskFormat, containerFormat, minDisk, minRam,
        protectedImage, hidden,
        old == null ? null : old.size(),
        old == null ? null : old.virtualSize(),
        old == null ? null : old.checksum(),
        old == null ? null : old.hashAlgo(),
        old == null ? null : old.hashValue(),
        new ArrayList<>(tags), new TreeMap<>(properties), revision, createdAt, updatedAt);
  }
}
