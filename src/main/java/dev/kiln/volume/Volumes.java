package dev.kiln.volume;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeServiceStore;
import dev.kiln.volume.store.VolumeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder volumes: create (asynchronously, through the task runner), show, change, extend and
 * delete, with quotas held from the request until the volume is gone.
 */
public final class Volumes {
  public static final String AVAILABILITY_ZONE = "nova";
  static final String CREATE_TASK = "volume.create";
  private static final Logger LOG = LoggerFactory.getLogger(Volumes.class);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeTypes types;
  private final VolumeQuotas quotas;
  private final VolumeBackend backend;
  private final TaskRunner tasks;
  private final ImageCatalog images;
  private volatile VolumeEvents volumeEvents = VolumeEvents.NONE;

  public Volumes(
      Database db,
      Clock clock,
      IdGenerator ids,
      VolumeTypes types,
      VolumeQuotas quotas,
      VolumeBackend backend,
      TaskRunner tasks,
      ImageCatalog images) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.types = requireNonNull(types, "types is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.backend = requireNonNull(backend, "backend is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.images = requireNonNull(images, "images is null");
    tasks.register(
        CREATE_TASK,
        TaskHandler.withGiveUp(
            this::finishCreate,
            // The create could not even be tried (e.g. the database kept failing): say so.
            (task, error) ->
                new VolumeStore(db.sql())
                    .transition(volumeIdOf(task), List.of(Status.CREATING), Status.ERROR, AttachStatus.DETACHED, now())));
  }

  /** Plugs in Compute's receiver of volume events; Compute is wired after Block Storage. */
  public void volumeEvents(VolumeEvents events) {
    this.volumeEvents = requireNonNull(events, "events is null");
  }

  /**
   * What a create asks for; null means "the default" or "from the source". At most one source:
   * a snapshot, a volume or an image (its id, or a name Cinder would look up).
   */
  public record Spec(
      String name,
      String description,
      Integer size,
      String volumeType,
      String availabilityZone,
      Map<String, String> metadata,
      String snapshotId,
      String sourceVolid,
      Boolean multiattach,
      String imageId) {}

  public Volume create(Actor actor, Spec spec) {
    return create(actor, spec, ids.uuid());
  }

