package dev.kiln.identity;

import java.util.List;

/** One service of a token's catalog with the endpoints a client may use, URLs resolved. */
public record CatalogEntry(String id, String type, String name, List<Endpoint> endpoints) {
  public CatalogEntry {
    endpoints = List.copyOf(endpoints);
  }

  /** An endpoint as a token's catalog shows it. */
  public record Endpoint(String id, String iface, String regionId, String url) {}
}
