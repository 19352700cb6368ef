package dev.kiln.volume;

import dev.kiln.common.ServiceException;
import dev.kiln.volume.ImageCatalog.ImageInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cinder's rules for a volume made from an image, and what the volume remembers of it. */
final class VolumeImages {
  private static final long GIB = 1L << 30;
  /** The image property naming the type a volume made from the image gets (Cinder's). */
  static final String VOLUME_TYPE_PROPERTY = "cinder_img_volume_type";

  private VolumeImages() {}

  /**
   * Refuses an image a volume of {@code size} GiB cannot be made from: one that is not active (it
   * has no data to copy), or whose data, virtual disk or {@code min_disk} is larger than the volume.
   */
  static void checkFits(ImageInfo image, int size) {
    if (!image.status().equals("active") || image.sizeBytes() == null) {
      throw VolumeErrors.invalidInput("Image " + image.id() + " is not active.");
    }
    long imageGib = ceilGib(image.sizeBytes());
    if (imageGib > size) {
      throw VolumeErrors.invalidInput(
          "Size of specified image " + imageGib + "GB is larger than volume size " + size + "GB.");
    }
    if (size < image.minDisk()) {
      throw VolumeErrors.invalidInput(
          "Volume size " + size + "GB cannot be smaller than the image minDisk size " + image.minDisk() + "GB.");
    }
    if (image.virtualSizeBytes() != null && ceilGib(image.virtualSizeBytes()) > size) {
      throw ServiceException.invalid(
          "ImageUnacceptable",
          "Image " + image.id() + " is unacceptable: Image virtual size is " + ceilGib(image.virtualSizeBytes())
              + "GB and doesn't fit in a volume of size " + size + "GB.");
    }
  }

  /**
   * The volume_image_metadata of a volume made from the image: Cinder keeps the id, the name, the
   * formats, checksum, sizes and custom properties, all as strings, leaving out what is unset.
   */
  static Map<String, String> metadataOf(ImageInfo image) {
    Map<String, String> m = new LinkedHashMap<>();
    image.properties().forEach(m::put);
    m.put("image_id", image.id());
    put(m, "image_name", image.name());
    put(m, "checksum", image.checksum());
    put(m, "container_format", image.containerFormat());
    put(m, "disk_format", image.diskFormat());
    m.put("min_disk", String.valueOf(image.minDisk()));
    m.put("min_ram", String.valueOf(image.minRam()));
    put(m, "size", image.sizeBytes() == null ? null : String.valueOf(image.sizeBytes()));
    return m;
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static long ceilGib(long bytes) {
    return (bytes + GIB - 1) / GIB;
  }
}
