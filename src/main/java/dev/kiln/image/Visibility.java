package dev.kiln.image;

import java.util.Locale;

/** Who may see an image besides its owner. */
public enum Visibility {
  /** Everyone, listed by default; only admins make images public. */
  PUBLIC,
  /** Everyone who asks for it by id or lists {@code visibility=community}. */
  COMMUNITY,
  /** The owner and the projects it shares the image with (its members). */
  SHARED,
  /** The owner only. */
  PRIVATE;

  /** The lower-case name the API and the database use. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The visibility named {@code name}, or null when there is none by that name. */
  public static Visibility fromApiName(String name) {
    for (Visibility v : values()) {
      if (v.apiName().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
