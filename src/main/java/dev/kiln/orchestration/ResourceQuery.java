package dev.kiln.orchestration;

import java.util.List;
import java.util.Map;

/**
 * A resource list's options.
 *
 * @param nestedDepth include resources of nested stacks down to this depth
 * @param withDetail fill each resource's attributes
 * @param filters among {@code name}, {@code status}, {@code action}, {@code type}, {@code id},
 *     {@code physical_resource_id}
 */
public record ResourceQuery(int nestedDepth, boolean withDetail, Map<String, List<String>> filters) {
  public ResourceQuery {
    filters = Map.copyOf(filters);
  }
}
