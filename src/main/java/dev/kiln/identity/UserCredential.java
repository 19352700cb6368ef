package dev.kiln.identity;

import java.time.Instant;

/**
 * A secret a user keeps with Keystone ({@code /v3/credentials}): an EC2 key pair, a TOTP seed, or
 * anything else, told apart by {@code type}. The blob is the client's text; identity never reads it
 * except to derive an EC2 credential's id from its access key, as Keystone does.
 */
public record UserCredential(
    String id, String userId, String projectId, String type, String blob, Instant createdAt) {}
