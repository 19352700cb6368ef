package dev.kiln.identity;

/**
 * An endpoint of a catalog service: one URL for one interface ({@code public}, {@code internal},
 * {@code admin}) in one region (or none). The URL may hold Keystone's {@code $(project_id)s}.
 */
public record CatalogEndpoint(
    String id,
    String serviceId,
    String iface,
    String regionId,
    String url,
    boolean enabled,
    String extra,
    boolean builtIn) {}
