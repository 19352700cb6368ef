package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.Server.FlavorSnapshot;
import java.time.Instant;
import java.util.Set;

/**
 * Nova's record of a resize or cold migration of a server, as {@code os-migrations} lists it. The
 * move's destination claim is held under {@link #uuid} until the move is confirmed or reverted.
 *
 * @param id Nova's integer id
 * @param type {@link #RESIZE} or {@link #MIGRATION} (Nova's migration_type)
 * @param destCompute null until the scheduler picked a host
 * @param requestedHost the host an admin asked a cold migration to go to (2.56), or null
 * @param oldFlavorSeq Nova's internal id of the old flavor (old_instance_type_id), or null when
 *     that flavor is gone
 * @param oldVmState the vm state the server had before the move (active or stopped), which it
 *     returns to
 * @param requestId the request that started the move (its instance action)
 */
public record Migration(
    long id,
    String uuid,
    String serverId,
    String projectId,
    String userId,
    String type,
    String status,
    String sourceCompute,
    String destCompute,
    String requestedHost,
    FlavorSnapshot oldFlavor,
    FlavorSnapshot newFlavor,
    Integer oldFlavorSeq,
    Integer newFlavorSeq,
    String oldVmState,
    String requestId,
    Instant createdAt,
    Instant updatedAt) {

  public static final String RESIZE = "resize";
  public static final String MIGRATION = "migration";

  // Nova's statuses, in the order a move goes through them.
  public static final String PRE_MIGRATING = "pre-migrating";
  public static final String MIGRATING = "migrating";
  public static final String POST_MIGRATING = "post-migrating";
  public static final String FINISHED = "finished";
  public static final String CONFIRMING = "confirming";
  public static final String CONFIRMED = "confirmed";
  public static final String REVERTING = "reverting";
  public static final String REVERTED = "reverted";
  public static final String ERROR = "error";

  /** A live migration (Nova's migration_type), with its own statuses. */
  public static final String LIVE_MIGRATION = "live-migration";
  public static final String QUEUED = "queued";
  public static final String PREPARING = "preparing";
  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  /** Kiln's: an abort was asked for and the running step has not rolled back yet. */
  public static final String CANCELLING = "cancelling";
  public static final String CANCELLED = "cancelled";

  /** The statuses after which nothing more happens to the move. */
  public static final Set<String> DONE = Set.of(CONFIRMED, REVERTED, ERROR, COMPLETED, CANCELLED);

  /** A live migration's statuses while it is under way (Nova's in-progress list). */
  public static final Set<String> LIVE_IN_PROGRESS = Set.of(QUEUED, PREPARING, RUNNING, CANCELLING);

  public Migration {
    requireNonNull(uuid, "uuid is null");
    requireNonNull(serverId, "serverId is null");
    requireNonNull(type, "type is null");
    requireNonNull(status, "status is null");
    requireNonNull(oldFlavor, "oldFlavor is null");
    requireNonNull(newFlavor, "newFlavor is null");
  }

  public boolean done() {
    return DONE.contains(status);
  }
}
