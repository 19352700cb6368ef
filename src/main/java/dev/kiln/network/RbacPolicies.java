package dev.kiln.network;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.RbacPolicy.Action;
import dev.kiln.network.store.NetworkStore;
import dev.kiln.network.store.RbacStore;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;
import java.util.List;

/**
 * Neutron RBAC policies on networks ({@code rbac-policies}): share a network with one project or
 * every project ({@code access_as_shared}), or let them use it as an external network
 * ({@code access_as_external}). Only a network's owner or an admin manages its policies, only an
 * admin targets every project, and a policy that a project still relies on cannot be removed or
 * retargeted (409). Each change runs under the network's row lock and is a new network revision.
 */
public final class RbacPolicies {
  private static final int MAX_TARGET = 255;

  private final Database db;
  private final IdGenerator ids;
  private final Networks networks;

  public RbacPolicies(Database db, IdGenerator ids, Networks networks) {
    this.db = requireNonNull(db, "db is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.networks = requireNonNull(networks, "networks is null");
  }

  /** A create request as given; each field null when absent. */
  public record Spec(String projectId, String objectType, String objectId, String action, String targetProject) {}

  public RbacPolicy create(Actor actor, Spec spec) {
    if (spec.objectType() == null || !spec.objectType().equals(RbacPolicy.NETWORK)) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for object_type. Reason: '" + spec.objectType() + "' is not a supported object type; Kiln"
              + " shares 'network' objects.");
    }
    Action action = Action.fromWire(spec.action());
    if (action == null) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for action. Reason: '" + spec.action() + "' is neither access_as_shared nor"
              + " access_as_external.");
    }
    if (spec.objectId() == null) {
      throw ServiceException.invalid("InvalidInput", "Invalid input for object_id. Reason: an object_id is required.");
    }
    checkTarget(actor, spec.targetProject(), "create_rbac_policy:target_tenant");
    String project = Ownership.ownerProject(actor, spec.projectId());
    Network network = managed(actor, spec.objectId());
    String id = ids.uuid();
    return write(
        sql -> {
          lock(sql, network.id());
          // Neutron counts RBAC policies against the quota of the project that makes them.
          NetworkQuotas.reserve(sql, project, "rbac_policy", 1);
          RbacPolicy policy =
              new RbacPolicy(id, project, RbacPolicy.NETWORK, network.id(), action, spec.targetProject());
          new RbacStore(sql).insert(policy);
          Sharing.syncFlags(sql, network.id(), networks.now());
          return policy;
        });
  }

  /** A policy the actor may see: one its project made, or any for an admin. */
  public RbacPolicy visible(Actor actor, String id) {
    RbacPolicy policy = new RbacStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
    if (!actor.owns(policy.projectId())) {
      throw notFound(id);
    }
    return policy;
  }

  public List<RbacPolicy> list(Actor actor) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new RbacStore(db.sql()).list(actor.admin() ? null : actor.projectId());
  }

  /** Gives a policy another target; refused (409) while the old target relies on it. */
  public RbacPolicy retarget(Actor actor, String id, String targetProject) {
    RbacPolicy old = visible(actor, id);
    checkTarget(actor, targetProject, "update_rbac_policy:target_tenant");
    Network network = managed(actor, old.objectId());
    return write(
        sql -> {
          Network locked = lock(sql, network.id());
          RbacPolicy current = new RbacStore(sql).find(id).orElseThrow(() -> notFound(id));
          if (current.targetProject().equals(targetProject)) {
            return current;
          }
          // Moving to every project keeps everyone covered; any other move may strand the old target.
          if (!targetProject.equals(RbacPolicy.EVERYONE)) {
            Sharing.checkRemovable(sql, locked, current);
          }
          new RbacStore(sql).updateTarget(id, targetProject);
          Sharing.syncFlags(sql, network.id(), networks.now());
          return new RbacPolicy(
              id, current.projectId(), current.objectType(), current.objectId(), current.action(), targetProject);
        });
  }

  public void delete(Actor actor, String id) {
    RbacPolicy seen = visible(actor, id);
    db.inTransaction(
        sql -> {
          Network locked = lock(sql, seen.objectId());
          RbacPolicy current = new RbacStore(sql).find(id).orElseThrow(() -> notFound(id));
          Sharing.checkRemovable(sql, locked, current);
          new RbacStore(sql).delete(id);
          Sharing.syncFlags(sql, locked.id(), networks.now());
          return null;
        });
  }

  /** The network a policy is about, if the actor owns it (or is an admin); Neutron answers 400 otherwise. */
  private Network managed(Actor actor, String networkId) {
    Network network;
    try {
      network = networks.visible(actor, networkId);
    } catch (ServiceException e) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for operation: network " + networkId + " could not be found.");
    }
    if (!actor.owns(network.projectId())) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for operation: only an admin may manage the policies of a network another project owns.");
    }
    return network;
  }

  private static void checkTarget(Actor actor, String target, String rule) {
    if (target == null || target.isEmpty()) {
      throw ServiceException.invalid(
          "InvalidInput", "Invalid input for target_tenant. Reason: a target project (or '*') is required.");
    }
    if (target.length() > MAX_TARGET) {
      throw ServiceException.invalid(
          "InvalidInput",
          "Invalid input for target_tenant. Reason: '" + target + "' is longer than " + MAX_TARGET + " characters.");
    }
    if (target.equals(RbacPolicy.EVERYONE) && !actor.admin()) {
      throw NetworkErrors.policy(rule);
    }
  }

  private static Network lock(Sql sql, String networkId) {
    return new NetworkStore(sql).lockNetwork(networkId).orElseThrow(() -> NetworkErrors.networkNotFound(networkId));
  }

  private <T> T write(Database.TransactionWork<T> work) {
    try {
      return db.inTransaction(work);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict(
            "DuplicateRbacPolicy", "An RBAC policy with this network, action and target already exists.");
      }
      throw e;
    }
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("RbacPolicyNotFound", "RBAC policy of type network with ID " + id + " not found");
  }
}
