package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

/** One configured compute host: its name, capacity and availability zone. */
public record HostSpec(String name, Resources capacity, String availabilityZone) {
  public HostSpec {
    requireNonNull(name, "name is null");
    requireNonNull(capacity, "capacity is null");
    requireNonNull(availabilityZone, "availabilityZone is null");
    if (name.isBlank() || name.length() > 255) {
      throw new IllegalArgumentException("a compute host name must be 1 to 255 characters: '" + name + "'");
    }
    if (availabilityZone.isBlank() || availabilityZone.length() > 255) {
      throw new IllegalArgumentException(
          "an availability zone must be 1 to 255 characters: '" + availabilityZone + "'");
    }
    if (availabilityZone.equals(Fleet.INTERNAL_ZONE)) {
      throw new IllegalArgumentException(
          "'" + Fleet.INTERNAL_ZONE + "' is the zone of Nova's internal services; give host " + name + " another");
    }
  }
}
