package dev.kiln.identity;

/**
 * An OS-OAUTH1 consumer: an application admins register so that it may ask users for delegated
 * access. The secret is shown once, in the answer to the create; every other view leaves it out.
 */
public record OAuthConsumer(String id, String description, String secret, String extra) {}
