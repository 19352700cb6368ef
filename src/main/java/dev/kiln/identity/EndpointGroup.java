package dev.kiln.identity;

import java.util.Map;

/**
 * An OS-EP-FILTER endpoint group: the endpoints whose {@code interface}, {@code service_id} and
 * {@code region_id} match every filter given.
 */
public record EndpointGroup(String id, String name, String description, Map<String, String> filters) {
  public EndpointGroup {
    filters = Map.copyOf(filters);
  }
}
