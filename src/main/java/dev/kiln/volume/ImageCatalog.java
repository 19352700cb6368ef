package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the volume service needs of the Image service to create a volume from an image, as Cinder
 * asks Glance: an image the caller may see, by id or by name. The wiring adapts the Image
 * service's Java interface to it, so Block Storage never reads the image tables.
 */
public interface ImageCatalog {
  /** A catalog without images, for volume services that never see one (tests). */
  ImageCatalog NONE = (actor, imageId) -> Optional.empty();

  /** The image with this id if the actor may see it. */
  Optional<ImageInfo> find(Actor actor, String imageId);

  /** The images of this name the actor may see; Cinder accepts a name where the id is unknown. */
  default List<ImageInfo> named(Actor actor, String name) {
    return List.of();
  }

  /**
   * Creates an image (queued, without data) in the actor's project, as Cinder asks Glance when a
   * volume is uploaded; {@code request} holds Glance's create members. Answers the new image.
   */
  default ImageInfo create(Actor actor, Map<String, Object> request) {
    throw ServiceException.invalid("ImageServiceUnavailable", "There is no Image service to upload to.");
  }

  /** Uploads an image's data, which makes it active. */
  default void upload(Actor actor, String imageId, InputStream data, long length) {
    throw ServiceException.invalid("ImageServiceUnavailable", "There is no Image service to upload to.");
  }

  /** Deletes an image the actor made, as Cinder cleans up after an upload that did not start. */
  default void delete(Actor actor, String imageId) {}

  /** An image's data with its length, if it has any and the actor may read it. */
  default Optional<ImageBytes> download(Actor actor, String imageId) {
    return Optional.empty();
  }

  /** Image data as the Image service streams it. */
  record ImageBytes(InputStream data, long length) {}

  /**
   * The parts of an image a volume made from it depends on and remembers.
   *
   * @param name may be null
   * @param status Glance's status, lower case ({@code active}, {@code queued}, ...)
   * @param sizeBytes the data's size, null while there is none
   * @param virtualSizeBytes the size of the disk the data holds, null where unknown
   * @param minDisk GiB a disk made from the image needs at least
   * @param minRam MiB a server booted from the image needs at least
   * @param properties the image's custom properties
   */
  record ImageInfo(
      String id,
      String name,
      String status,
      Long sizeBytes,
      Long virtualSizeBytes,
      int minDisk,
      int minRam,
      String diskFormat,
      String containerFormat,
      String checksum,
      Map<String, String> properties) {

    public ImageInfo {
      requireNonNull(id, "id is null");
      requireNonNull(status, "status is null");
      properties = Map.copyOf(properties);
    }
  }
}
