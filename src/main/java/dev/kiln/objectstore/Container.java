package dev.kiln.objectstore;

/** A container with its exact object count and bytes used. */
public record Container(
    String account, String name, long createdMicros, Metadata metadata, long objectCount,
    long bytesUsed) {}
