package dev.kiln.compute.servers;

import java.time.Instant;
import java.util.List;

/**
 * Which of a server's recorded actions to list, as Nova's 2.58 paging asks: newest first, after
 * the action whose request id is {@code marker}, updated within [{@code changesSince}, {@code
 * changesBefore}], at most {@code limit}. Null means "no bound".
 */
public record InstanceActionQuery(Integer limit, String marker, Instant changesSince, Instant changesBefore) {
  /** Every action: what lists before 2.58 get. */
  public static final InstanceActionQuery ALL = new InstanceActionQuery(null, null, null, null);

  /** One page of actions; {@code more} when actions follow it. */
  public record Page(List<InstanceAction> actions, boolean more) {
    public Page {
      actions = List.copyOf(actions);
    }
  }
}
