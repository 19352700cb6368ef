package dev.kiln.network;

import dev.kiln.common.ServiceException;
import dev.kiln.network.RbacPolicy.Action;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.RbacStore;
import dev.kiln.store.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that tie a network's RBAC policies to what it is: a network is shared with every
 * project exactly while an {@code access_as_shared} policy targets {@code *}, and external while
 * any {@code access_as_external} policy exists; a policy that a project still relies on (its ports,
 * or its routers' gateways and floating IPs) cannot go. Run inside the caller's transaction, under
 * the network's row lock.
 */
final class Sharing {
  private Sharing() {}

  /** Adds the {@code *} policy of this action unless it is there already. */
  static void openToEveryone(Sql sql, String networkId, String ownerProject, Action action, String policyId) {
    RbacStore store = new RbacStore(sql);
    boolean present =
        store.ofNetwork(networkId).stream()
            .anyMatch(p -> p.action() == action && p.targetProject().equals(RbacPolicy.EVERYONE));
    if (!present) {
      store.insert(new RbacPolicy(policyId, ownerProject, RbacPolicy.NETWORK, networkId, action, RbacPolicy.EVERYONE));
    }
  }

  /**
   * Fails with Neutron's RbacPolicyInUse unless every project that relies on the network through
   * policies of {@code removed}'s action is still covered by the others once {@code removed} goes.
   */
  static void checkRemovable(Sql sql, Network network, RbacPolicy removed) {
    RbacStore store = new RbacStore(sql);
    Set<String> reliant =
        removed.action() == Action.ACCESS_AS_SHARED
            ? store.projectsWithPorts(network.id())
            : store.projectsUsingAsExternal(network.id());
    reliant.remove(network.projectId());
    List<RbacPolicy> rest =
        store.ofNetwork(network.id()).stream()
            .filter(p -> p.action() == removed.action() && !p.id().equals(removed.id()))
            .toList();
    if (rest.stream().anyMatch(p -> p.targetProject().equals(RbacPolicy.EVERYONE))) {
      return;
    }
    Set<String> stranded = new TreeSet<>(reliant);
    rest.forEach(p -> stranded.remove(p.targetProject()));
    if (!stranded.isEmpty()) {
      throw ServiceException.conflict(
          "RbacPolicyInUse",
          "The RBAC policy on network " + network.id() + " cannot be removed: project(s) " + String.join(", ", stranded)
              + " still use the network through it.");
    }
  }

  /** Makes the network's shared and external columns agree with its policies, as one revision. */
  static void syncFlags(Sql sql, String networkId, Instant now) {
    List<RbacPolicy> policies = new RbacStore(sql).ofNetwork(networkId);
    boolean shared =
        policies.stream()
            .anyMatch(p -> p.action() == Action.ACCESS_AS_SHARED && p.targetProject().equals(RbacPolicy.EVERYONE));
    boolean external = policies.stream().anyMatch(p -> p.action() == Action.ACCESS_AS_EXTERNAL);
    new NetworkStore(sql).setAccessFlags(networkId, shared, external, now);
  }
}
