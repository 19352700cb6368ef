package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import java.time.Instant;
import java.util.List;

/**
 * An interface attach or detach as recorded before it acts: what it is to do, and once done, how
 * it ended. A task runs it; the request that asked for it waits for its outcome.
 *
 * @param portId the user's port to attach, the port to detach, or (network attach) the port
 *     Compute made, once made; null until then
 * @param ownedByCompute whether {@code portId} is a port Compute made (deleted on undo or detach)
 * @param networkId the network to make a port on (network attach), else null
 * @param fixedIps the addresses asked for on that network
 * @param error how it failed, once {@link Status#FAILED}
 */
public record InterfaceOp(
    String id,
    String serverId,
    Kind kind,
    String portId,
    boolean ownedByCompute,
    String networkId,
    List<String> fixedIps,
    String tag,
    String requestId,
    String userId,
    Status status,
    Error error,
    Instant createdAt) {

  public InterfaceOp {
    requireNonNull(id, "id is null");
    requireNonNull(serverId, "serverId is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(status, "status is null");
    fixedIps = fixedIps == null ? List.of() : List.copyOf(fixedIps);
  }

  public enum Kind {
    ATTACH("interface_attaching", "attach_interface"),
    DETACH("interface_detaching", "detach_interface");

    /** The task state the server holds meanwhile (Kiln's names), and Nova's action name. */
    final String taskState;
    final String action;

    Kind(String taskState, String action) {
      this.taskState = taskState;
      this.action = action;
    }
  }

  public enum Status {
    PENDING,
    DONE,
    FAILED
  }

  /** A refusal or failure, kept to be thrown again in the request that waits. */
  public record Error(ServiceException.Kind kind, String type, String message) {
    static Error of(ServiceException e) {
      return new Error(e.kind(), e.type(), e.getMessage());
    }

    ServiceException exception() {
      return new ServiceException(kind, type, message);
    }
  }
}
