package dev.kiln.objectstore;

/**
 * One page of names to read from the store, in byte order: those starting with {@code prefix},
 * above {@code lower} (or equal to it when {@code lowerInclusive}) and below {@code upper}, either
 * bound null for none, ascending or descending, at most {@code limit} of them.
 */
public record NameRange(
    String prefix, String lower, boolean lowerInclusive, String upper, boolean descending, int limit) {}
