package dev.kiln.image;

import java.util.Locale;

/** Where a project stands on an image shared with it. */
public enum MemberStatus {
  /** Shared, not yet answered: the image is visible by id, not in the member's default list. */
  PENDING,
  /** The member listed the image among its own. */
  ACCEPTED,
  /** Declined: visible by id, listed only when the member asks for rejected images. */
  REJECTED;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code name}, or null when there is none by that name. */
  public static MemberStatus fromApiName(String name) {
    for (MemberStatus s : values()) {
      if (s.apiName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
