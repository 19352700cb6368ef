package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A project an image is shared with.
 *
 * @param memberId the project's id, as the owner gave it (Glance does not check it exists)
 */
public record ImageMember(String imageId, String memberId, MemberStatus status, Instant createdAt, Instant updatedAt) {
  public ImageMember {
    requireNonNull(imageId, "imageId is null");
    requireNonNull(memberId, "memberId is null");
    requireNonNull(status, "status is null");
  }
}
