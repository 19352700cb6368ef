package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.image.store.ImageMemberStore;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;

/**
 * Who may see an image, as Glance decides it: admins see every image; others see public and
 * community images, their own project's, and shared images their project is a member of, whatever
 * the membership's status (a pending or rejected member may still show the image by id; only
 * lists go by the status).
 */
final class ImageAccess {
  private final Database db;

  ImageAccess(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  /** The image if the actor may see it; 404 (never 403, so ids do not leak) otherwise. */
  Image visible(Actor actor, String id) {
    Sql sql = db.sql();
    Image image = new ImageStore(sql).find(id).orElseThrow(() -> ImageErrors.notFound(id));
    if (!canSee(actor, image, sql)) {
      throw ImageErrors.notFound(id);
    }
    return image;
  }

  /** Whether the actor may see the image, reading memberships through {@code sql}. */
  static boolean canSee(Actor actor, Image image, Sql sql) {
    if (actor.admin()
        || owns(actor, image)
        || image.visibility() == Visibility.PUBLIC
        || image.visibility() == Visibility.COMMUNITY) {
      return true;
    }
    return image.visibility() == Visibility.SHARED
        && actor.projectId() != null
        && new ImageMemberStore(sql).find(image.id(), actor.projectId()).isPresent();
  }

  /** Whether the actor's project owns the image (admins do not own others' images). */
  static boolean owns(Actor actor, Image image) {
    return actor.projectId() != null && actor.projectId().equals(image.owner());
  }
}
