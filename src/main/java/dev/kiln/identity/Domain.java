package dev.kiln.identity;

import java.time.Instant;

/** A Keystone domain: a namespace for projects and users. */
public record Domain(String id, String name, String description, boolean enabled, Instant createdAt) {
  /** The domain every Kiln has, with Keystone's well-known id. */
  public static final String DEFAULT_ID = "default";
}
