package dev.kiln.identity;

import java.time.Instant;

/**
 * A Keystone user. The password hash never leaves the identity package's store and service.
 *
 * @param extra the attributes Keystone keeps without knowing them (Tempest's {@code project_id}),
 *     as one JSON object's text; identity stores it and the API shows it, nothing reads it
 */
public record User(
    String id,
    String name,
    String domainId,
    String defaultProjectId,
    String email,
    String description,
    boolean enabled,
    Instant createdAt,
    String extra) {

  public static final String NO_EXTRA = "{}";

  public User {
    extra = extra == null ? NO_EXTRA : extra;
  }

  /** A user with no extra attributes. */
  public User(
      String id,
      String name,
      String domainId,
      String defaultProjectId,
      String email,
      String description,
      boolean enabled,
      Instant createdAt) {
    this(id, name, domainId, defaultProjectId, email, description, enabled, createdAt, NO_EXTRA);
  }
}
