package dev.kiln.identity;

import java.time.Instant;

/** A Keystone project: what tokens are scoped to and what owns every other service's resources. */
public record Project(
    String id,
    String name,
    String domainId,
    String parentId,
    String description,
    boolean enabled,
    Instant createdAt) {}
