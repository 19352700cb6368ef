package dev.kiln.image;

import java.util.Locale;

/**
 * Glance's image statuses. Kiln's images go {@code queued → saving → active}, and an admin may
 * move an active image to {@code deactivated} and back; the others exist because clients and the
 * schema know them.
 */
public enum ImageStatus {
  QUEUED,
  SAVING,
  ACTIVE,
  KILLED,
  DELETED,
  PENDING_DELETE,
  DEACTIVATED,
  UPLOADING,
  IMPORTING;

  /** The lower-case name the API and the database use. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ImageStatus fromApiName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
