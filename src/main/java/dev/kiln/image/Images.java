package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageFiles;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance images: who may see and change them, their status (queued → saving → active, and
 * deactivated by an admin or their owner), and their data.
 *
 * <p>Compute uses {@link #visible} to find the image a server boots from, and reads its {@code
 * status}, {@code minDisk}, {@code minRam} and {@code diskFormat}.
 */
public final class Images {
  private static final Logger LOG = LoggerFactory.getLogger(Images.class);

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

  public Images(Database db, Clock clock, IdGenerator ids, ImageFiles files, long maxImageBytes) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.files = requireNonNull(files, "files is null");
    if (maxImageBytes < 0) {
      throw new IllegalArgumentException("maxImageBytes must not be negative");
    }
    this.maxImageBytes = maxImageBytes;
  }

  /** The largest upload accepted, in bytes. */
  public long maxImageBytes() {
    return maxImageBytes;
  }

  // Reading

  /**
   * An image the actor may see: its project's own, a public or community one, or any for an
   * admin; 404 otherwise.
   */
  public Image visible(Actor actor, String id) {
    Image image = store().find(id).orElseThrow(() -> ImageErrors.notFound(id));
    if (!canSee(actor, image)) {
      throw ImageErrors.notFound(id);
    }
    return image;
  }

  /** One page of the images the actor may see, as the query asks. */
  public Page list(Actor actor, ImageQuery query) {
    List<Image> visible = store().listVisible(actor.projectId(), actor.admin());
    ImageListing.Page page = ImageListing.select(actor, query, visible);
    return new Page(page.images(), page.nextMarker());
  }

  /**
   * One page of images.
   *
   * @param nextMarker the marker for the next page when this page is full, else null
   */
  public record Page(List<Image> images, String nextMarker) {}

  static boolean canSee(Actor actor, Image image) {
    return actor.admin()
        || owns(actor, image)
        || image.visibility() == Visibility.PUBLIC
        || image.visibility() == Visibility.COMMUNITY;
  }

  private static boolean owns(Actor actor, Image image) {
    return actor.projectId() != null && actor.projectId().equals(image.owner());
  }

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
    Draft draft = new Draft();
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

  private static void checkCustomName(String key) {
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
    for (ImageChange change : changes) {
      String attribute = change.attribute();
      if (ImageSchema.READ_ONLY.contains(attribute)) {
        throw ImageErrors.readOnly(attribute);
      }
      if (ImageSchema.RESERVED.contains(attribute) || attribute.startsWith(ImageSchema.RESERVED_NAMESPACE)) {
        throw ImageErrors.reserved(attribute);
      }
      if (change.op() != ImageChange.Op.REMOVE) {
        ImageSchema.check(attribute, change.value());
      }
    }
    return db.inTransaction(
        sql -> {
          ImageStore store = new ImageStore(sql);
          Image old = store.lock(id).orElseThrow(() -> ImageErrors.notFound(id));
          if (!canSee(actor, old)) {
            throw ImageErrors.notFound(id);
          }
          if (!actor.admin() && !owns(actor, old)) {
            throw ImageErrors.policy("modify_image");
          }
          if (changes.isEmpty()) {
            return old;
          }
          Draft draft = Draft.of(old);
          for (ImageChange change : changes) {
            apply(actor, old, draft, change);
          }
          draft.checkLimits();
          Image updated =
              draft.build(id, old.status(), old.revision() + 1, old.createdAt(), now(), old);
          if (!store.updateAttributes(updated, old.revision())) {
            throw ServiceException.conflict(
                "Conflict", "Image " + id + " was changed by another request at the same time; retry.");
          }
          return store.find(id).orElseThrow();
        });
  }

  private static void apply(Actor actor, Image old, Draft draft, ImageChange change) {
    String attribute = change.attribute();
    Object value = change.value();
    if (attribute.equals("locations")) {
      throw ServiceException.forbidden(
          "Forbidden", "It's not allowed to update locations if locations are invisible.");
    }
    boolean base = ImageSchema.BASE.contains(attribute);
    switch (change.op()) {
      case REMOVE -> {
        if (base) {
          throw ServiceException.forbidden("Forbidden", "Property " + attribute + " may not be removed.");
        }
        if (draft.properties.remove(attribute) == null) {
          throw ServiceException.conflict("Conflict", "Property " + attribute + " does not exist.");
        }
      }
      case ADD, REPLACE -> {
        if (attribute.equals("owner") && !actor.admin()) {
          throw ServiceException.forbidden("Forbidden", "Owner can't be updated by non admin.");
        }
        if (base) {
          if ((attribute.equals("disk_format") || attribute.equals("container_format"))
              && old.status() != ImageStatus.QUEUED
              && old.status() != ImageStatus.IMPORTING) {
            throw ServiceException.forbidden(
                "Forbidden", "Attribute " + attribute + " can be only replaced for a queued image.");
          }
          if (attribute.equals("owner")) {
            draft.owner = (String) value;
          } else {
            draft.set(actor, attribute, value);
          }
        } else {
          checkCustomName(attribute);
          if (change.op() == ImageChange.Op.REPLACE && !draft.properties.containsKey(attribute)) {
            throw ServiceException.conflict("Conflict", "Property " + attribute + " does not exist.");
          }
          draft.properties.put(attribute, (String) value);
        }
      }
    }
  }

  /** Adds a tag (idempotent). */
  public void addTag(Actor actor, String id, String tag) {
    ImageSchema.tag(tag);
    changeTags(actor, id, "Not allowed to update tags for image " + id + ".", draft -> draft.tags.add(tag));
  }

  /** Removes a tag; 404 when the image does not carry it. */
  public void removeTag(Actor actor, String id, String tag) {
    changeTags(
        actor,
        id,
        "Not allowed to delete tags for image " + id + ".",
        draft -> {
          if (!draft.tags.remove(tag)) {
            throw ServiceException.notFound("TagNotFound", "Tag " + tag + " not found on image " + id + ".");
          }
        });
  }

  private void changeTags(Actor actor, String id, String forbidden, java.util.function.Consumer<Draft> change) {
    db.inTransaction(
        sql -> {
          ImageStore store = new ImageStore(sql);
          Image old = store.lock(id).orElseThrow(() -> ImageErrors.notFound(id));
          if (!canSee(actor, old)) {
            throw ImageErrors.notFound(id);
          }
          if (!actor.admin() && !owns(actor, old)) {
            throw ServiceException.forbidden("Forbidden", forbidden);
          }
          Draft draft = Draft.of(old);
          change.accept(draft);
          if (draft.tags.size() > ImageSchema.MAX_TAGS) {
            throw ImageErrors.overLimit(
                "Image tag limit exceeded for image " + id + ": The limit has been exceeded on the"
                    + " number of allowed image tags. Attempted: " + draft.tags.size() + ", Maximum: "
                    + ImageSchema.MAX_TAGS);
          }
          Image updated = draft.build(id, old.status(), old.revision() + 1, old.createdAt(), now(), old);
          if (!store.updateAttributes(updated, old.revision())) {
            throw ServiceException.conflict(
                "Conflict", "Image " + id + " was changed by another request at the same time; retry.");
          }
          return null;
        });
  }

  /** Deletes an image and its data; a protected image is refused with 403. */
  public void delete(Actor actor, String id) {
    Image image = visible(actor, id);
    if (!actor.admin() && !owns(actor, image)) {
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
    if (!actor.admin() && (actor.projectId() == null || !actor.projectId().equals(image.owner()))) {
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
    Image image = visible(actor, id);
    if (!actor.admin() && !owns(actor, image)) {
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
    ImageStore store = store();
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

  /**
   * The image's data, or empty when it has none (queued, saving, or its file is missing). A
   * deactivated image's data is for admins only.
   */
  public Optional<ImageData> download(Actor actor, String id) {
    Image image = visible(actor, id);
    if (image.status() == ImageStatus.DEACTIVATED && !actor.admin()) {
      throw ServiceException.forbidden(
          "Forbidden", "The requested image has been deactivated. Image data download is forbidden.");
    }
    if (!image.hasData()) {
      return Optional.empty();
    }
    return files.open(id).map(opened -> new ImageData(image, opened.length(), opened.data()));
  }

  // The default image

  /**
   * Makes sure the {@value #DEFAULT_IMAGE_NAME} image exists after the first start: public,
   * qcow2/bare, active, with a small real data file. Safe to run on every start and on several
   * nodes at once: it is created once, and an image an operator deleted is not brought back. A
   * missing data file of the seeded image is written again.
   */
  public void seedDefaultImage(String ownerProjectId) {
    byte[] data = CirrosImage.bytes();
    ImageStore store = store();
    String id = store.seededImage(DEFAULT_IMAGE_NAME).orElse(null);
    if (id == null) {
      String newId = ids.uuid();
      Instant now = now();
      Draft draft = new Draft();
      draft.name = DEFAULT_IMAGE_NAME;
      draft.owner = ownerProjectId;
      draft.visibility = Visibility.PUBLIC;
      draft.diskFormat = "qcow2";
      draft.containerFormat = "bare";
      draft.minDisk = 1;
      CirrosImage.Digests digests = CirrosImage.digests(data);
      Image image =
          new Image(
              newId, draft.name, ImageStatus.ACTIVE, draft.visibility, draft.owner, draft.diskFormat,
              draft.containerFormat, draft.minDisk, 0, false, false, (long) data.length,
              DiskFormats.virtualSize("qcow2", data.length, data), digests.md5(), "sha512",
              digests.sha512(), List.of(), new TreeMap<>(), 1, now, now);
      // The file first: an active image must never be seen without its data.
      files.write(newId, data);
      try {
        db.inTransaction(
            sql -> {
              ImageStore tx = new ImageStore(sql);
              tx.insertSeed(DEFAULT_IMAGE_NAME, newId);
              tx.insert(image);
              return null;
            });
        LOG.info("Created the default image '{}' ({})", DEFAULT_IMAGE_NAME, newId);
        return;
      } catch (StoreException e) {
        files.delete(newId);
        if (e.kind() != StoreException.Kind.DUPLICATE) {
          throw e;
        }
        // Another node seeded it at the same moment.
        id = store.seededImage(DEFAULT_IMAGE_NAME).orElseThrow(() -> e);
      }
    }
    Optional<Image> seeded = store.find(id);
    if (seeded.isPresent() && seeded.get().hasData() && files.size(id) != seeded.get().size()
        && seeded.get().size() == data.length) {
      LOG.info("Restoring the data file of the default image {}", id);
      files.write(id, data);
    }
  }

  private ImageStore store() {
    return new ImageStore(db.sql());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The attributes of an image being created or changed. */
  private static final class Draft {
    String name;
    String owner;
    Visibility visibility = Visibility.SHARED;
    String diskFormat;
    String containerFormat;
    int minDisk;
    int minRam;
    boolean protectedImage;
    boolean hidden;
    final Set<String> tags = new LinkedHashSet<>();
    final Map<String, String> properties = new LinkedHashMap<>();

    static Draft of(Image image) {
      Draft d = new Draft();
      d.name = image.name();
      d.owner = image.owner();
      d.visibility = image.visibility();
      d.diskFormat = image.diskFormat();
      d.containerFormat = image.containerFormat();
      d.minDisk = image.minDisk();
      d.minRam = image.minRam();
      d.protectedImage = image.protectedImage();
      d.hidden = image.hidden();
      d.tags.addAll(image.tags());
      d.properties.putAll(image.properties());
      return d;
    }

    /** Sets a base attribute whose value the schema has already checked. */
    void set(Actor actor, String attribute, Object value) {
      switch (attribute) {
        case "name" -> name = (String) value;
        case "visibility" -> {
          Visibility v = Visibility.fromApiName((String) value);
          if (v == Visibility.PUBLIC && visibility != Visibility.PUBLIC && !actor.admin()) {
            throw ImageErrors.policy("publicize_image");
          }
          visibility = v;
        }
        case "disk_format" -> diskFormat = (String) value;
        case "container_format" -> containerFormat = (String) value;
        case "min_disk" -> minDisk = ImageSchema.intValue(attribute, value);
        case "min_ram" -> minRam = ImageSchema.intValue(attribute, value);
        case "protected" -> protectedImage = (Boolean) value;
        case "os_hidden" -> hidden = (Boolean) value;
        case "tags" -> {
          tags.clear();
          tags.addAll(ImageSchema.tags(value));
        }
        default -> throw ImageErrors.readOnly(attribute);
      }
    }

    void checkLimits() {
      if (properties.size() > ImageSchema.MAX_PROPERTIES) {
        throw ImageErrors.overLimit(
            "The limit has been exceeded on the number of allowed image properties. Attempted: "
                + properties.size() + ", Maximum: " + ImageSchema.MAX_PROPERTIES);
      }
      if (tags.size() > ImageSchema.MAX_TAGS) {
        throw ImageErrors.overLimit(
            "The limit has been exceeded on the number of allowed image tags. Attempted: "
                + tags.size() + ", Maximum: " + ImageSchema.MAX_TAGS);
      }
    }

    /** The image with these attributes; status and data as in {@code old} (or none). */
    Image build(String id, ImageStatus status, long revision, Instant createdAt, Instant updatedAt, Image old) {
      return new Image(
          id, name, status, visibility, owner, diskFormat, containerFormat, minDisk, minRam,
          protectedImage, hidden,
          old == null ? null : old.size(),
          old == null ? null : old.virtualSize(),
          old == null ? null : old.checksum(),
          old == null ? null : old.hashAlgo(),
          old == null ? null : old.hashValue(),
          new ArrayList<>(tags), new TreeMap<>(properties), revision, createdAt, updatedAt);
    }
  }
}
