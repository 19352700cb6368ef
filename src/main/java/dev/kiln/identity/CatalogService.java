package dev.kiln.identity;

/**
 * A service in Keystone's catalog. {@code builtIn} marks the services Kiln serves itself (from
 * {@link ServiceCatalog}): they cannot be changed or deleted. Name and description are null when
 * never given, as Keystone then leaves them out.
 */
public record CatalogService(
    String id, String type, String name, String description, boolean enabled, String extra, boolean builtIn) {}
