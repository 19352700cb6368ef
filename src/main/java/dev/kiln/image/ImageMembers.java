package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.image.store.ImageMemberStore;
import dev.kiln.image.store.ImageStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Sharing an image with other projects, as Glance's default policies have it: only a {@code
 * shared} image has members; its owner (or an admin) adds and removes them; each member project
 * (or an admin), never the owner, answers pending → accepted or rejected, and may change its mind.
 * A member sees only its own membership; the owner sees them all.
 */
public final class ImageMembers {
  /** Glance's default image_member_quota. */
  public static final int MAX_MEMBERS = 128;

  private final Database db;
  private final Clock clock;

  public ImageMembers(Database db, Clock clock) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Shares the image with a project, pending its answer. */
  public ImageMember add(Actor actor, String imageId, String memberId) {
    requireNonNull(memberId, "memberId is null");
    if (memberId.isBlank() || memberId.length() > 255) {
      throw ImageErrors.invalid("The member must be a project id of 1 to 255 characters.");
    }
    return db.inTransaction(
        sql -> {
          // The image's row lock makes the count and the insert one step: the quota holds under races.
          Image image = new ImageStore(sql).lock(imageId).orElseThrow(() -> ImageErrors.notFound(imageId));
          if (!ImageAccess.canSee(actor, image, sql)) {
            throw ImageErrors.notFound(imageId);
          }
          String refused = "Not allowed to create members for image " + imageId + ".";
          if (image.visibility() != Visibility.SHARED || !(actor.admin() || ImageAccess.owns(actor, image))) {
            throw ServiceException.forbidden("Forbidden", refused);
          }
          ImageMemberStore members = new ImageMemberStore(sql);
          if (members.find(imageId, memberId).isPresent()) {
            throw duplicate(imageId, memberId);
          }
          long count = members.count(imageId);
          if (count >= MAX_MEMBERS) {
            throw ImageErrors.overLimit(
                "Image member limit exceeded for image " + imageId + ": it has " + count
                    + " members and at most " + MAX_MEMBERS + " are allowed.");
          }
          Instant now = now();
          ImageMember member = new ImageMember(imageId, memberId, MemberStatus.PENDING, now, now);
          try {
            members.insert(member);
          } catch (StoreException e) {
            if (e.kind() == StoreException.Kind.DUPLICATE) {
              throw duplicate(imageId, memberId);
            }
            throw e;
          }
          return member;
        });
  }

  /**
   * The members the actor may see: all of them for the owner and admins, its own membership for a
   * member. 403 for an image that is not shared.
   */
  public List<ImageMember> list(Actor actor, String imageId) {
    Sql sql = db.sql();
    Image image = visible(actor, imageId, sql);
    if (image.visibility() != Visibility.SHARED) {
      throw ServiceException.forbidden(
          "Forbidden", "Not allowed to list members for image " + imageId + ": only shared images have members.");
    }
    List<ImageMember> all = new ImageMemberStore(sql).list(imageId);
    if (actor.admin() || ImageAccess.owns(actor, image)) {
      return all;
    }
    return all.stream().filter(m -> m.memberId().equals(actor.projectId())).toList();
  }

  /** One membership; 404 when the actor may not see it (or the image is not shared). */
  public ImageMember show(Actor actor, String imageId, String memberId) {
    Sql sql = db.sql();
    Image image = visible(actor, imageId, sql);
    if (image.visibility() != Visibility.SHARED) {
      throw ServiceException.notFound("NotFound", "Image " + imageId + " is not shared: it has no members.");
    }
    return member(actor, image, memberId, sql);
  }

  /** The member's answer: accepted, rejected, or pending again. Only the member or an admin. */
  public ImageMember updateStatus(Actor actor, String imageId, String memberId, String status) {
    Sql sql = db.sql();
    Image image = visible(actor, imageId, sql);
    String refused = "Not allowed to update members for image " + imageId + ".";
    if (image.visibility() != Visibility.SHARED) {
      throw ServiceException.forbidden("Forbidden", refused);
    }
    ImageMember member = member(actor, image, memberId, sql);
    // A non-admin reaches here only for a membership it may see; the owner may not answer for it.
    if (!actor.admin() && ImageAccess.owns(actor, image)) {
      throw ServiceException.forbidden("Forbidden", refused);
    }
    MemberStatus next = MemberStatus.fromApiName(status);
    if (next == null) {
      throw ImageErrors.invalid(
          "Incorrect request: status must be one of pending, accepted or rejected, not '" + status + "'.");
    }
    Instant now = now();
    if (!new ImageMemberStore(sql).updateStatus(imageId, memberId, next, now)) {
      throw notMember(imageId, memberId);
    }
    return new ImageMember(imageId, memberId, next, member.createdAt(), now);
  }

  /** Stops sharing the image with a project. Only the owner or an admin. */
  public void remove(Actor actor, String imageId, String memberId) {
    Sql sql = db.sql();
    Image image = visible(actor, imageId, sql);
    String refused = "Not allowed to delete members for image " + imageId + ".";
    if (image.visibility() != Visibility.SHARED) {
      throw ServiceException.forbidden("Forbidden", refused);
    }
    member(actor, image, memberId, sql);
    if (!actor.admin() && !ImageAccess.owns(actor, image)) {
      throw ServiceException.forbidden("Forbidden", refused);
    }
    if (!new ImageMemberStore(sql).delete(imageId, memberId)) {
      throw notMember(imageId, memberId);
    }
  }

  private static Image visible(Actor actor, String imageId, Sql sql) {
    Image image = new ImageStore(sql).find(imageId).orElseThrow(() -> notFoundImage(imageId));
    if (!ImageAccess.canSee(actor, image, sql)) {
      throw notFoundImage(imageId);
    }
    return image;
  }

  /** The membership if the actor may see it: any for the owner and admins, only its own for others. */
  private static ImageMember member(Actor actor, Image image, String memberId, Sql sql) {
    boolean mayLook = actor.admin() || ImageAccess.owns(actor, image) || memberId.equals(actor.projectId());
    return (mayLook ? new ImageMemberStore(sql).find(image.id(), memberId) : Optional.<ImageMember>empty())
        .orElseThrow(() -> notMember(image.id(), memberId));
  }

  private static ServiceException notFoundImage(String imageId) {
    return ServiceException.notFound("ImageNotFound", "Image " + imageId + " not found.");
  }

  private static ServiceException notMember(String imageId, String memberId) {
    return ServiceException.notFound(
        "MemberNotFound", "Project " + memberId + " is not a member of image " + imageId + ".");
  }

  private static ServiceException duplicate(String imageId, String memberId) {
    return ServiceException.conflict(
        "Duplicate", "Project " + memberId + " is already a member of image " + imageId + ".");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
