package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@value Images#DEFAULT_IMAGE_NAME} image Kiln creates on its first start. */
final class DefaultImageSeed {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultImageSeed.class);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ImageFiles files;

  DefaultImageSeed(Database db, Clock clock, IdGenerator ids, ImageFiles files) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.files = requireNonNull(files, "files is null");
  }

  /** See {@link Images#seedDefaultImage}. */
  void seed(String ownerProjectId) {
    byte[] data = CirrosImage.bytes();
    ImageStore store = new ImageStore(db.sql());
    String name = Images.DEFAULT_IMAGE_NAME;
    String id = store.seededImage(name).orElse(null);
    if (id == null) {
      String newId = ids.uuid();
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      CirrosImage.Digests digests = CirrosImage.digests(data);
      Image image =
          new Image(
              newId, name, ImageStatus.ACTIVE, Visibility.PUBLIC, ownerProjectId, "qcow2", "bare", 1, 0,
              false, false, (long) data.length, DiskFormats.virtualSize("qcow2", data.length, data),
              digests.md5(), "sha512", digests.sha512(), List.of(), new TreeMap<>(), 1, now, now);
      // The file first: an active image must never be seen without its data.
      files.write(newId, data);
      try {
        db.inTransaction(
            sql -> {
              ImageStore tx = new ImageStore(sql);
              tx.insertSeed(name, newId);
              tx.insert(image);
              return null;
            });
        LOG.info("Created the default image '{}' ({})", name, newId);
        return;
      } catch (StoreException e) {
        files.delete(newId);
        if (e.kind() != StoreException.Kind.DUPLICATE) {
          throw e;
        }
        // Another node seeded it at the same moment.
        id = store.seededImage(name).orElseThrow(() -> e);
      }
    }
    Optional<Image> seeded = store.find(id);
    if (seeded.isPresent() && seeded.get().hasData() && files.size(id) != seeded.get().size()
        && seeded.get().size() == data.length) {
      LOG.info("Restoring the data file of the default image {}", id);
      files.write(id, data);
    }
  }
}
