package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host aggregate: a named group of compute hosts with metadata. The metadata key {@value
 * #ZONE_KEY} makes it an availability zone for its hosts, as in Nova.
 *
 * @param id Nova's integer id, which the API's paths take
 * @param uuid the id shown from microversion 2.41
 * @param hosts the member hosts, by name
 * @param updatedAt when it last changed, or null
 */
public record Aggregate(
    int id,
    String uuid,
    String name,
    List<String> hosts,
    Map<String, String> metadata,
    Instant createdAt,
    Instant updatedAt) {
  /** The metadata key that names an aggregate's availability zone. */
  public static final String ZONE_KEY = "availability_zone";

  public Aggregate {
    requireNonNull(uuid, "uuid is null");
    requireNonNull(name, "name is null");
    requireNonNull(createdAt, "createdAt is null");
    hosts = List.copyOf(hosts);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The zone this aggregate puts its hosts in, or null when it is not an availability zone. */
  public String availabilityZone() {
    return metadata.get(ZONE_KEY);
  }
}
