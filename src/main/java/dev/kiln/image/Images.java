package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Glance images: who may see and change them, their status (queued → saving → active, and
 * deactivated by an admin or their owner), and their data.
 *
 * <p>Compute uses {@link #visible} to find the image a server boots from, and reads its {@code
 * status}, {@code minDisk}, {@code minRam} and {@code diskFormat}.
 */
public final class Images {
  // The jobs behind this facade live in their own classes: who sees what (ImageAccess), attribute
  // and tag changes (ImageUpdates), data (ImageUploads), the first-start image (DefaultImageSeed).

  /** Glance's default image_size_cap: 1 GiB. */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 1L << 30;

  /** The name of the image Kiln creates on first start. */
  public static final String DEFAULT_IMAGE_NAME = "cirros";

  /** Attributes that only ever describe an image; a create request may not carry them. */
  private static final Set<String> DISALLOWED_ON_CREATE =
      Set.of("direct_url", "self", "file", "schema", "stores");

  /** Attributes the server computes. */
  private static final Set<String> READ_ONLY_ON_CREATE =
      Set.of("created_at", "updated_at", "status", "checksum", "os_hash_algo", "os_hash_value", "size",
          "virtual_size");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ImageFiles files;
  private final long maxImageBytes;
  private final ImageAccess access;
  private final ImageUploads uploads;
  private final DefaultImageSeed seed;
  private final ImageUpdates updates;

