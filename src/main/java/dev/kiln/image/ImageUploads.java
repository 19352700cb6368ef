package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image's data: the upload that takes an image from queued through saving to active, and the
 * download. Each status move is a conditional update, so two uploads to one image have one winner.
 */
final class ImageUploads {
  private static final Logger LOG = LoggerFactory.getLogger(ImageUploads.class);

  private final Database db;
  private final Clock clock;
  private final ImageFiles files;
  private final ImageAccess access;
  private final long maxImageBytes;

  ImageUploads(Database db, Clock clock, ImageFiles files, ImageAccess access, long maxImageBytes) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.files = requireNonNull(files, "files is null");
    this.access = requireNonNull(access, "access is null");
    this.maxImageBytes = maxImageBytes;
  }

  /** See {@link Images#upload}. */
  Image upload(Actor actor, String id, InputStream data, long declaredLength) {
    Image image = access.visible(actor, id);
    if (!actor.admin() && !ImageAccess.owns(actor, image)) {
      throw ServiceException.forbidden("Forbidden", "Not allowed to upload image data for image " + id);
    }
    if (declaredLength > maxImageBytes) {
      throw ImageErrors.overLimit(
          "The incoming image is too large: it is " + declaredLength + " bytes and at most "
              + maxImageBytes + " bytes are allowed.");
    }
    List<String> missing = new ArrayList<>();
    if (image.diskFormat() == null) {
      missing.add("disk_format");
    }
    if (image.containerFormat() == null) {
      missing.add("container_format");
    }
    if (!missing.isEmpty()) {
      throw ImageErrors.invalid(
          (missing.size() == 1 ? "Property " : "Properties ") + String.join(", ", missing)
              + " must be set prior to saving data.");
    }
    ImageStore store = new ImageStore(db.sql());
    if (!store.transition(id, ImageStatus.QUEUED, ImageStatus.SAVING, now())) {
      Image current = store.find(id).orElseThrow(() -> ImageErrors.notFound(id));
      throw ImageErrors.transition(current.status(), ImageStatus.SAVING);
    }
    ImageFiles.Received received;
    try {
      received = files.receive(id, data, maxImageBytes);
    } catch (ImageFiles.TooLargeException e) {
      store.transition(id, ImageStatus.SAVING, ImageStatus.QUEUED, now());
      throw ImageErrors.overLimit("The incoming image is too large: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      store.transition(id, ImageStatus.SAVING, ImageStatus.QUEUED, now());
      LOG.info("Upload of image {} failed: {}", id, e.toString());
      throw ImageErrors.invalid("The image data could not be received: " + e.getMessage());
    }
    files.install(received, id);
    Long virtualSize = DiskFormats.virtualSize(image.diskFormat(), received.size(), received.header());
    if (!store.finishUpload(id, received.size(), virtualSize, received.md5(), "sha512", received.sha512(), now())) {
      // Deleted (or otherwise changed) while the data arrived: do not leave its file behind.
      files.delete(id);
      throw ServiceException.conflict(
          "Conflict",
          "Image " + id + " could not be found after upload. The image may have been deleted during"
              + " the upload.");
    }
    return store.find(id).orElseThrow(() -> ImageErrors.notFound(id));
  }

  /** See {@link Images#download}. */
  Optional<ImageData> download(Actor actor, String id) {
    Image image = access.visible(actor, id);
    if (image.status() == ImageStatus.DEACTIVATED && !actor.admin()) {
      throw ServiceException.forbidden(
          "Forbidden", "The requested image has been deactivated. Image data download is forbidden.");
    }
    if (!image.hasData()) {
      return Optional.empty();
    }
    return files.open(id).map(opened -> new ImageData(image, opened.length(), opened.data()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
