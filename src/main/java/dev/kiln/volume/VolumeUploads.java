package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder's {@code os-volume_upload_image}: a volume's data copied into a new image of the Image
 * service. The request creates the image (queued) in the caller's project and moves the volume
 * {@code available → uploading}; a durable task then uploads the data, which makes the image
 * active, and gives the volume back ({@code available}), also when the upload failed, as Cinder's
 * volume manager does. The simulated backend keeps no bytes of its own, so the data is that of the
 * image the volume was made from, or none.
 */
public final class VolumeUploads {
  static final String UPLOAD_TASK = "volume.upload_image";
  static final String UPLOADING = "uploading";
  private static final Logger LOG = LoggerFactory.getLogger(VolumeUploads.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final TaskRunner tasks;
  private final ImageCatalog images;

  public VolumeUploads(Database db, Clock clock, TaskRunner tasks, ImageCatalog images) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.images = requireNonNull(images, "images is null");
    tasks.register(UPLOAD_TASK, TaskHandler.withGiveUp(this::finish, (task, error) -> giveBack(task)));
  }

  /** What the action asks for; the formats and visibility as Glance takes them. */
  public record Request(
      String imageName, boolean force, String diskFormat, String containerFormat, String visibility,
      boolean isProtected) {}

  /** The upload as it started: the volume now {@code uploading}, and the queued image. */
  public record Started(Volume volume, ImageCatalog.ImageInfo image, String visibility, boolean isProtected) {}

  public Started upload(Actor actor, String volumeId, Request request) {
    Volume volume = new VolumeStore(db.sql()).findVolume(volumeId)
        .filter(v -> actor.owns(v.projectId()))
        .orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
    requireAvailable(volume);
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("name", request.imageName());
    create.put("disk_format", request.diskFormat());
    create.put("container_format", request.containerFormat());
    create.put("visibility", request.visibility());
    create.put("protected", request.isProtected());
    create.put("min_disk", volume.size());
    ImageCatalog.ImageInfo image = images.create(actor, create);
    try {
      Instant now = now();
      Volume uploading = db.inTransaction(
          sql -> {
            VolumeStore store = new VolumeStore(sql);
            Volume locked = store.lockVolume(volumeId).orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
            requireAvailable(locked);
            if (!store.transition(volumeId, List.of(Status.AVAILABLE), UPLOADING, locked.attachStatus(), now)) {
              throw notAvailable(locked);
            }
            ObjectNode payload = JSON.createObjectNode();
            payload.put("volume_id", volumeId);
            payload.put("image_id", image.id());
            payload.put("project_id", actor.projectId());
            payload.put("user_id", actor.userId());
            payload.put("source_image_id", locked.imageMetadata().get("image_id"));
            tasks.submit(sql, UPLOAD_TASK, payload.toString(), now, 3);
            return store.findVolume(volumeId).orElseThrow();
          });
      tasks.wake();
      return new Started(uploading, image, request.visibility(), request.isProtected());
    } catch (RuntimeException e) {
      // The volume could not be taken (a racing upload or attach won): the image goes again.
      try {
        images.delete(actor, image.id());
      } catch (RuntimeException cleanup) {
        LOG.warn("Could not delete image {} of an upload that did not start: {}", image.id(), cleanup.toString());
      }
      throw e;
    }
  }

  private static void requireAvailable(Volume volume) {
    if (!volume.status().equals(Status.AVAILABLE)) {
      throw notAvailable(volume);
    }
  }

  private static ServiceException notAvailable(Volume volume) {
    return VolumeErrors.invalidVolume(
        "Volume status must be available to upload it to an image (force-uploading an in-use volume is"
            + " not enabled), but current status is: " + volume.status() + ".");
  }

  /** The task: uploads the data and gives the volume back. */
  private String finish(Task task) throws IOException {
    JsonNode payload = JSON.readTree(task.payload());
    String volumeId = payload.path("volume_id").asText();
    Actor owner = new Actor(payload.path("project_id").asText(null), payload.path("user_id").asText(null), false);
    String imageId = payload.path("image_id").asText();
    Optional<ImageCatalog.ImageBytes> source =
        payload.hasNonNull("source_image_id")
            ? images.download(owner, payload.path("source_image_id").asText())
            : Optional.empty();
    try (InputStream data = source.map(ImageCatalog.ImageBytes::data).orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
      images.upload(owner, imageId, data, source.map(ImageCatalog.ImageBytes::length).orElse(0L));
    } catch (ServiceException e) {
      // The image was deleted meanwhile, or an earlier attempt uploaded it: the volume comes back.
      LOG.warn("Upload of volume {} to image {} stopped: {}", volumeId, imageId, e.getMessage());
    }
    giveBack(volumeId);
    return null;
  }

  private void giveBack(Task task) {
    try {
      giveBack(JSON.readTree(task.payload()).path("volume_id").asText());
    } catch (IOException e) {
      LOG.warn("Unreadable upload task {}: {}", task.id(), e.toString());
    }
  }

  private void giveBack(String volumeId) {
    new VolumeStore(db.sql()).findVolume(volumeId).ifPresent(
        v -> new VolumeStore(db.sql()).transition(volumeId, List.of(UPLOADING), Status.AVAILABLE, v.attachStatus(), now()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