  public Images(Database db, Clock clock, IdGenerator ids, ImageFiles files, long maxImageBytes) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.files = requireNonNull(files, "files is null");
    if (maxImageBytes < 0) {
      throw new IllegalArgumentException("maxImageBytes must not be negative");
    }
    this.maxImageBytes = maxImageBytes;
    this.access = new ImageAccess(db);
    this.uploads = new ImageUploads(db, clock, files, access, maxImageBytes);
    this.seed = new DefaultImageSeed(db, clock, ids, files);
    this.updates = new ImageUpdates(db, clock);
  }

  /** The largest upload accepted, in bytes. */
  public long maxImageBytes() {
    return maxImageBytes;
  }

  // Reading

  /**
   * An image the actor may see: its project's own, a public or community one, a shared one its
   * project is a member of, or any for an admin; 404 otherwise.
   */
  public Image visible(Actor actor, String id) {
    return access.visible(actor, id);
  }

  /**
   * One page of the images the actor may see, as the query asks; shared images of other projects
   * are listed when the actor's membership has the query's member status.
   */
  public Page list(Actor actor, ImageQuery query) {
    String status = query.memberStatus() == null ? null : query.memberStatus().apiName();
    List<Image> visible = store().listVisible(actor.projectId(), actor.admin(), status);
    ImageListing.Page page = ImageListing.select(actor, query, visible);
    return new Page(page.images(), page.nextMarker());
  }

  /**
   * One page of images.
   *
   * @param nextMarker the marker for the next page when this page is full, else null
   */
  public record Page(List<Image> images, String nextMarker) {}

  // Creating

  /**
   * Creates a queued image from a create request's members: base attributes ({@code name}, {@code
   * id}, {@code disk_format}, {@code container_format}, {@code visibility}, {@code min_disk},
   * {@code min_ram}, {@code protected}, {@code os_hidden}, {@code owner}, {@code tags}) and custom
   * properties (any other member, a string).
   */
  public Image create(Actor actor, Map<String, Object> request) {
    for (String key : request.keySet()) {
      if (DISALLOWED_ON_CREATE.contains(key)) {
        throw ImageErrors.readOnly(key);
      }
    }
    request.forEach(ImageSchema::check);
    ImageDraft draft = new ImageDraft();
    draft.owner = actor.projectId();
    String id = null;
    for (Map.Entry<String, Object> member : request.entrySet()) {
      String key = member.getKey();
      Object value = member.getValue();
      if (READ_ONLY_ON_CREATE.contains(key)) {
        throw ImageErrors.readOnly(key);
      }
      if (key.equals("id")) {
        id = ((String) value).toLowerCase(java.util.Locale.ROOT);
      } else if (key.equals("owner")) {
        String owner = (String) value;
        if (!actor.admin() && owner != null && !owner.equals(actor.projectId())) {
          throw ServiceException.forbidden(
              "Forbidden", "You are not permitted to create images owned by '" + owner + "'.");
        }
        draft.owner = owner;
      } else if (key.equals("locations")) {
        throw ImageErrors.reserved(key);
      } else if (ImageSchema.BASE.contains(key)) {
        draft.set(actor, key, value);
      } else {
        checkCustomName(key);
        draft.properties.put(key, (String) value);
      }
    }
    draft.checkLimits();
    Instant now = now();
    Image image = draft.build(id == null ? ids.uuid() : id, ImageStatus.QUEUED, 0, now, now, null);
    try {
      store().insert(image);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict("Duplicate", "Image ID " + image.id() + " already exists!");
      }
      throw e;
    }
    return image;
  }

  static void checkCustomName(String key) {
    if (key.length() > ImageSchema.MAX_LENGTH) {
      throw ImageErrors.invalid("Custom property should not be greater than 255 characters.");
    }
    if (ImageSchema.RESERVED.contains(key) || key.startsWith(ImageSchema.RESERVED_NAMESPACE)) {
      throw ImageErrors.reserved(key);
    }
  }

  // Changing

  /** Applies a JSON-patch style list of changes, all or nothing. */
  public Image update(Actor actor, String id, List<ImageChange> changes) {
    return updates.update(actor, id, changes);
  }

  /** Adds a tag (idempotent). */
  public void addTag(Actor actor, String id, String tag) {
    updates.addTag(actor, id, tag);
  }

  /** Removes a tag; 404 when the image does not carry it. */
  public void removeTag(Actor actor, String id, String tag) {
    updates.removeTag(actor, id, tag);
  }

  /** Deletes an image and its data; a protected image is refused with 403. */
  public void delete(Actor actor, String id) {
    Image image = visible(actor, id);
    if (!actor.admin() && !ImageAccess.owns(actor, image)) {
      throw ImageErrors.policy("delete_image");
    }
    ImageStore store = store();
    if (store.deleteUnprotected(id) == 0) {
      Image now = store.find(id).orElseThrow(() -> ImageErrors.notFound(id));
      if (now.protectedImage()) {
        throw ServiceException.forbidden(
            "ProtectedImageDelete", "Image " + id + " is protected and cannot be deleted.");
      }
      throw ServiceException.conflict("Conflict", "Image " + id + " changed while being deleted; retry.");
    }
    files.delete(id);
  }

  /**
   * Deactivates an active image (admins, and members of the image's owner project, as Glance's
   * default policy allows); a deactivated image stays so.
   */
  public void deactivate(Actor actor, String id) {
    changeActivation(actor, id, ImageStatus.ACTIVE, ImageStatus.DEACTIVATED, "deactivate");
  }

  /** Reactivates a deactivated image (the same callers); an active image stays so. */
  public void reactivate(Actor actor, String id) {
    changeActivation(actor, id, ImageStatus.DEACTIVATED, ImageStatus.ACTIVE, "reactivate");
  }

  private void changeActivation(Actor actor, String id, ImageStatus from, ImageStatus to, String action) {
    Image image = visible(actor, id);
    if (!actor.admin() && !ImageAccess.owns(actor, image)) {
      throw ImageErrors.policy(action);
    }
    if (image.status() == to) {
      return;
    }
    if (image.status() != from || !store().transition(id, from, to, now())) {
      ImageStatus current = store().find(id).orElseThrow(() -> ImageErrors.notFound(id)).status();
      if (current == to) {
        return;
      }
      throw ServiceException.forbidden(
          "Forbidden", "Not allowed to " + action + " image in status '" + current.apiName() + "'");
    }
  }

  // Data

  /**
   * Stores an image's data: queued → saving → active, with size, MD5 checksum and SHA-512 hash
   * computed as the bytes stream to disk. Refused with 409 unless the image is queued, with 413
   * when it would exceed the size limit (the image is queued again then).
   *
   * @param declaredLength the length the client announced, or -1 when unknown
   */
  public Image upload(Actor actor, String id, InputStream data, long declaredLength) {
    return uploads.upload(actor, id, data, declaredLength);
  }

  /**
   * The image's data, or empty when it has none (queued, saving, or its file is missing). A
   * deactivated image's data is for admins only.
   */
  public Optional<ImageData> download(Actor actor, String id) {
    return uploads.download(actor, id);
  }

  // The default image

  /**
   * Makes sure the {@value #DEFAULT_IMAGE_NAME} image exists after the first start: public,
   * qcow2/bare, active, with a small real data file. Safe to run on every start and on several
   * nodes at once: it is created once, and an image an operator deleted is not brought back. A
   * missing data file of the seeded image is written again.
   */
  public void seedDefaultImage(String ownerProjectId) {
    seed.seed(ownerProjectId);
  }

  private ImageStore store() {
    return new ImageStore(db.sql());
  }

  /**
   * Kept to the microsecond (the views show seconds, as Glance does): images made within one
   * second (a server's backups, one after another) still list in the order they were made.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
