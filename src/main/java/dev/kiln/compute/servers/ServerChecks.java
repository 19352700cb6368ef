package dev.kiln.compute.servers;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import java.util.Collection;

/**
 * The checks Nova's compute API makes before changing a server, with its 409 bodies: the lock
 * ({@code @check_instance_lock}), the vm and task states ({@code @check_instance_state}) and a
 * host ({@code @check_instance_host}).
 */
public final class ServerChecks {
  private ServerChecks() {}

  /**
   * Refuses the action unless the server is unlocked (or the actor an admin), in one of {@code
   * vmStates} with no task under way, and on a host.
   */
  public static void requireReady(Actor actor, Server server, String action, Collection<String> vmStates) {
    requireUnlocked(actor, server);
    if (!vmStates.contains(server.vmState())) {
      throw invalidState(action, server.id(), "vm_state", server.vmState());
    }
    if (server.taskState() != null) {
      throw invalidState(action, server.id(), "task_state", server.taskState());
    }
    requirePlaced(server);
  }

  /** Refuses a server that has no host yet (409, Nova's {@code @check_instance_host}). */
  public static void requirePlaced(Server server) {
    if (server.host() == null) {
      throw ServiceException.conflict("InstanceNotReady", "Instance " + server.id() + " is not ready");
    }
  }

  /** Refuses non-admins a locked server (409, Nova's {@code @check_instance_lock}). */
  public static void requireUnlocked(Actor actor, Server server) {
    if (server.locked() && !actor.admin()) {
      throw ServiceException.conflict("InstanceIsLocked", "Instance " + server.id() + " is locked");
    }
  }

  /**
   * Refuses a move while one of the server's volumes is still being attached or detached: the
   * move would carry its attachment to the other host half done.
   */
  public static void requireVolumesSettled(Servers servers, Server server, String action) {
    if (servers.blockDevices(server.id()).stream().anyMatch(d -> d.state() != BlockDevice.State.ATTACHED)) {
      throw ServiceException.conflict(
          "InstanceInvalidState",
          "Cannot '" + action + "' instance " + server.id() + " while a volume is being attached or detached");
    }
  }

  /** Nova's conflictingRequest for an action the server's state does not allow. */
  public static ServiceException invalidState(String action, String id, String attribute, String state) {
    return ServiceException.conflict(
        "InstanceInvalidState", "Cannot '" + action + "' instance " + id + " while it is in " + attribute + " " + state);
  }
}
