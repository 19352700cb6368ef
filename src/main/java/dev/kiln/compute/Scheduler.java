package dev.kiln.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Database;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Nova's scheduler over the simulated fleet: filters the hosts that can take a request, orders
 * them by weight and claims on the best one that still fits. The claim is what makes a choice
 * stick: two requests that pick the same nearly full host race on its claim, and the loser tries
 * the next host.
 */
public final class Scheduler {
  private final Database db;
  private final Fleet fleet;

  public Scheduler(Database db, Fleet fleet) {
    this.db = requireNonNull(db, "db is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
  }

  /**
   * What to place.
   *
   * @param consumerId who holds the claim: the server for a boot, a migration for a move's
   *     destination
   * @param serverId the server being placed (its server group, if any, constrains the choice)
   * @param availabilityZone the zone the server must stay in, or null for any
   * @param excludedHosts hosts not to consider (the source of a cold migration)
   * @param requestedHost the only host to consider (an admin's choice), or null
   */
  public record Request(
      String consumerId,
      String serverId,
      Resources resources,
      String availabilityZone,
      Set<String> excludedHosts,
      String requestedHost) {
    public Request {
      requireNonNull(consumerId, "consumerId is null");
      requireNonNull(serverId, "serverId is null");
      requireNonNull(resources, "resources is null");
      excludedHosts = Set.copyOf(excludedHosts);
    }

    /** A boot: the server claims for itself, anywhere in its zone. */
    public static Request boot(String serverId, Resources resources, String availabilityZone) {
      return new Request(serverId, serverId, resources, availabilityZone, Set.of(), null);
    }
  }

  /**
   * Picks and claims a host for the request; empty when no host passes the filters with room to
   * spare (Nova's NoValidHost). A consumer that already holds a claim gets its host back, so a
   * retried step does not claim twice.
   */
  public Optional<Hypervisor> selectAndClaim(Request request) {
    Optional<Claim> held = fleet.findClaim(request.consumerId());
    if (held.isPresent()) {
      return fleet.hypervisor(held.get().host());
    }
    for (Hypervisor h : candidates(request)) {
      if (fleet.claim(request.consumerId(), h.hostname(), request.resources())) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** The hosts that pass every filter, best first: the most free RAM spreads the load. */
  private List<Hypervisor> candidates(Request request) {
    return fleet.hypervisors().stream()
        .filter(Hypervisor::acceptsInstances)
        .filter(h -> request.requestedHost() == null || h.hostname().equals(request.requestedHost()))
        .filter(h -> !request.excludedHosts().contains(h.hostname()))
        .filter(h -> request.availabilityZone() == null || h.availabilityZone().equals(request.availabilityZone()))
        .filter(h -> request.resources().fitsIn(h.free()))
        .sorted(Comparator.comparingInt((Hypervisor h) -> h.free().ramMb()).reversed())
        .toList();
  }
}
