package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

/**
 * Changes to an image's attributes, tags and custom properties: each is a read under the image's
 * row lock, then an update conditional on the revision read, so concurrent changes never mix.
 */
final class ImageUpdates {
  private final Database db;
  private final Clock clock;

  ImageUpdates(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Applies a JSON-patch style list of changes, all or nothing. */
  Image update(Actor actor, String id, List<ImageChange> changes) {
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
          if (!ImageAccess.canSee(actor, old, sql)) {
            throw ImageErrors.notFound(id);
          }
          if (!actor.admin() && !ImageAccess.owns(actor, old)) {
            throw ImageErrors.policy("modify_image");
          }
          if (changes.isEmpty()) {
            return old;
          }
          ImageDraft draft = ImageDraft.of(old);
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

  private static void apply(Actor actor, Image old, ImageDraft draft, ImageChange change) {
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
          Images.checkCustomName(attribute);
          if (change.op() == ImageChange.Op.REPLACE && !draft.properties.containsKey(attribute)) {
            throw ServiceException.conflict("Conflict", "Property " + attribute + " does not exist.");
          }
          draft.properties.put(attribute, (String) value);
        }
      }
    }
  }

  /** Adds a tag (idempotent). */
  void addTag(Actor actor, String id, String tag) {
    ImageSchema.tag(tag);
    changeTags(actor, id, "Not allowed to update tags for image " + id + ".", draft -> draft.tags.add(tag));
  }

  /** Removes a tag; 404 when the image does not carry it. */
  void removeTag(Actor actor, String id, String tag) {
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

  private void changeTags(Actor actor, String id, String forbidden, Consumer<ImageDraft> change) {
    db.inTransaction(
        sql -> {
          ImageStore store = new ImageStore(sql);
          Image old = store.lock(id).orElseThrow(() -> ImageErrors.notFound(id));
          if (!ImageAccess.canSee(actor, old, sql)) {
            throw ImageErrors.notFound(id);
          }
          if (!actor.admin() && !ImageAccess.owns(actor, old)) {
            throw ServiceException.forbidden("Forbidden", forbidden);
          }
          ImageDraft draft = ImageDraft.of(old);
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

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
