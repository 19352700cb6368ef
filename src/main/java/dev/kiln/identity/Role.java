package dev.kiln.identity;

/** A role that can be granted to a user on a project or a domain. */
public record Role(String id, String name, String description) {}