  /**
   * Like {@link #create(Actor, Spec)}, with the new volume's id chosen by the in-process caller:
   * Orchestration derives it from the resource, so a create retried after a crash finds the volume
   * the first attempt made (a second insert of the id is refused by the primary key).
   */
  public Volume create(Actor actor, Spec spec, String id) {
    requireNonNull(id, "id is null");
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to create a volume.");
    }
    long sources = Stream.of(spec.snapshotId(), spec.sourceVolid(), spec.imageId()).filter(Objects::nonNull).count();
    if (sources > 1) {
      throw VolumeErrors.invalidInput("May specify only one of snapshot, imageRef, source_volume, backup");
    }
    VolumeStore reader = new VolumeStore(db.sql());
    Integer sourceSize = null;
    String sourceType = null;
    // A copy of a volume is bootable, and remembers its image, as its origin did.
    Volume origin = null;
    if (spec.snapshotId() != null) {
      Snapshot snapshot = reader.findSnapshot(spec.snapshotId())
          .filter(s -> actor.owns(s.projectId()))
          .orElseThrow(() -> VolumeErrors.snapshotNotFound(spec.snapshotId()));
      if (!snapshot.status().equals(Status.AVAILABLE)) {
        throw ServiceException.invalid(
            "InvalidSnapshot", "Invalid snapshot: Originating snapshot status must be one of 'available' values");
      }
      sourceSize = snapshot.size();
      origin = reader.findVolume(snapshot.volumeId()).orElse(null);
      sourceType = origin == null ? null : origin.volumeTypeId();
    }
    if (spec.sourceVolid() != null) {
      Volume source = visible(actor, spec.sourceVolid());
      if (!List.of(Status.AVAILABLE, Status.IN_USE).contains(source.status())) {
        throw VolumeErrors.invalidVolume("Source volume status must be available or in-use, it is " + source.status() + ".");
      }
      sourceSize = source.size();
      sourceType = source.volumeTypeId();
      origin = source;
    }
    ImageCatalog.ImageInfo image = spec.imageId() == null ? null : image(actor, spec.imageId());
    int size = spec.size() != null ? spec.size() : requireNonNullElse(sourceSize, 0);
    if (size < 1) {
      throw VolumeErrors.invalidInput(
          "'size' must be an integer and greater than 0 (got " + (spec.size() == null ? "none" : size) + ").");
    }
    if (sourceSize != null && size < sourceSize) {
      throw VolumeErrors.invalidInput(
          "Volume size '" + size + "'GB cannot be smaller than the source's size '" + sourceSize + "'GB.");
    }
    if (image != null) {
      VolumeImages.checkFits(image, size);
    }
    quotas.checkVolumeSize(actor.projectId(), size);
    String zone = requireNonNullElse(spec.availabilityZone(), AVAILABILITY_ZONE);
    if (!zone.equals(AVAILABILITY_ZONE)) {
      throw ServiceException.invalid(
          "InvalidAvailabilityZone", "Availability zone '" + zone + "' is invalid; Kiln has '" + AVAILABILITY_ZONE + "'.");
    }
    // Cinder takes the type the request names, else the one the image asks for in its
    // cinder_img_volume_type property, else the source's, else the default.
    String imageType = image == null ? null : image.properties().get(VolumeImages.VOLUME_TYPE_PROPERTY);
    VolumeType type =
        spec.volumeType() != null
            ? types.resolve(actor, spec.volumeType())
            : imageType != null
                ? types.resolve(actor, imageType)
                : sourceType != null ? types.find(sourceType).orElse(types.defaultType()) : types.defaultType();
    boolean multiattach = type.multiattach() || Boolean.TRUE.equals(spec.multiattach());
    Instant now = now();
    Volume volume =
        new Volume(
            id, actor.projectId(), actor.userId(), spec.name(), spec.description(), size, Status.CREATING,
            AttachStatus.DETACHED, type.id(), zone, multiattach, image != null || (origin != null && origin.bootable()),
            spec.sourceVolid(), spec.snapshotId(), requireNonNullElse(spec.metadata(), Map.of()), List.of(), now, now,
            image != null ? VolumeImages.metadataOf(image) : origin != null ? origin.imageMetadata() : Map.of(),
            Map.of());
    db.inTransaction(
        sql -> {
          quotas.reserve(sql, actor.projectId(), 1, size, 0);
          new VolumeStore(sql).insertVolume(volume);
          return tasks.submit(sql, CREATE_TASK, "{\"volume_id\": \"" + volume.id() + "\"}", now, 3);
        });
    tasks.wake();
    return volume;
  }

  /**
   * The image a volume is to be made from, as Cinder finds it: by id, else by name (one match
   * only); any other reference is invalid input.
   */
  private ImageCatalog.ImageInfo image(Actor actor, String ref) {
    Optional<ImageCatalog.ImageInfo> byId = images.find(actor, ref);
    if (byId.isPresent()) {
      return byId.get();
    }
    List<ImageCatalog.ImageInfo> byName = images.named(actor, ref);
    if (byName.size() > 1) {
      throw ServiceException.conflict(
          "Conflict", "Multiple matches found for '" + ref + "', use an ID to be more specific.");
    }
    if (byName.isEmpty()) {
      throw VolumeErrors.invalidInput("Invalid image identifier or unable to access requested image.");
    }
    return byName.getFirst();
  }

  /** Runs the backend's create; the volume ends {@code available}, or {@code error} if it failed. */
  private String finishCreate(Task task) {
    String id = volumeIdOf(task);
    Volume volume = new VolumeStore(db.sql()).findVolume(id).orElse(null);
    if (volume == null || !volume.status().equals(Status.CREATING)) {
      return null; // deleted meanwhile, or an earlier attempt finished
    }
    String outcome = Status.AVAILABLE;
    if (backendDisabled()) {
      // Cinder's scheduler finds no valid backend while the only one is disabled.
      LOG.warn("Volume {} failed to create: no valid backend (cinder-volume is disabled)", id);
      outcome = Status.ERROR;
    } else {
      try {
        backend.create(volume);
      } catch (RuntimeException e) {
        LOG.warn("Volume {} failed to create: {}", id, e.getMessage());
        outcome = Status.ERROR;
      }
    }
    new VolumeStore(db.sql()).transition(id, List.of(Status.CREATING), outcome, AttachStatus.DETACHED, now());
    return null;
  }

  private boolean backendDisabled() {
    return new VolumeServiceStore(db.sql()).all().stream()
        .filter(s -> s.binary().equals(VolumeServices.VOLUME))
        .allMatch(VolumeServices.Service::disabled);
  }

  private static String volumeIdOf(Task task) {
    return task.payload().replaceAll(".*\"volume_id\": \"([^\"]+)\".*", "$1");
  }

  public Volume visible(Actor actor, String id) {
    return new VolumeStore(db.sql())
        .findVolume(id)
        .filter(v -> actor.owns(v.projectId()))
        .orElseThrow(() -> VolumeErrors.volumeNotFound(id));
  }

  /** The actor's project's volumes; an admin asking for all projects gets every volume. */
  public List<Volume> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of(); // a domain-scoped or unscoped token owns nothing here
    }
    return new VolumeStore(db.sql()).listVolumes(actor.admin() && allProjects ? null : actor.projectId());
  }

  public Volume update(Actor actor, String id, String name, String description, Boolean bootable) {
    Volume old = visible(actor, id);
    new VolumeStore(db.sql())
        .updateDescription(
            id,
            name != null ? name : old.name(),
            description != null ? description : old.description(),
            bootable != null ? bootable : old.bootable(),
            now());
    return visible(actor, id);
  }

  /**
   * Sets metadata keys. {@code replace} drops the keys not given (PUT), otherwise they are kept
   * (POST), as Cinder's metadata API does.
   */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    Volume old = visible(actor, id);
    Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : old.metadata());
    merged.putAll(metadata);
    new VolumeStore(db.sql()).replaceMetadata(id, merged);
    return merged;
  }

  public void deleteMetadataKey(Actor actor, String id, String key) {
    Volume old = visible(actor, id);
    if (!old.metadata().containsKey(key)) {
      throw ServiceException.notFound("MetadataItemNotFound", "Metadata item " + key + " was not found.");
    }
    Map<String, String> remaining = new LinkedHashMap<>(old.metadata());
    remaining.remove(key);
    new VolumeStore(db.sql()).replaceMetadata(id, remaining);
  }

  /**
   * Deletes a volume that is not attached nor busy; with {@code cascade} its snapshots go too,
   * else a volume with snapshots is refused. The quota is released with it.
   */
  public void delete(Actor actor, String id, boolean cascade) {
    delete(actor, id, cascade, false);
  }

  /**
   * Admin's os-force_delete: deletes the volume whatever its status (creating, attaching, error,
   * maintenance...), as long as it is not attached; reservations that never attached go with it.
   */
  public void forceDelete(Actor actor, String id) {
    delete(actor, id, false, true);
  }

  private void delete(Actor actor, String id, boolean cascade, boolean force) {
    Volume volume = visible(actor, id);
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          boolean attached =
              locked.attachStatus().equals(AttachStatus.ATTACHED)
                  || locked.attachments().stream().anyMatch(a -> a.attachStatus().equals(Attachments.ATTACHED));
          boolean busy = !force && (!locked.attachments().isEmpty()
              || !List.of(Status.AVAILABLE, Status.ERROR).contains(locked.status()));
          if (attached || busy) {
            throw VolumeErrors.invalidVolume(
                "Volume " + (force ? "" : "status must be available or error or error_restoring or error_extending or"
                    + " error_managing and ") + "must not be migrating, attached, belong to a group, have"
                    + " snapshots, awaiting a transfer, or be disassociated from snapshots after volume"
                    + " transfer (it is " + locked.status() + ").");
          }
          List<Snapshot> snapshots = store.snapshotsOf(id);
          if (!snapshots.isEmpty() && !cascade) {
            throw VolumeErrors.invalidVolume(
                "Volume " + id + " still has " + snapshots.size() + " dependent snapshots; delete them first or use cascade=true.");
          }
          for (Snapshot s : snapshots) {
            store.deleteSnapshot(s.id());
            quotas.release(sql, volume.projectId(), 0, s.size(), 1);
          }
          store.deleteAttachmentsOf(id);
          store.deleteVolume(id);
          quotas.release(sql, volume.projectId(), 1, volume.size(), 0);
          return null;
        });
    backend.delete(volume);
  }

  /**
   * Grows a volume. An available volume is extended; an in-use one only from microversion 3.42,
   * as Cinder allows. The new size must be larger, and within the gigabytes quota. The servers an
   * in-use volume is attached to hear {@code volume-extended}, as Cinder tells Nova.
   */
  public Volume extend(Actor actor, String id, int newSize, boolean inUseAllowed) {
    Volume volume = visible(actor, id);
    if (newSize <= volume.size()) {
      throw VolumeErrors.invalidInput(
          "New size for extend must be greater than current size. (current: " + volume.size() + ", extended: " + newSize + ").");
    }
    quotas.checkVolumeSize(volume.projectId(), newSize);
    List<String> allowed = inUseAllowed ? List.of(Status.AVAILABLE, Status.IN_USE) : List.of(Status.AVAILABLE);
    List<String> servers = db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          if (!allowed.contains(locked.status())) {
            throw VolumeErrors.invalidVolume(
                "Volume status must be " + String.join(" or ", allowed) + " to extend, but current status is: "
                    + locked.status() + ".");
          }
          quotas.reserve(sql, locked.projectId(), 0, newSize - locked.size(), 0);
          try {
            backend.extend(locked, newSize);
          } catch (RuntimeException e) {
            throw ServiceException.invalid("VolumeBackendAPIException", "Bad or unexpected response from the storage volume backend API: " + e.getMessage());
          }
          store.resize(id, newSize, locked.status(), now());
          if (!locked.status().equals(Status.IN_USE)) {
            return List.<String>of();
          }
          return store.attachmentsOf(id).stream()
              .filter(a -> a.instanceUuid() != null && a.attachStatus().equals(Attachments.ATTACHED))
              .map(Attachment::instanceUuid)
              .distinct()
              .toList();
        });
    for (String server : servers) {
      try {
        volumeEvents.send(server, VolumeEvents.VOLUME_EXTENDED, id);
      } catch (RuntimeException e) {
        // The volume has grown whatever Compute makes of the news, as with Cinder's notifier.
        LOG.warn("Could not tell Compute volume-extended for volume {} of server {}: {}", id, server, e.toString());
      }
    }
    return visible(actor, id);
  }

  /**
   * Changes a volume's type (Cinder's {@code os-retype} with migration policy {@code never}: Kiln has
   * one backend, so no data moves). The volume must be available or in-use and the type a different
   * one; a change of multiattach only while the volume is available, as Cinder rules.
   */
  public Volume retype(Actor actor, String id, String typeNameOrId) {
    visible(actor, id);
    VolumeType target = types.resolve(actor, typeNameOrId);
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          if (locked.multiattach() != target.multiattach() && !locked.status().equals(Status.AVAILABLE)) {
            throw VolumeErrors.invalidInput(
                "Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes,"
                    + " the specified volume however currently has a status of: " + locked.status() + ".");
          }
          if (target.id().equals(locked.volumeTypeId())
              || !store.retype(id, target.id(), target.multiattach(), List.of(Status.AVAILABLE, Status.IN_USE), now())) {
            throw VolumeErrors.invalidVolume(
                "Retype needs volume to be in available or in-use state, not be part of an active migration or a"
                    + " consistency group, requested type has to be different that the one from the volume, and for"
                    + " in-use volumes front-end qos specs cannot change.");
          }
          return null;
        });
    return visible(actor, id);
  }

  /** Admin's os-reset_status: sets the states as told, for repairing a stuck volume. */
  public void resetStatus(String id, String status, String attachStatus) {
    db.inTransaction(
        sql -> {
          VolumeStore store = new VolumeStore(sql);
          Volume locked = store.lockVolume(id).orElseThrow(() -> VolumeErrors.volumeNotFound(id));
          store.transition(
              id,
              List.of(locked.status()),
              status != null ? status : locked.status(),
              attachStatus != null ? attachStatus : locked.attachStatus(),
              now());
          return null;
        });
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
