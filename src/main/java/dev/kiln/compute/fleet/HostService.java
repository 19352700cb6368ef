package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One of Nova's services as {@code os-services} reports it: {@code nova-compute} on each compute
 * host, {@code nova-scheduler} and {@code nova-conductor} on {@value Fleet#CONTROL_HOST}.
 *
 * @param id the id before microversion 2.53
 * @param uuid the id from microversion 2.53
 * @param zone the host's availability zone; {@value Fleet#INTERNAL_ZONE} for the control services
 * @param disabledReason why an operator disabled it, or null
 * @param forcedDown whether an operator declared it down; a forced-down service is "down"
 * @param updatedAt the last heartbeat; simulated services beat continuously
 */
public record HostService(
    int id,
    String uuid,
    String host,
    String binary,
    String zone,
    boolean disabled,
    String disabledReason,
    boolean forcedDown,
    Instant updatedAt) {

  public HostService {
    requireNonNull(uuid, "uuid is null");
    requireNonNull(host, "host is null");
    requireNonNull(binary, "binary is null");
    requireNonNull(zone, "zone is null");
  }

  /** Whether the service is up: simulated services always are, unless forced down. */
  public boolean isUp() {
    return !forcedDown;
  }

  public boolean isCompute() {
    return Fleet.COMPUTE_BINARY.equals(binary);
  }
}
