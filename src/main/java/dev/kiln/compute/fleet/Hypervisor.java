package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

/**
 * A compute host as {@code os-hypervisors} reports it: capacity, what claims use, and the state of
 * its {@code nova-compute} service.
 *
 * @param id the id before microversion 2.53
 * @param uuid the id from microversion 2.53
 * @param runningVms how many claims the host holds (one per server)
 */
public record Hypervisor(
    int id,
    String uuid,
    String hostname,
    String availabilityZone,
    Resources capacity,
    Resources used,
    int runningVms,
    HostService service) {

  public Hypervisor {
    requireNonNull(uuid, "uuid is null");
    requireNonNull(hostname, "hostname is null");
    requireNonNull(availabilityZone, "availabilityZone is null");
    requireNonNull(capacity, "capacity is null");
    requireNonNull(used, "used is null");
    requireNonNull(service, "service is null");
  }

  public Resources free() {
    return capacity.minus(used);
  }

  /** Whether new instances may go here: its compute service is enabled and up. */
  public boolean acceptsInstances() {
    return !service.disabled() && service.isUp();
  }
}
