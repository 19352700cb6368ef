package dev.kiln.image.metadef;

import java.time.Instant;

/** A tag definition: a tag name a namespace offers. */
public record MetadefTag(String name, Instant createdAt, Instant updatedAt) {}
