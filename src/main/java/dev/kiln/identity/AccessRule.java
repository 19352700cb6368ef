package dev.kiln.identity;

import java.util.Set;

/**
 * An application credential's access rule (Keystone's): its tokens may call {@code method} on
 * {@code path} of the service of type {@code service}. In a path, {@code *} stands for one
 * segment and {@code **} for any number of them.
 */
public record AccessRule(String id, String userId, String service, String path, String method) {
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
}
