package dev.kiln.identity;

/** A catalog region; regions form a tree through {@code parentRegionId}. */
public record Region(String id, String description, String parentRegionId, String extra) {}
