package dev.kiln.orchestration;

import java.util.List;
import java.util.Map;

/**
 * An event list's filters, sort and page.
 *
 * @param resourceName only this resource's events, or null for the whole stack
 * @param filters among {@code resource_action}, {@code resource_status}, {@code resource_name},
 *     {@code resource_type}, {@code physical_resource_id}
 * @param sortKeys among {@code event_time}, {@code resource_type}, {@code resource_name}, {@code
 *     resource_action}, {@code resource_status}; empty for oldest first
 * @param nestedDepth include events of nested stacks down to this depth
 */
public record EventQuery(
    String resourceName,
    Map<String, List<String>> filters,
    List<String> sortKeys,
    String sortDir,
    Integer limit,
    String marker,
    int nestedDepth) {

  public EventQuery {
    filters = Map.copyOf(filters);
    sortKeys = List.copyOf(sortKeys);
  }
}
