package dev.kiln.volume;

import java.time.Instant;

/** A Cinder snapshot of a volume. */
public record Snapshot(
    String id,
    String projectId,
    String userId,
    String volumeId,
    String name,
    String description,
    int size,
    String status,
    Instant createdAt,
    Instant updatedAt) {}
