package dev.kiln.image.metadef;

import java.time.Instant;

/** A kind of resource metadata definitions apply to. */
public record ResourceType(String name, Instant createdAt, Instant updatedAt) {}
