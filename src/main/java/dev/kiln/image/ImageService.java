package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.image.metadef.MetadefContents;
import dev.kiln.image.metadef.MetadefNamespaces;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Kiln's Image service. Compute uses {@link Images#visible} to find the image a server boots from,
 * as Nova asks Glance for it.
 */
public record ImageService(
    Images images, ImageMembers members, MetadefNamespaces namespaces, MetadefContents metadefContents) {

  public ImageService {
    requireNonNull(images, "images is null");
    requireNonNull(members, "members is null");
    requireNonNull(namespaces, "namespaces is null");
    requireNonNull(metadefContents, "metadefContents is null");
  }

  /** Wires the service over one database, keeping image data under {@code dataDir/images}. */
  public static ImageService create(Database db, Clock clock, IdGenerator ids, Path dataDir) {
    return create(db, clock, ids, dataDir, Images.DEFAULT_MAX_IMAGE_BYTES);
  }

  /** As {@link #create(Database, Clock, IdGenerator, Path)}, refusing uploads over {@code maxImageBytes}. */
  public static ImageService create(
      Database db, Clock clock, IdGenerator ids, Path dataDir, long maxImageBytes) {
    requireNonNull(dataDir, "dataDir is null");
    return new ImageService(
        new Images(db, clock, ids, new ImageFiles(dataDir.resolve("images")), maxImageBytes),
        new ImageMembers(db, clock),
        new MetadefNamespaces(db, clock, ids),
        new MetadefContents(db, clock));
  }
}
