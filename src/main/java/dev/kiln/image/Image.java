package dev.kiln.image;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Glance image: its base attributes, tags and custom properties, and what its data turned out to
 * be once uploaded.
 *
 * @param name may be null: Glance images need no name
 * @param owner the owning project's id; null only for images created without a project
 * @param diskFormat null until set; must be set before data is uploaded
 * @param containerFormat null until set; must be set before data is uploaded
 * @param minDisk the root disk (GiB) a server booted from this image needs at least
 * @param minRam the memory (MiB) a server booted from this image needs at least
 * @param size the data's size in bytes, null while there is no data
 * @param virtualSize the size of the disk the data describes, where Kiln can tell, else null
 * @param checksum the data's MD5, hex; null while there is no data
 * @param hashAlgo {@code sha512} once there is data
 * @param hashValue the data's SHA-512, hex
 * @param tags the tags, sorted, without duplicates
 * @param properties the custom properties, sorted by name
 * @param revision bumped on every change, for conditional updates
 */
public record Image(
    String id,
    String name,
    ImageStatus status,
    Visibility visibility,
    String owner,
    String diskFormat,
    String containerFormat,
    int minDisk,
    int minRam,
    boolean protectedImage,
    boolean hidden,
    Long size,
    Long virtualSize,
    String checksum,
    String hashAlgo,
    String hashValue,
    List<String> tags,
    SortedMap<String, String> properties,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  public Image {
    tags = List.copyOf(new java.util.TreeSet<>(tags));
    properties = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(properties));
  }

  /** Whether data has been uploaded and may be read: active, or deactivated (admins only). */
  public boolean hasData() {
    return size != null && (status == ImageStatus.ACTIVE || status == ImageStatus.DEACTIVATED);
  }

  /** Whether a server may boot from this image now. */
  public boolean bootable() {
    return status == ImageStatus.ACTIVE;
  }
}
