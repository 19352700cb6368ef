package dev.kiln.compute.servers;

import dev.kiln.common.IdGenerator;
import java.time.Instant;
import org.slf4j.MDC;

/**
 * A request that acted on a server, as Nova's {@code os-instance-actions} shows it: {@code
 * create}, {@code delete}, {@code stop}, {@code reboot}, …, under the request's {@code
 * x-openstack-request-id}.
 */
public record InstanceAction(
    String serverId, String requestId, String action, String projectId, String userId, Instant startTime, Instant updatedAt) {

  /** A step of an action done by the compute host, e.g. {@code compute_stop_instance}. */
  public record Event(String event, String host, Instant startTime, Instant finishTime, String result, String traceback) {}

  /**
   * The id of the request being served (the {@code x-openstack-request-id} its answer carries,
   * which {@code RequestObserver} puts in the logging context), or a new one outside a request.
   */
  public static String currentRequestId(IdGenerator ids) {
    String id = MDC.get("request_id");
    return id != null ? id : "req-" + ids.uuid();
  }
}
