package dev.kiln.orchestration.resources.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import dev.kiln.volume.Backup;
import dev.kiln.volume.Volume;
import dev.kiln.volume.Volumes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code OS::Cinder::Volume}: a Block Storage volume made as the stack owner, blank or from an
 * image, a snapshot or another volume. Name, description and metadata change in place; a larger
 * {@code size} extends the volume in place, attached or not (Cinder 3.42); a new {@code
 * volume_type} retypes it; any other change replaces it. The volume's id is drawn from the row's
 * seeded randomness, so a create repeated after a crash finds the volume the first attempt made.
 */
public final class CinderVolume implements ResourceType {
  public static final String TYPE = "OS::Cinder::Volume";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Block Storage volume: a block device that servers can attach. It can be blank (give a size) or"
              + " made from an image, a snapshot or another volume.",
          null,
          Props.properties(
              "availability_zone", Props.string("The availability zone to make the volume in."),
              "size",
              Props.integer(
                      "The volume's size in GiB; needed unless the volume is made from a snapshot or another"
                          + " volume. An update can only make it larger.")
                  .updatable()
                  .range(1.0, null),
              "snapshot_id", Props.string("The snapshot to make the volume from.").custom("cinder.snapshot"),
              "backup_id",
              Props.string("The backup to restore the volume from.").updatable().custom("cinder.backup"),
              "name", Props.string("The volume's name.").updatable(),
              "description", Props.string("The volume's description.").updatable(),
              "volume_type",
              Props.string("The volume type (name or id), which picks the backend and its capabilities.")
                  .custom("cinder.vtype")
                  .updatable(),
              "metadata",
              Props.map("Key/value pairs stored with the volume.")
                  .updatable()
                  .defaultValue(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
              "imageRef",
              Props.string("The id of the image to make the volume from.")
                  .support("HIDDEN", "5.0.0", "Use property image."),
              "image", Props.string("The image (name or id) to make the volume from.").custom("glance.image"),
              "source_volid", Props.string("The volume to copy.").custom("cinder.volume"),
              "scheduler_hints",
              Props.map("Key/value hints for the Block Storage scheduler placing the volume.").since("2015.1"),
              "read_only", Props.bool("Whether the volume attaches read-only.").since("5.0.0").updatable(),
              "multiattach",
              Props.bool("Whether the volume may be attached to several servers; use a volume type with"
                      + " multiattach instead.")
                  .defaultValue(false)
                  .support("HIDDEN", "13.0.0", null)),
          attributes());

  private final Cloud cloud;

