package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An availability zone as {@code os-availability-zone} reports it: available while at least one of
 * its services is enabled.
 *
 * @param services the zone's enabled services (empty for a zone that is not available)
 */
public record AvailabilityZone(String name, boolean available, List<HostService> services) {
  public AvailabilityZone {
    requireNonNull(name, "name is null");
    services = List.copyOf(services);
  }
}
