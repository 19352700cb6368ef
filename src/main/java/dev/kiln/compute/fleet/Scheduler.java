package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.groups.ServerGroup;
import dev.kiln.compute.groups.store.ServerGroupStore;
import dev.kiln.store.Database;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nova's scheduler over the simulated fleet: filters the hosts that can take a request, orders
 * them by weight and claims on the best one that still fits. The claim is what makes a choice
 * stick: two requests that pick the same nearly full host race on its claim, and the loser tries
 * the next host.
 */
public final class Scheduler {
  public static final String NO_VALID_HOST = "No valid host was found. There are not enough hosts available.";
  /** How many of the best hosts a placement without a group reads at a time. */
  static final int CANDIDATES = 8;

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
   * retried step does not claim twice. A member of a server group is placed while the group's
   * row is locked, so two members racing for the last host an anti-affinity group allows cannot
   * both get it.
   */
  public Optional<Hypervisor> selectAndClaim(Request request) {
    Optional<Claim> held = fleet.findClaim(request.consumerId());
    if (held.isPresent()) {
      return fleet.hypervisor(held.get().host());
    }
    Optional<ServerGroup> group = groupOf(request.serverId());
    if (group.isEmpty()) {
      return claimBest(request);
    }
    return db.inTransaction(
        sql -> {
          ServerGroupStore groups = new ServerGroupStore(sql);
          groups.lock(group.get().id());
          Map<String, Integer> members = groups.membersPerHost(group.get().id(), request.serverId());
          for (Hypervisor h : candidates(request, group.get(), members)) {
            if (fleet.claim(sql, request.consumerId(), h.hostname(), request.resources())) {
              return Optional.of(h);
            }
          }
          return Optional.empty();
        });
  }

  /**
   * Why {@link #selectAndClaim} found no host, in the words of Nova's NoValidHost fault: which
   * filter left no host standing.
   */
  public String noValidHostReason(Request request) {
    List<Hypervisor> hosts =
        fleet.hypervisors().stream()
            .filter(Hypervisor::acceptsInstances)
            .filter(h -> request.requestedHost() == null || h.hostname().equals(request.requestedHost()))
            .filter(h -> !request.excludedHosts().contains(h.hostname()))
            .filter(h -> request.availabilityZone() == null || h.availabilityZone().equals(request.availabilityZone()))
            .toList();
    if (hosts.isEmpty()) {
      return NO_VALID_HOST;
    }
    List<Hypervisor> fitting = hosts.stream().filter(h -> request.resources().fitsIn(h.free())).toList();
    if (fitting.isEmpty()) {
      return NO_VALID_HOST;
    }
    Optional<ServerGroup> group = groupOf(request.serverId());
    if (group.isPresent() && group.get().policy().isHard()) {
      return "No valid host was found. Every host with room for the server breaks the "
          + group.get().policy().novaName() + " policy of server group " + group.get().id() + ".";
    }
    return NO_VALID_HOST;
  }

  /**
   * Placement without a group: the database picks the few best hosts with room (an indexed walk
   * that costs the same on 3 hosts as on 1,000), and the first conditional claim that still fits
   * wins. When every one of them was taken meanwhile, each failure was another request's claim,
   * so asking again sees less room; the rounds end when no host has room.
   */
  private Optional<Hypervisor> claimBest(Request request) {
    while (true) {
      List<String> hosts =
          fleet.candidates(
              request.resources(), request.availabilityZone(), request.requestedHost(), request.excludedHosts(), CANDIDATES);
      if (hosts.isEmpty()) {
        return Optional.empty();
      }
      for (String host : hosts) {
        if (fleet.claim(request.consumerId(), host, request.resources())) {
          return fleet.hypervisor(host);
        }
      }
    }
  }

  private Optional<ServerGroup> groupOf(String serverId) {
    ServerGroupStore groups = new ServerGroupStore(db.sql());
    return groups.groupOf(serverId).flatMap(groups::find);
  }

  /**
   * The hosts that pass every filter, best first, for a member of a server group (whose filters
   * need every host's members). The weigher spreads the load (most free RAM
   * first); a soft group policy weighs more: soft-affinity prefers the hosts with the most
   * members, soft-anti-affinity the ones with the fewest.
   */
  private List<Hypervisor> candidates(Request request, ServerGroup group, Map<String, Integer> members) {
    Comparator<Hypervisor> byFreeRam = Comparator.comparingInt((Hypervisor h) -> h.free().ramMb()).reversed();
    Comparator<Hypervisor> order = byFreeRam;
    if (group != null && group.policy() == ServerGroup.Policy.SOFT_AFFINITY) {
      order = Comparator.comparingInt((Hypervisor h) -> members.getOrDefault(h.hostname(), 0)).reversed().thenComparing(byFreeRam);
    } else if (group != null && group.policy() == ServerGroup.Policy.SOFT_ANTI_AFFINITY) {
      order = Comparator.comparingInt((Hypervisor h) -> members.getOrDefault(h.hostname(), 0)).thenComparing(byFreeRam);
    }
    return fleet.hypervisors().stream()
        .filter(Hypervisor::acceptsInstances)
        .filter(h -> request.requestedHost() == null || h.hostname().equals(request.requestedHost()))
        .filter(h -> !request.excludedHosts().contains(h.hostname()))
        .filter(h -> request.availabilityZone() == null || h.availabilityZone().equals(request.availabilityZone()))
        .filter(h -> request.resources().fitsIn(h.free()))
        .filter(h -> group == null || allowedByGroup(group, members, h.hostname()))
        .sorted(order)
        .toList();
  }

  /**
   * Nova's ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter: an affinity group's
   * members share the host of the first one placed; an anti-affinity group's members may share a
   * host only up to its {@code max_server_per_host} rule.
   */
  private static boolean allowedByGroup(ServerGroup group, Map<String, Integer> members, String host) {
    return switch (group.policy()) {
      case AFFINITY -> members.isEmpty() || members.containsKey(host);
      case ANTI_AFFINITY -> members.getOrDefault(host, 0) < group.membersAllowedPerHost();
      case SOFT_AFFINITY, SOFT_ANTI_AFFINITY -> true;
    };
  }
}