  public CinderVolume(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  private static Map<String, AttributeSchema> attributes() {
    Map<String, AttributeSchema> a = new LinkedHashMap<>();
    a.put("availability_zone", Props.attribute("The availability zone the volume is in.", "string"));
    a.put("size", Props.attribute("The volume's size in GiB.", "string"));
    a.put("snapshot_id", Props.attribute("The snapshot the volume was made from, if any.", "string"));
    a.put("display_name", Props.attribute("The volume's name.", "string"));
    a.put("display_description", Props.attribute("The volume's description.", "string"));
    a.put("volume_type", Props.attribute("The volume's type.", "string"));
    a.put("metadata", Props.attribute("The volume's metadata, as JSON text.", "string"));
    a.put("source_volid", Props.attribute("The volume this one was copied from, if any.", "string"));
    a.put("status", Props.attribute("The volume's current status.", "string"));
    a.put("created_at", Props.attribute("When the volume was made.", "string"));
    a.put("bootable", Props.attribute("Whether a server can boot from the volume.", "string"));
    a.put("metadata_values", Props.attribute("The volume's metadata, as a map.", "map"));
    a.put("encrypted", Props.attribute("Whether the volume is encrypted.", "string"));
    a.put(
        "attachments",
        new AttributeSchema(
            "The volume's attachments, as text.", "string",
            new SupportStatus("DEPRECATED", "9.0.0", "Use property attachments_list.")));
    a.put(
        "attachments_list",
        new AttributeSchema("The volume's attachments.", "list", new SupportStatus("SUPPORTED", "9.0.0", null)));
    a.put(
        "multiattach",
        new AttributeSchema(
            "Whether the volume may be attached to several servers at once.", "boolean",
            new SupportStatus("SUPPORTED", "6.0.0", null)));
    return a;
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    validateSources(props);
    refuseUnsupported(props);
    Actor owner = context.owner();
    String id = StableIds.uuid(context);
    if (find(owner, id).isEmpty()) {
      String image = text(props, "image");
      cloud.volume().volumes().create(
          owner,
          new Volumes.Spec(
              Objects.requireNonNullElse(text(props, "name"), context.physicalName()),
              text(props, "description"),
              props.hasNonNull("size") ? props.get("size").asInt() : null,
              text(props, "volume_type"),
              text(props, "availability_zone"),
              strings(props.get("metadata")),
              text(props, "snapshot_id"),
              text(props, "source_volid"),
              null, // multiattach comes from the volume type, as in Heat since 13.0.0
              image != null ? image : text(props, "imageRef"),
              null,
              text(props, "backup_id")),
          id);
    }
    context.physicalId(id);
    Volume volume = Waits.until(context, id, "volume " + id + " to become available", () -> settled(owner, id));
    if (!volume.status().equals(Volume.Status.AVAILABLE)) {
      throw new ResourceError("ResourceInError", "Went to status " + volume.status() + " due to \"Unknown\"");
    }
  }

  /** Heat's rule: a size, or else exactly one of snapshot_id and source_volid, and one source at most. */
  private static void validateSources(JsonNode props) throws ResourceError {
    if (props.hasNonNull("image") && props.hasNonNull("imageRef")) {
      throw new ResourceError(
          "ResourcePropertyConflict", "Cannot define the following properties at the same time: image, imageRef.");
    }
    if (props.hasNonNull("backup_id")) {
      return;
    }
    List<String> exclusive = new ArrayList<>();
    List<String> sizeFrom = new ArrayList<>();
    for (String source : List.of("snapshot_id", "source_volid", "image", "imageRef")) {
      if (props.hasNonNull(source) && !props.get(source).asText().isEmpty()) {
        exclusive.add(source);
        if (source.equals("snapshot_id") || source.equals("source_volid")) {
          sizeFrom.add(source);
        }
      }
    }
    String given = "[" + String.join(", ", exclusive.stream().map(s -> "'" + s + "'").toList()) + "]";
    if (!props.hasNonNull("size") && (sizeFrom.size() != 1 || exclusive.size() != 1)) {
      throw new ResourceError(
          "StackValidationFailed",
          "If neither \"backup_id\" nor \"size\" is provided, one and only one of \"source_volid\", \"snapshot_id\""
              + " must be specified, but currently specified options: " + given + ".");
    }
    if (props.hasNonNull("size") && exclusive.size() > 1) {
      throw new ResourceError(
          "StackValidationFailed",
          "If \"size\" is provided, only one of \"image\", \"imageRef\", \"source_volid\", \"snapshot_id\" can be"
              + " specified, but currently specified options: " + given + ".");
    }
  }

  /** What Kiln's Block Storage does not have: a read-only flag. */
  private static void refuseUnsupported(JsonNode props) throws ResourceError {
    if (props.path("read_only").asBoolean(false)) {
      throw new ResourceError("NotSupported", "Read-only volumes are not supported.");
    }
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    Actor owner = context.owner();
    String id = context.physicalId();
    refuseUnsupported(next);
    if (changed(previous, next, "name") || changed(previous, next, "description")) {
      cloud.volume().volumes().update(
          owner, id, Objects.requireNonNullElse(text(next, "name"), context.physicalName()),
          Objects.requireNonNullElse(text(next, "description"), ""), null);
    }
    if (changed(previous, next, "metadata")) {
      cloud.volume().volumes().setMetadata(owner, id, strings(next.get("metadata")), true);
    }
    if (changed(previous, next, "volume_type") && next.hasNonNull("volume_type")) {
      cloud.volume().volumes().retype(owner, id, next.get("volume_type").asText());
    }
    // As Heat orders them: the new backup is restored over the volume before it grows.
    if (changed(previous, next, "backup_id") && next.hasNonNull("backup_id")) {
      restore(context, owner, id, next.get("backup_id").asText());
    }
    if (changed(previous, next, "size") && next.hasNonNull("size")) {
      extend(context, owner, id, next.get("size").asInt());
    }
  }

  /**
   * Restores {@code backupId} over the volume once it is settled and waits for the restore's end.
   * A repeated update (its node died mid-step) restores the same backup again, which leaves the
   * volume as one restore does.
   */
  private void restore(ResourceContext context, Actor owner, String id, String backupId) throws Exception {
    Volume volume = Waits.until(context, id, "volume " + id + " to settle before its restore", () -> settled(owner, id));
    if (volume.status().equals(Volume.Status.IN_USE)) {
      // Heat detaches the volume, restores and attaches it again; Kiln's resource does not yet.
      throw new ResourceError(
          "NotSupported",
          "Restoring a backup over an attached volume is not supported: detach volume " + id + " first (Heat"
              + " would detach and re-attach it).");
    }
    try {
      cloud.volume().backups().restores().restore(owner, backupId, id, null);
    } catch (ServiceException e) {
      throw new ResourceError("Error", "Failed to restore volume " + id + " from backup " + backupId + " - " + e.getMessage());
    }
    Volume restored =
        Waits.until(context, id, "volume " + id + " to be restored from backup " + backupId, () -> settled(owner, id));
    if (!restored.status().equals(Volume.Status.AVAILABLE)) {
      throw new ResourceError(
          "ResourceUnknownStatus",
          "Volume backup restore failed - Unknown status " + restored.status() + " due to \"Unknown\"");
    }
  }

  /** Grows the volume once it is settled; a repeated update that finds it grown already is done. */
  private void extend(ResourceContext context, Actor owner, String id, int size) throws Exception {
    Volume volume = Waits.until(context, id, "volume " + id + " to be ready to extend", () -> settled(owner, id));
    if (size < volume.size()) {
      throw new ResourceError("NotSupported", "Shrinking volume is not supported.");
    }
    if (size == volume.size()) {
      return;
    }
    if (!List.of(Volume.Status.AVAILABLE, Volume.Status.IN_USE).contains(volume.status())) {
      throw new ResourceError(
          "ResourceUnknownStatus",
          "Volume resize failed - Unknown status " + volume.status() + " due to \"Unknown\"");
    }
    try {
      cloud.volume().volumes().extend(owner, id, size, true);
    } catch (ServiceException e) {
      throw new ResourceError("Error", "Failed to extend volume " + id + " - " + e.getMessage());
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    Actor owner = context.owner();
    String id = context.physicalId() != null ? context.physicalId() : StableIds.uuid(context);
    Optional<Volume> found = Waits.until(context, id, "volume " + id + " to settle before its delete", () -> {
      Optional<Volume> volume = find(owner, id);
      return volume.isEmpty() || isSettled(volume.get()) ? Optional.of(volume) : Optional.empty();
    });
    if (found.isEmpty()) {
      return;
    }
    if (found.get().status().equals(Volume.Status.IN_USE)) {
      throw new ResourceError("Error", "Volume in use");
    }
    try {
      cloud.volume().volumes().delete(owner, id, false);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    Volume volume =
        find(context.owner(), context.physicalId())
            .orElseThrow(() -> new ResourceError("EntityNotFound", "The Volume (" + context.physicalId() + ") could not be found."));
    if (!List.of(Volume.Status.AVAILABLE, Volume.Status.IN_USE).contains(volume.status())) {
      throw new ResourceError("Error", "'status': expected '['available', 'in-use']', got '" + volume.status() + "'");
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    // The resource reads back what it made; the row carries no token, so this read is the
    // service's own (the id came from the owner's create).
    Optional<Volume> volume = find(SYSTEM, resource.physicalId());
    if (volume.isEmpty()) {
      return NullNode.instance;
    }
    String typeName = cloud.volume().types().find(volume.get().volumeTypeId()).map(t -> t.name()).orElse(null);
    return VolumeView.attribute(VolumeView.show(volume.get(), typeName), name);
  }

  static final Actor SYSTEM = new Actor(null, null, true);

  private Optional<Volume> find(Actor owner, String id) {
    try {
      return Optional.of(cloud.volume().volumes().visible(owner, id));
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The volume once no operation is under way on it (created, extended, attached or detached). */
  private Optional<Volume> settled(Actor owner, String id) {
    Volume volume =
        find(owner, id).orElseThrow(() -> ServiceException.notFound("VolumeNotFound", "Volume " + id + " could not be found."));
    return isSettled(volume) ? Optional.of(volume) : Optional.empty();
  }

  private static boolean isSettled(Volume volume) {
    return switch (volume.status()) {
      case Volume.Status.CREATING, Volume.Status.EXTENDING, Volume.Status.ATTACHING, Volume.Status.DETACHING,
          Volume.Status.RESERVED, Volume.Status.DELETING, Backup.VolumeStatus.RESTORING_BACKUP -> false;
      default -> true;
    };
  }

  private static boolean changed(JsonNode previous, JsonNode next, String name) {
    return !Objects.equals(previous == null ? null : previous.get(name), next.get(name));
  }

  private static String text(JsonNode props, String name) {
    JsonNode value = props.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Metadata values as Cinder stores them: strings (other JSON values as their JSON text). */
  static Map<String, String> strings(JsonNode map) {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null && map.isObject()) {
      map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    }
    return out;
  }
}
