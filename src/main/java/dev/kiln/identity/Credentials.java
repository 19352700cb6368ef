package dev.kiln.identity;

/**
 * How a user proves who they are with the password method: by user id, or by name within a domain
 * given by id or by name.
 */
public record Credentials(
    String userId, String userName, String domainId, String domainName, String password) {}
