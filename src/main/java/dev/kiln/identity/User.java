package dev.kiln.identity;

import java.time.Instant;

/** A Keystone user. The password hash never leaves the identity package's store and service. */
public record User(
    String id,
    String name,
    String domainId,
    String defaultProjectId,
    String email,
    String description,
    boolean enabled,
    Instant createdAt) {}
